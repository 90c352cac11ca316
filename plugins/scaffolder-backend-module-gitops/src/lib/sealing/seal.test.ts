import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createEcCertificate,
  createSealingKey,
  SealingKey,
  unseal,
} from '../../__testUtils__/sealingKeys';
import { parseSealingCertificate } from './certificate';
import { encryptionLabel, hybridEncrypt, sealSecret, SealScope } from './seal';

describe('sealing', () => {
  let key: SealingKey;
  beforeAll(async () => {
    key = await createSealingKey();
  });

  it('uses the OAEP labels of sealed-secrets TestEncryptionLabel', () => {
    expect(encryptionLabel('myns', 'myname', 'strict').toString()).toBe(
      'myns/myname',
    );
    expect(encryptionLabel('myns', 'myname', 'namespace-wide').toString()).toBe(
      'myns',
    );
    expect(encryptionLabel('myns', 'myname', 'cluster-wide').length).toBe(0);
  });

  it('produces the HybridEncrypt wire format', () => {
    const cert = parseSealingCertificate(key.certPem, 'test');
    const out = hybridEncrypt(
      cert.publicKey,
      Buffer.from('hunter2'),
      Buffer.from('a/b'),
    );
    // 2048-bit key: length prefix 0x0100, then 256 + plaintext + 16 bytes.
    expect(out.readUInt16BE(0)).toBe(256);
    expect(out.length).toBe(2 + 256 + 7 + 16);
    expect(out.toString('base64').startsWith('AQ')).toBe(true);
  });

  const binary = crypto.randomBytes(300); // includes zero bytes and invalid UTF-8
  const cases: Array<[SealScope, string | undefined]> = [
    ['strict', undefined],
    ['namespace-wide', 'sealedsecrets.bitnami.com/namespace-wide'],
    ['cluster-wide', 'sealedsecrets.bitnami.com/cluster-wide'],
  ];

  it.each(cases)(
    'seals %s: right annotation, decrypts with its label, binary-safe',
    (scope, annotation) => {
      const cert = parseSealingCertificate(key.certPem, 'test');
      const manifest = sealSecret({
        publicKey: cert.publicKey,
        namespace: 'media',
        name: 'jellyfin-secret',
        scope,
        data: new Map([
          ['API_KEY', Buffer.from('s3cr3t-ünïcode')],
          ['blob.bin', binary],
        ]),
        writeNamespace: true,
      });
      expect(manifest.metadata.annotations).toEqual(
        annotation ? { [annotation]: 'true' } : undefined,
      );
      expect(manifest.spec.template.metadata.annotations).toEqual(
        manifest.metadata.annotations,
      );
      expect(Object.keys(manifest.spec.encryptedData)).toEqual([
        'API_KEY',
        'blob.bin',
      ]);
      const label = encryptionLabel('media', 'jellyfin-secret', scope);
      expect(
        unseal(
          key.privateKey,
          manifest.spec.encryptedData.API_KEY,
          label,
        ).toString(),
      ).toBe('s3cr3t-ünïcode');
      expect(
        unseal(
          key.privateKey,
          manifest.spec.encryptedData['blob.bin'],
          label,
        ).equals(binary),
      ).toBe(true);
    },
  );

  it.each([
    [
      'strict',
      [
        ['media', 'other-secret'],
        ['other', 'jellyfin-secret'],
      ],
    ],
    [
      'namespace-wide',
      [
        ['other', 'jellyfin-secret'],
        ['media', 'x'],
      ],
    ],
  ] as Array<[SealScope, string[][]]>)(
    'a %s value does not decrypt under another label',
    (scope, wrong) => {
      const cert = parseSealingCertificate(key.certPem, 'test');
      const manifest = sealSecret({
        publicKey: cert.publicKey,
        namespace: 'media',
        name: 'jellyfin-secret',
        scope,
        data: new Map([['K', Buffer.from('v')]]),
        writeNamespace: true,
      });
      const right = encryptionLabel('media', 'jellyfin-secret', scope);
      const labels = wrong
        .flatMap(([ns, name]) =>
          (['strict', 'namespace-wide', 'cluster-wide'] as SealScope[]).map(s =>
            encryptionLabel(ns, name, s),
          ),
        )
        .filter(label => !label.equals(right));
      const privateKey = key.privateKey;
      const value = manifest.spec.encryptedData.K;
      const opened = labels.filter(label => {
        try {
          unseal(privateKey, value, label);
          return true;
        } catch {
          return false;
        }
      });
      expect(labels.length).toBeGreaterThan(3);
      expect(opened).toEqual([]);
      expect(unseal(privateKey, value, right).toString()).toBe('v');
    },
  );

  it('is decrypted by openssl (an implementation that is not Node)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-openssl-'));
    try {
      const cert = parseSealingCertificate(key.certPem, 'test');
      const label = Buffer.from('media/jellyfin-secret');
      const out = hybridEncrypt(cert.publicKey, Buffer.from('hello'), label);
      const n = out.readUInt16BE(0);
      fs.writeFileSync(path.join(dir, 'wrapped'), out.subarray(2, 2 + n));
      fs.writeFileSync(path.join(dir, 'key.pem'), key.privateKeyPem);
      const sessionKey = execFileSync('openssl', [
        'pkeyutl',
        '-decrypt',
        '-inkey',
        path.join(dir, 'key.pem'),
        '-in',
        path.join(dir, 'wrapped'),
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        'rsa_mgf1_md:sha256',
        '-pkeyopt',
        `rsa_oaep_label:${label.toString('hex')}`,
      ]);
      expect(sessionKey.length).toBe(32);
      const body = out.subarray(2 + n);
      const d = crypto.createDecipheriv(
        'aes-256-gcm',
        sessionKey,
        Buffer.alloc(12),
      );
      d.setAuthTag(body.subarray(body.length - 16));
      expect(
        Buffer.concat([
          d.update(body.subarray(0, body.length - 16)),
          d.final(),
        ]).toString(),
      ).toBe('hello');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an expired certificate, a non-certificate and a non-RSA key', async () => {
    const expired = await createSealingKey({
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    expect(() =>
      parseSealingCertificate(expired.certPem, 'the controller'),
    ).toThrow(/expired on 2021-01-01T00:00:00.000Z/);
    expect(() => parseSealingCertificate('hello', 'config')).toThrow(
      /not a PEM certificate/,
    );
    const { publicKey } = crypto.generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    });
    expect(() =>
      parseSealingCertificate(
        publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        'url',
      ),
    ).toThrow(/not a PEM certificate/);
    const ec = await createEcCertificate();
    expect(() => parseSealingCertificate(ec, 'config')).toThrow(
      /has a ec key; sealed-secrets needs RSA/,
    );
  });
});
