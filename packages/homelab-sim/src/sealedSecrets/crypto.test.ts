import {
  createPrivateKey,
  constants,
  createDecipheriv,
  generateKeyPairSync,
  KeyObject,
  privateDecrypt,
  X509Certificate,
} from 'node:crypto';
import * as x509 from '@peculiar/x509';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StateDir } from '../state/StateDir';
import {
  hybridDecrypt,
  hybridEncrypt,
  scopeFromAnnotations,
  scopeLabel,
  sealSecret,
  sealingPublicKey,
  sealValue,
  unsealSecret,
  unsealValue,
  UnsealError,
} from './crypto';
import { loadOrCreateSealingKeys } from './keys';

// Starting servers, an RSA-4096 key or a backend takes seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * An independent reading of the format in notes/gitops-sealed-secrets-httproute.md
 * §1.1, written straight on node:crypto and sharing no code with crypto.ts.
 */
function independentOpen(privateKey: KeyObject, b64: string, label: string) {
  const bytes = Buffer.from(b64, 'base64');
  const rsaLength = bytes[0] * 256 + bytes[1];
  const sessionKey = privateDecrypt(
    {
      key: privateKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: Buffer.from(label, 'utf8'),
    },
    bytes.subarray(2, 2 + rsaLength),
  );
  const sealedBody = bytes.subarray(2 + rsaLength);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    sessionKey,
    Buffer.alloc(12, 0),
  );
  decipher.setAuthTag(sealedBody.subarray(sealedBody.length - 16));
  return Buffer.concat([
    decipher.update(sealedBody.subarray(0, sealedBody.length - 16)),
    decipher.final(),
  ]).toString('utf8');
}

describe('sealed-secrets crypto', () => {
  let certificatePem: string;
  let privateKey: KeyObject;
  let stateRoot: string;

  beforeAll(async () => {
    stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sealing-keys-'));
    const keys = await loadOrCreateSealingKeys(new StateDir(stateRoot));
    certificatePem = keys.certificatePem;
    privateKey = keys.privateKeys[0];
  });

  afterAll(() => fs.rmSync(stateRoot, { recursive: true, force: true }));

  it('makes the controller-style key: RSA-4096, self-signed, EncipherOnly, CA, ten years', () => {
    const cert = new X509Certificate(certificatePem);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    // Self-signed with an empty subject, as `--my-cn` defaults to "".
    expect(cert.subject).toBeUndefined();
    expect(cert.verify(cert.publicKey)).toBe(true);
    const parsed = new x509.X509Certificate(certificatePem);
    const basic = parsed.getExtension(x509.BasicConstraintsExtension);
    expect(basic?.ca).toBe(true);
    expect(basic?.critical).toBe(true);
    const usage = parsed.getExtension(x509.KeyUsagesExtension);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.encipherOnly);
    expect(BigInt(`0x${parsed.serialNumber}`)).toBeGreaterThan(0n);
    const years =
      (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) /
      (365 * 24 * 3600_000);
    expect(Math.round(years)).toBe(10);
    // The private key is stored as the controller's Secret holds it: PKCS#1, 0600.
    const keyFile = path.join(stateRoot, 'sealed-secrets/tls.key');
    const stored = fs.readFileSync(keyFile, 'utf8');
    // PKCS#1: re-encoding the parsed key as PKCS#1 gives the file back.
    expect(
      createPrivateKey(stored).export({ type: 'pkcs1', format: 'pem' }),
    ).toBe(stored);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('reuses the stored key instead of generating a new one', async () => {
    const again = await loadOrCreateSealingKeys(new StateDir(stateRoot));
    expect(again.certificatePem).toBe(certificatePem);
    expect(
      again.privateKeys[0].export({ type: 'pkcs8', format: 'der' }),
    ).toEqual(privateKey.export({ type: 'pkcs8', format: 'der' }));
  });

  it('binds each scope to the label of the notes (TestEncryptionLabel)', () => {
    expect(scopeLabel('strict', 'myns', 'myname').toString()).toBe(
      'myns/myname',
    );
    expect(scopeLabel('namespace-wide', 'myns', 'myname').toString()).toBe(
      'myns',
    );
    expect(scopeLabel('cluster-wide', 'myns', 'myname')).toHaveLength(0);
    expect(scopeFromAnnotations(undefined)).toBe('strict');
    expect(
      scopeFromAnnotations({
        'sealedsecrets.bitnami.com/namespace-wide': 'true',
      }),
    ).toBe('namespace-wide');
    expect(
      scopeFromAnnotations({
        'sealedsecrets.bitnami.com/namespace-wide': 'true',
        'sealedsecrets.bitnami.com/cluster-wide': 'true',
      }),
    ).toBe('cluster-wide');
    // Only the exact value "true" counts.
    expect(
      scopeFromAnnotations({ 'sealedsecrets.bitnami.com/cluster-wide': 'yes' }),
    ).toBe('strict');
  });

  it.each([
    ['strict', 'media/immich-db', 'media', 'immich-db'],
    ['namespace-wide', 'media', 'media', 'anything'],
    ['cluster-wide', '', 'anywhere', 'anything'],
  ] as const)(
    'seals %s values that an independent decrypt opens with label "%s"',
    (scope, label, namespace, name) => {
      const value = sealValue(
        certificatePem,
        { namespace: 'media', name: 'immich-db', scope },
        's3cr3t ünïcode',
      );
      // 4096-bit key: 2-byte length 0x0200, so the value starts with "Ag".
      expect(value).toMatch(/^Ag[A-D]/);
      expect(Buffer.from(value, 'base64')).toHaveLength(
        2 + 512 + Buffer.byteLength('s3cr3t ünïcode') + 16,
      );
      expect(independentOpen(privateKey, value, label)).toBe('s3cr3t ünïcode');
      // And our own unseal agrees for the target the scope allows.
      expect(
        unsealValue([privateKey], { namespace, name, scope }, value).toString(),
      ).toBe('s3cr3t ünïcode');
    },
  );

  it('refuses a value under another label, a tampered value and another key', () => {
    const target = {
      namespace: 'media',
      name: 'immich-db',
      scope: 'strict' as const,
    };
    const value = sealValue(certificatePem, target, 'pw');
    expect(() =>
      unsealValue([privateKey], { ...target, name: 'other' }, value),
    ).toThrow(UnsealError);
    expect(() =>
      unsealValue([privateKey], { ...target, scope: 'namespace-wide' }, value),
    ).toThrow(UnsealError);
    const bytes = Buffer.from(value, 'base64');
    bytes[bytes.length - 1] ^= 1; // flip a bit of the GCM tag
    expect(() =>
      unsealValue([privateKey], target, bytes.toString('base64')),
    ).toThrow('message authentication failed');
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    }).privateKey;
    expect(() => unsealValue([other], target, value)).toThrow(
      'no key could decrypt',
    );
    // With several keys (old keys are kept), the right one is found.
    expect(unsealValue([other, privateKey], target, value).toString()).toBe(
      'pw',
    );
  });

  it('round-trips binary data and empty values with any RSA key size', () => {
    const { publicKey, privateKey: key2048 } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    const binary = Buffer.from([0, 255, 1, 254, 0]);
    const sealed = hybridEncrypt(publicKey, binary, Buffer.from('ns/n'));
    expect(sealed.subarray(0, 2)).toEqual(Buffer.from([1, 0])); // 256-byte RSA block
    expect(hybridDecrypt([key2048], sealed, Buffer.from('ns/n'))).toEqual(
      binary,
    );
    const empty = hybridEncrypt(publicKey, Buffer.alloc(0), Buffer.alloc(0));
    expect(hybridDecrypt([key2048], empty, Buffer.alloc(0))).toHaveLength(0);
    expect(() =>
      hybridDecrypt([key2048], Buffer.from([2]), Buffer.alloc(0)),
    ).toThrow('too short');
  });

  it('builds the SealedSecret kubeseal would, and unseals it by its own metadata', () => {
    const sealed = sealSecret(
      certificatePem,
      {
        metadata: {
          name: 'vault',
          namespace: 'security',
          labels: { app: 'vw' },
        },
        type: 'Opaque',
        data: { ADMIN_TOKEN: Buffer.from('tok').toString('base64') },
        stringData: { SMTP_PASSWORD: 'mail' },
      },
      'namespace-wide',
    );
    expect(sealed).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        name: 'vault',
        namespace: 'security',
        annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
      },
      spec: {
        template: {
          metadata: {
            name: 'vault',
            namespace: 'security',
            labels: { app: 'vw' },
            annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' },
          },
          type: 'Opaque',
        },
      },
    });
    expect(Object.keys(sealed.spec.encryptedData)).toEqual([
      'ADMIN_TOKEN',
      'SMTP_PASSWORD',
    ]);
    const opened = unsealSecret([privateKey], sealed);
    expect(opened.ADMIN_TOKEN.toString()).toBe('tok');
    expect(opened.SMTP_PASSWORD.toString()).toBe('mail');
    // Moving it to another namespace breaks it; renaming it does not (namespace-wide).
    expect(() =>
      unsealSecret([privateKey], {
        ...sealed,
        metadata: { ...sealed.metadata, namespace: 'media' },
      }),
    ).toThrow('unable to decrypt sealed secret key "ADMIN_TOKEN"');
    expect(
      Object.keys(
        unsealSecret([privateKey], {
          ...sealed,
          metadata: { ...sealed.metadata, name: 'renamed' },
        }),
      ),
    ).toHaveLength(2);
    // The strict form carries no scope annotation at all.
    const strict = sealSecret(certificatePem, {
      metadata: { name: 'n', namespace: 'ns' },
      stringData: { a: 'b' },
    });
    expect(strict.metadata.annotations).toBeUndefined();
  });

  it('refuses an expired sealing certificate like kubeseal', () => {
    expect(() =>
      sealValue(
        certificatePem,
        { namespace: 'a', name: 'b', scope: 'strict' },
        'x',
      ),
    ).not.toThrow();
    const cert = new X509Certificate(certificatePem);
    const afterExpiry = Date.parse(cert.validTo) + 1000;
    expect(() => sealingPublicKey(certificatePem, afterExpiry)).toThrow(
      /expired/,
    );
    expect(() =>
      sealValue(
        'not a cert',
        { namespace: 'a', name: 'b', scope: 'strict' },
        'x',
      ),
    ).toThrow(/not a PEM X.509 certificate/);
  });
});
