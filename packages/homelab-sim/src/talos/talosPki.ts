import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * The demo cluster's own Talos OS CA, separate from the sim's HTTPS CA just as
 * a real cluster's Talos CA is separate from everything else. Ed25519 like
 * Talos's defaults (siderolabs/crypto `PureEd25519`), keys PEM-encoded as
 * PKCS#8 under Talos's non-standard `ED25519 PRIVATE KEY` label, so the
 * portal meets the same key files a real talosconfig carries.
 */
const ED25519 = { name: 'Ed25519' };

/** The PEM label Talos writes Ed25519 keys under. */
export const TALOS_KEY_LABEL = 'ED25519 PRIVATE KEY';

export type TalosPemPair = { cert: string; key: string };

function serial(): string {
  return webcrypto
    .getRandomValues(new Uint8Array(16))
    .reduce((s, b) => s + b.toString(16).padStart(2, '0'), '5');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ED25519, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function talosKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', key),
    TALOS_KEY_LABEL,
  );
}

/** Node's TLS stack only reads PKCS#8 under the standard label. */
export function standardKeyPem(pem: string): string {
  return pem.replace(
    /-----(BEGIN|END) ED25519 PRIVATE KEY-----/g,
    '-----$1 PRIVATE KEY-----',
  );
}

async function importKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(standardKeyPem(pem)),
    ED25519,
    true,
    ['sign'],
  ) as Promise<CryptoKey>;
}

const DAY = 24 * 3600_000;

export class TalosCa {
  private constructor(
    readonly certPem: string,
    private readonly keyPem: string,
    private readonly cert: x509.X509Certificate,
  ) {}

  /** Created once per state folder (`<state>/talos/ca.crt`, `ca.key`). */
  static async loadOrCreate(dir: string): Promise<TalosCa> {
    const certFile = path.join(dir, 'ca.crt');
    const keyFile = path.join(dir, 'ca.key');
    if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
      const certPem = fs.readFileSync(certFile, 'utf8');
      const cert = new x509.X509Certificate(certPem);
      if (cert.notAfter.getTime() > Date.now() + DAY) {
        return new TalosCa(certPem, fs.readFileSync(keyFile, 'utf8'), cert);
      }
    }
    return TalosCa.create(dir);
  }

  /** A fresh CA; with `dir`, written there. Tests use it for a foreign CA. */
  static async create(dir?: string): Promise<TalosCa> {
    const keys = await newKeys();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      // Talos names its OS CA after the organization "talos".
      name: 'O=talos',
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + 10 * 365 * DAY),
      keys,
      signingAlgorithm: ED25519,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.digitalSignature |
            x509.KeyUsageFlags.cRLSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.serverAuth,
          x509.ExtendedKeyUsage.clientAuth,
        ]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const certPem = cert.toString('pem');
    const keyPem = await talosKeyPem(keys.privateKey);
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'ca.crt'), certPem);
      fs.writeFileSync(path.join(dir, 'ca.key'), keyPem, { mode: 0o600 });
    }
    return new TalosCa(certPem, keyPem, cert);
  }

  /** apid's server certificate: every node address, 127.0.0.1, hostname (api_cert_sans.go). */
  async issueServer(hostname: string, ips: string[]): Promise<TalosPemPair> {
    return this.issue({
      subject: `CN=${hostname}`,
      usages: x509.KeyUsageFlags.digitalSignature,
      eku: [x509.ExtendedKeyUsage.serverAuth],
      sans: [
        ...[hostname, 'localhost'].map(value => ({
          type: 'dns' as const,
          value,
        })),
        ...[...ips, '127.0.0.1', '::1'].map(value => ({
          type: 'ip' as const,
          value,
        })),
      ],
    });
  }

  /**
   * A client certificate as `talosctl config new --roles` makes it: the roles
   * in the subject Organization, digital signature, EKU client auth only.
   */
  async issueClient(
    roles: string[],
    commonName = 'admin',
    extendedKeyUsage: string[] = [x509.ExtendedKeyUsage.clientAuth],
  ): Promise<TalosPemPair> {
    const org = roles.map(r => `O=${r}`).join(', ');
    return this.issue({
      subject: org ? `${org}, CN=${commonName}` : `CN=${commonName}`,
      usages: x509.KeyUsageFlags.digitalSignature,
      eku: extendedKeyUsage,
    });
  }

  private async issue(options: {
    subject: string;
    usages: number;
    eku: string[];
    sans?: x509.JsonGeneralName[];
  }): Promise<TalosPemPair> {
    const keys = await newKeys();
    const now = Date.now();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(options.usages, true),
      new x509.ExtendedKeyUsageExtension(options.eku),
      await x509.AuthorityKeyIdentifierExtension.create(this.cert),
    ];
    if (options.sans) {
      extensions.push(new x509.SubjectAlternativeNameExtension(options.sans));
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: options.subject,
      issuer: this.cert.subject,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + 365 * DAY),
      publicKey: keys.publicKey,
      signingKey: await importKey(this.keyPem),
      signingAlgorithm: ED25519,
      extensions,
    });
    return {
      cert: cert.toString('pem'),
      key: await talosKeyPem(keys.privateKey),
    };
  }
}
