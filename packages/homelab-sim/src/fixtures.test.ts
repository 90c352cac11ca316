import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crdPath } from './kubernetes/api/crdRegistry';

/**
 * The upstream schemas the tests check the sim against are verbatim copies:
 * a formatter or a hand edit would quietly change what "valid" means. Each
 * fixture README lists the sha256 of its files.
 */
const folders = [
  'kubernetes/crds',
  'forge/gitea/__fixtures__',
  'proxmox/__fixtures__',
];

describe('reference copies', () => {
  for (const folder of folders) {
    const dir = path.join(__dirname, folder);
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const files = fs.readdirSync(dir).filter(f => f !== 'README.md');

    it.each(files)(`${folder}/%s matches the sha256 in its README`, file => {
      const sha = createHash('sha256')
        .update(fs.readFileSync(path.join(dir, file)))
        .digest('hex');
      const line = readme.split('\n').find(l => l.includes(sha));
      expect(line ?? `no line of ${folder}/README.md has ${sha}`).toContain(
        folder.endsWith('__fixtures__') ? 'sha256' : file,
      );
    });
  }

  // Where the project's reference folder is at hand, the copies are its bytes.
  const reference =
    process.env.HOMELAB_REFERENCE_DIR ??
    path.resolve(__dirname, '../../../../shared/reference');
  const pairs: [string, string][] = [
    [
      'forge/gitea/__fixtures__/gitea-swagger-v1.22.0.json',
      'gitea/gitea-swagger-v1.22.0.json',
    ],
    [
      'proxmox/__fixtures__/example-homelab.json',
      'proxmox/example-homelab.json',
    ],
    [
      'kubernetes/crds/bitnami.com_sealedsecrets.yaml',
      'sealed-secrets/bitnami.com_sealedsecrets.yaml',
    ],
    // Served from the scaffolder module's shipped copy (api/crdRegistry.ts).
    [
      path.relative(
        __dirname,
        crdPath('gateway.networking.k8s.io_httproutes.yaml'),
      ),
      'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
    ],
    [
      'kubernetes/crds/gateway.networking.k8s.io_gateways.yaml',
      'gateway-api/gateway.networking.k8s.io_gateways.yaml',
    ],
    [
      'kubernetes/crds/gateway.networking.k8s.io_gatewayclasses.yaml',
      'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
    ],
  ];
  const haveReference = fs.existsSync(reference);
  (haveReference ? describe : describe.skip)('against reference/', () => {
    it.each(pairs)('%s is byte-identical to reference/%s', (copy, original) => {
      expect(
        fs
          .readFileSync(path.resolve(__dirname, copy))
          .equals(fs.readFileSync(path.join(reference, original))),
      ).toBe(true);
    });
  });
});
