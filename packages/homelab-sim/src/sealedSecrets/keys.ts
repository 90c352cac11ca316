import * as x509 from '@peculiar/x509';
import {
  createPrivateKey,
  KeyObject,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import fs from 'node:fs';
import { StateDir } from '../state/StateDir';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Controller defaults (`cmd/controller/main.go`): `--key-size`, `--key-ttl`, `--my-cn`. */
export const CONTROLLER_KEY_SIZE = 4096;
const KEY_TTL_MS = 10 * 365 * 24 * 3600_000;

const SIGNING: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: CONTROLLER_KEY_SIZE,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

/** The controller's key pair: what `/v1/cert.pem` serves and `/v1/verify` decrypts with. */
export type SealingKeys = {
  certificatePem: string;
  privateKeys: KeyObject[];
};

/**
 * Loads the sealing key from `<state>/sealed-secrets/` or makes one the way
 * the controller does (`GeneratePrivateKeyAndCert`): RSA-4096, a self-signed
 * certificate with an empty subject, key usage EncipherOnly, CA:TRUE, a random
 * 128-bit serial, valid ten years. Kept across restarts because generating
 * an RSA-4096 key is slow, and because sealed values in the GitOps repository
 * must keep opening. Stored like the controller's `kubernetes.io/tls` Secret:
 * `tls.crt` and a PKCS#1 `tls.key`.
 */
export async function loadOrCreateSealingKeys(
  state: StateDir,
  options: { keySize?: number; now?: number } = {},
): Promise<SealingKeys> {
  const now = options.now ?? Date.now();
  const certFile = state.path('sealed-secrets/tls.crt');
  const keyFile = state.path('sealed-secrets/tls.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const certificatePem = fs.readFileSync(certFile, 'utf8');
    if (Date.parse(new X509Certificate(certificatePem).validTo) > now) {
      return {
        certificatePem,
        privateKeys: [createPrivateKey(fs.readFileSync(keyFile, 'utf8'))],
      };
    }
  }
  const algorithm = {
    ...SIGNING,
    modulusLength: options.keySize ?? CONTROLLER_KEY_SIZE,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] &= 0x7f; // a positive INTEGER, as Go's rand.Int below 2^128 gives
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: '',
    notBefore: new Date(now),
    notAfter: new Date(now + KEY_TTL_MS),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.encipherOnly, true),
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const privateKey = createPrivateKey({
    key: Buffer.from(
      await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    ),
    format: 'der',
    type: 'pkcs8',
  });
  const certificatePem = cert.toString('pem');
  state.writeSecret(
    'sealed-secrets/tls.key',
    privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  );
  state.writeFile('sealed-secrets/tls.crt', `${certificatePem}\n`);
  return { certificatePem: `${certificatePem}\n`, privateKeys: [privateKey] };
}
