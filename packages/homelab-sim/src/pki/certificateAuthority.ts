import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG: EcKeyGenParams & EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};

/** A certificate and its private key, both PEM. */
export type PemPair = { cert: string; key: string };

function pemKey(der: ArrayBuffer): string {
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(pem),
    ALG,
    true,
    ['sign'],
  ) as Promise<CryptoKey>;
}

function serial(): string {
  return webcrypto
    .getRandomValues(new Uint8Array(16))
    .reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7');
}

/**
 * The demo homelab's own certificate authority. Created once per state folder
 * and reused, so a portal that was told to trust it keeps trusting it across
 * restarts of the sim.
 */
export class CertificateAuthority {
  private constructor(
    readonly certPem: string,
    private readonly keyPem: string,
    private readonly cert: x509.X509Certificate,
  ) {}

  static async loadOrCreate(
    dir: string,
    commonName = 'HomeLab demo CA',
  ): Promise<CertificateAuthority> {
    const certFile = path.join(dir, 'ca.pem');
    const keyFile = path.join(dir, 'ca-key.pem');
    if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
      const certPem = fs.readFileSync(certFile, 'utf8');
      const cert = new x509.X509Certificate(certPem);
      if (cert.notAfter.getTime() > Date.now() + 24 * 3600_000) {
        return new CertificateAuthority(
          certPem,
          fs.readFileSync(keyFile, 'utf8'),
          cert,
        );
      }
    }
    const keys = (await webcrypto.subtle.generateKey(ALG, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const now = new Date();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=${commonName}, O=HomeLab Portal demo`,
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter: new Date(now.getTime() + 5 * 365 * 24 * 3600_000),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const certPem = cert.toString('pem');
    const keyPem = pemKey(
      await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(certFile, certPem);
    fs.writeFileSync(keyFile, keyPem, { mode: 0o600 });
    return new CertificateAuthority(certPem, keyPem, cert);
  }

  /** A TLS server certificate for loopback use, valid for the given names. */
  async issueServer(
    commonName: string,
    dnsNames: string[] = ['localhost'],
    ips: string[] = ['127.0.0.1', '127.0.0.2', '::1'],
  ): Promise<PemPair> {
    const keys = (await webcrypto.subtle.generateKey(ALG, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const caKey = await importKey(this.keyPem);
    const now = new Date();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${commonName}`,
      issuer: this.cert.subject,
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter: new Date(now.getTime() + 365 * 24 * 3600_000),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          ...dnsNames.map(value => ({ type: 'dns' as const, value })),
          ...ips.map(value => ({ type: 'ip' as const, value })),
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(this.cert),
      ],
    });
    return {
      cert: cert.toString('pem'),
      key: pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
    };
  }
}
