import * as x509 from '@peculiar/x509';
import crypto, { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A controller-like sealing key: RSA, self-signed certificate, private key for decrypting. */
export type SealingKey = {
  certPem: string;
  privateKey: crypto.KeyObject;
  privateKeyPem: string;
};

export async function createSealingKey(
  options: { bits?: number; notBefore?: Date; notAfter?: Date } = {},
): Promise<SealingKey> {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: options.bits ?? 2048,
  };
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=sealed-secret, O=sealed-secret',
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter:
      options.notAfter ?? new Date(Date.now() + 10 * 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
  });
  const pkcs8 = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
  );
  const privateKey = crypto.createPrivateKey({
    key: pkcs8,
    format: 'der',
    type: 'pkcs8',
  });
  return {
    certPem: cert.toString('pem'),
    privateKey,
    privateKeyPem: privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
}

/** A self-signed certificate with an EC key, which sealed-secrets cannot use. */
export async function createEcCertificate(): Promise<string> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '02',
    name: 'CN=not-rsa',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
  });
  return cert.toString('pem');
}

/**
 * An independent implementation of sealed-secrets' HybridDecrypt (written
 * from crypto.go's description, not from our seal.ts): split the length
 * prefix, RSA-OAEP-SHA256 unwrap with the label, AES-256-GCM open with a
 * zero nonce. Throws when the label (scope) does not match.
 */
export function unseal(
  privateKey: crypto.KeyObject,
  base64: string,
  label: Buffer,
): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  const keyLength = bytes.readUInt16BE(0);
  const wrapped = bytes.subarray(2, 2 + keyLength);
  const sealedBody = bytes.subarray(2 + keyLength);
  const sessionKey = crypto.privateDecrypt(
    {
      key: privateKey,
      padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: label,
    },
    wrapped,
  );
  const tag = sealedBody.subarray(sealedBody.length - 16);
  const decipher = crypto.createDecipheriv(
    'aes-256-gcm',
    sessionKey,
    Buffer.alloc(12),
  );
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(sealedBody.subarray(0, sealedBody.length - 16)),
    decipher.final(),
  ]);
}
