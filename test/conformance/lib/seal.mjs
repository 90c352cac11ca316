// kubeseal's strict-scope sealing (notes/gitops-sealed-secrets-httproute.md
// §1.1-§1.3), written here from the notes rather than taken from the sim, so
// the sim's controller is checked against an independent implementation.
import crypto from 'node:crypto';

export function sealStrict(certificatePem, { name, namespace, values }) {
  const publicKey = new crypto.X509Certificate(certificatePem).publicKey;
  const label = Buffer.from(`${namespace}/${name}`);
  const encryptedData = {};
  for (const [key, value] of Object.entries(values)) {
    const sessionKey = crypto.randomBytes(32);
    const wrapped = crypto.publicEncrypt(
      {
        key: publicKey,
        padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: label,
      },
      sessionKey,
    );
    const cipher = crypto.createCipheriv(
      'aes-256-gcm',
      sessionKey,
      Buffer.alloc(12),
    );
    const sealed = Buffer.concat([
      cipher.update(value, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(wrapped.length);
    encryptedData[key] = Buffer.concat([length, wrapped, sealed]).toString(
      'base64',
    );
  }
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name, namespace },
    spec: {
      encryptedData,
      template: { metadata: { name, namespace }, type: 'Opaque' },
    },
  };
}
