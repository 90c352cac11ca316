import {
  constants,
  createCipheriv,
  KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/** The three sealing scopes of kubeseal's `--scope`. */
export type SealScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export const SEAL_SCOPES: SealScope[] = [
  'strict',
  'namespace-wide',
  'cluster-wide',
];

/** Annotation that marks a non-strict scope (value "true"). */
export const SCOPE_ANNOTATIONS: Record<SealScope, string | undefined> = {
  strict: undefined,
  'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
  'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
};

/**
 * The OAEP label that binds a ciphertext to where it may be unsealed
 * (sealed-secrets `EncryptionLabel`): "<namespace>/<name>" for strict, the
 * namespace for namespace-wide, nothing for cluster-wide.
 */
export function encryptionLabel(
  namespace: string,
  name: string,
  scope: SealScope,
): Buffer {
  switch (scope) {
    case 'strict':
      return Buffer.from(`${namespace}/${name}`, 'utf8');
    case 'namespace-wide':
      return Buffer.from(namespace, 'utf8');
    case 'cluster-wide':
      return Buffer.alloc(0);
    default:
      throw new Error(`unknown sealing scope ${scope as string}`);
  }
}

/**
 * sealed-secrets `HybridEncrypt`: a fresh AES-256 key encrypts the value with
 * GCM (12-byte zero nonce, safe because the key is used once), RSA-OAEP
 * SHA-256 with the scope label wraps the key. Output:
 * uint16 BE length of the wrapped key ‖ wrapped key ‖ ciphertext ‖ GCM tag.
 */
export function hybridEncrypt(
  publicKey: KeyObject,
  plaintext: Buffer,
  label: Buffer,
): Buffer {
  const sessionKey = randomBytes(32);
  try {
    const wrappedKey = publicEncrypt(
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: label,
      },
      sessionKey,
    );
    const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(wrappedKey.length, 0);
    return Buffer.concat([length, wrappedKey, body, cipher.getAuthTag()]);
  } finally {
    sessionKey.fill(0);
  }
}

export type SealedSecretManifest = {
  apiVersion: 'bitnami.com/v1alpha1';
  kind: 'SealedSecret';
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec: {
    encryptedData: Record<string, string>;
    template: {
      metadata: {
        name: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      type: string;
    };
  };
};

export type SealOptions = {
  publicKey: KeyObject;
  /** The namespace the Secret finally lives in (also when the file omits it). */
  namespace: string;
  name: string;
  scope: SealScope;
  /** Raw bytes per key; binary values stay binary. */
  data: Map<string, Buffer>;
  type?: string;
  labels?: Record<string, string>;
  /**
   * Write metadata.namespace into the file. Flux layouts leave it out
   * (the Kustomization's targetNamespace sets it); sealing still uses it.
   */
  writeNamespace: boolean;
};

/**
 * Builds the SealedSecret kubeseal would: scope annotation on the object's own
 * metadata (the controller reads it there) and on the template, every value
 * encrypted on its own. Keys are sorted so re-sealing gives a stable diff.
 */
export function sealSecret(options: SealOptions): SealedSecretManifest {
  const { namespace, name, scope } = options;
  const label = encryptionLabel(namespace, name, scope);
  const scopeAnnotation = SCOPE_ANNOTATIONS[scope];
  const annotations = scopeAnnotation
    ? { [scopeAnnotation]: 'true' }
    : undefined;
  const encryptedData: Record<string, string> = {};
  for (const key of [...options.data.keys()].sort()) {
    encryptedData[key] = hybridEncrypt(
      options.publicKey,
      options.data.get(key)!,
      label,
    ).toString('base64');
  }
  const ns = options.writeNamespace ? { namespace } : {};
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name, ...ns, ...(annotations && { annotations }) },
    spec: {
      encryptedData,
      template: {
        metadata: {
          name,
          ...ns,
          ...(options.labels &&
            Object.keys(options.labels).length > 0 && {
              labels: options.labels,
            }),
          ...(annotations && { annotations }),
        },
        type: options.type ?? 'Opaque',
      },
    },
  };
}
