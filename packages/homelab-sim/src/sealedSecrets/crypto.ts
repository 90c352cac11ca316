import { toError } from '@backstage/errors';
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  constants,
  KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  X509Certificate,
} from 'node:crypto';

/**
 * The sealed-secrets encryption, byte for byte as the controller and kubeseal
 * do it (notes/gitops-sealed-secrets-httproute.md §1.1, §1.2):
 *
 *   value = uint16be(len(rsa)) ‖ rsa ‖ aesGcm
 *   rsa    = RSA-OAEP(SHA-256, MGF1-SHA-256, label = scope label)(sessionKey)
 *   aesGcm = AES-256-GCM(sessionKey, nonce = 12 zero bytes)(plaintext) ‖ tag
 *
 * The zero nonce is safe only because every session key is used once.
 */

export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export const SCOPE_ANNOTATIONS = {
  'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
  'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
} as const;

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** Raised when a value cannot be opened with any key under the given label. */
export class UnsealError extends Error {
  name = 'UnsealError';
}

/** The OAEP label a scope binds the value to. */
export function scopeLabel(
  scope: SealingScope,
  namespace: string,
  name: string,
): Buffer {
  switch (scope) {
    case 'strict':
      return Buffer.from(`${namespace}/${name}`, 'utf8');
    case 'namespace-wide':
      return Buffer.from(namespace, 'utf8');
    case 'cluster-wide':
      return Buffer.alloc(0);
    default:
      throw new Error(`unknown sealing scope "${scope}"`);
  }
}

/**
 * The scope a SealedSecret's own annotations declare. Cluster-wide wins when
 * both are set, and only the exact value "true" counts (as in the controller).
 */
export function scopeFromAnnotations(
  annotations: Record<string, string> | undefined,
): SealingScope {
  if (annotations?.[SCOPE_ANNOTATIONS['cluster-wide']] === 'true')
    return 'cluster-wide';
  if (annotations?.[SCOPE_ANNOTATIONS['namespace-wide']] === 'true')
    return 'namespace-wide';
  return 'strict';
}

/** The public key of a sealing certificate; refuses an expired one like kubeseal. */
export function sealingPublicKey(
  certificatePem: string,
  now = Date.now(),
): KeyObject {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    throw new Error(
      'the sealing certificate is not a PEM X.509 certificate (expected the controller /v1/cert.pem)',
    );
  }
  if (Date.parse(cert.validTo) < now) {
    throw new Error(
      `the sealing certificate expired on ${cert.validTo}; fetch the current one from the controller`,
    );
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(
      `the sealing certificate holds a ${key.asymmetricKeyType} key; sealed-secrets needs RSA`,
    );
  }
  return key;
}

/** HybridEncrypt: one value, one fresh session key. */
export function hybridEncrypt(
  publicKey: KeyObject | string,
  plaintext: Buffer,
  label: Buffer,
): Buffer {
  const key =
    typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const wrapped = publicEncrypt(
    {
      key,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: label,
    },
    sessionKey,
  );
  const cipher = createCipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  const body = Buffer.concat([
    cipher.update(plaintext),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrapped.length);
  return Buffer.concat([length, wrapped, body]);
}

/** HybridDecrypt: tries every key (the controller keeps all old keys). */
export function hybridDecrypt(
  privateKeys: KeyObject[],
  ciphertext: Buffer,
  label: Buffer,
): Buffer {
  if (ciphertext.length < 2) throw new UnsealError('ciphertext too short');
  const rsaLength = ciphertext.readUInt16BE(0);
  if (ciphertext.length < 2 + rsaLength + GCM_TAG_BYTES)
    throw new UnsealError('ciphertext too short');
  const wrapped = ciphertext.subarray(2, 2 + rsaLength);
  const body = ciphertext.subarray(2 + rsaLength);
  for (const key of privateKeys) {
    let sessionKey: Buffer;
    try {
      sessionKey = privateDecrypt(
        {
          key,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: label,
        },
        wrapped,
      );
    } catch {
      continue; // not this key, or not this label
    }
    if (sessionKey.length !== SESSION_KEY_BYTES)
      throw new UnsealError('session key has the wrong length');
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
    decipher.setAuthTag(body.subarray(body.length - GCM_TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - GCM_TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new UnsealError('message authentication failed');
    }
  }
  throw new UnsealError('no key could decrypt the value');
}

/** Where a value is bound: the SealedSecret's final namespace and name, and the scope. */
export type SealTarget = {
  namespace: string;
  name: string;
  scope: SealingScope;
};

/** Seals one value; returns what goes into `spec.encryptedData[key]`. */
export function sealValue(
  certificatePem: string,
  target: SealTarget,
  plaintext: Buffer | string,
): string {
  return hybridEncrypt(
    sealingPublicKey(certificatePem),
    Buffer.isBuffer(plaintext) ? plaintext : Buffer.from(plaintext, 'utf8'),
    scopeLabel(target.scope, target.namespace, target.name),
  ).toString('base64');
}

/** Opens one `spec.encryptedData` value. */
export function unsealValue(
  privateKeys: KeyObject[],
  target: SealTarget,
  value: string,
): Buffer {
  // Go's base64.StdEncoding: standard alphabet, padded, nothing else.
  if (
    !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(
      value,
    )
  )
    throw new UnsealError('value is not standard base64');
  return hybridDecrypt(
    privateKeys,
    Buffer.from(value, 'base64'),
    scopeLabel(target.scope, target.namespace, target.name),
  );
}

/** The parts of a SealedSecret the controller reads when unsealing. */
export type SealedSecretObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    creationTimestamp?: string | null;
  };
  spec: {
    encryptedData: Record<string, string>;
    template?: {
      metadata?: Record<string, unknown>;
      type?: string;
      immutable?: boolean;
      data?: Record<string, string>;
    };
  };
};

/** A Secret as a user writes it (data = base64, stringData = text). */
export type PlainSecret = {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};

/**
 * kubeseal's `NewSealedSecret`: the scope annotation goes on the
 * SealedSecret's own metadata (the controller reads it there) and, because
 * the Secret's metadata is copied into the template, on the template too.
 */
export function sealSecret(
  certificatePem: string,
  secret: PlainSecret,
  scope: SealingScope = 'strict',
): SealedSecretObject {
  const { name, namespace } = secret.metadata;
  const annotations = { ...secret.metadata.annotations };
  if (scope !== 'strict') annotations[SCOPE_ANNOTATIONS[scope]] = 'true';
  const values = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {}))
    values.set(key, Buffer.from(value, 'base64'));
  for (const [key, value] of Object.entries(secret.stringData ?? {}))
    values.set(key, Buffer.from(value, 'utf8'));
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of [...values].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    encryptedData[key] = sealValue(
      certificatePem,
      { namespace, name, scope },
      value,
    );
  }
  const templateMetadata: Record<string, unknown> = {
    creationTimestamp: null,
    name,
    namespace,
  };
  if (secret.metadata.labels) templateMetadata.labels = secret.metadata.labels;
  if (Object.keys(annotations).length)
    templateMetadata.annotations = annotations;
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: {
      creationTimestamp: null,
      name,
      namespace,
      ...(scope !== 'strict' && {
        annotations: { [SCOPE_ANNOTATIONS[scope]]: 'true' },
      }),
    },
    spec: {
      encryptedData,
      template: {
        metadata: templateMetadata,
        type: secret.type ?? 'Opaque',
      },
    },
  };
}

/**
 * The controller's `Unseal`: the label comes from the SealedSecret's own
 * metadata (name, namespace, scope annotations), never from the template.
 * Every value must open, or the whole secret is refused.
 */
export function unsealSecret(
  privateKeys: KeyObject[],
  sealed: SealedSecretObject,
): Record<string, Buffer> {
  const target: SealTarget = {
    namespace: sealed.metadata.namespace ?? '',
    name: sealed.metadata.name,
    scope: scopeFromAnnotations(sealed.metadata.annotations),
  };
  const out: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(sealed.spec.encryptedData ?? {})) {
    try {
      out[key] = unsealValue(privateKeys, target, value);
    } catch (error) {
      throw new UnsealError(
        `unable to decrypt sealed secret key "${key}": ${
          toError(error).message
        }`,
      );
    }
  }
  return out;
}
