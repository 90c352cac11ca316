import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from './__testUtils__/actionContext';
import {
  fixtureRepo,
  fixturesDir,
  readTree,
  testConfig,
} from './__testUtils__/fixtures';
import { createSealingKey, SealingKey } from './__testUtils__/sealingKeys';
import { createAppGenerateAction } from './actions/appGenerate';
import { createGiteaPullRequestAction } from './actions/giteaPullRequest';
import { createRouteGenerateAction } from './actions/routeGenerate';
import { createSecretSealAction } from './actions/secretSeal';
import { MemoryRepoSnapshot } from './lib/repo/RepoSnapshot';
import { OpenedRepo } from './lib/repo/openRepo';
import { parseSealingCertificate } from './lib/sealing/certificate';
import { GitopsInputError } from './lib/validation/problems';

/**
 * Bad input, one case per line: each names the field and rule the refusal
 * must carry, and every case proves that nothing was written to the
 * workspace, no certificate was fetched (nothing was sealed) and no request
 * went to a forge.
 */

type Case = {
  action: 'app' | 'seal' | 'route' | 'pr';
  input: Record<string, unknown>;
  field: string;
  rule: string;
  repo?: 'flux' | 'argocd' | 'empty' | 'flux-without-chart';
  secrets?: Record<string, string>;
};

const app = {
  repoUrl: 'github.com?owner=home-ops&repo=home-ops',
  name: 'mealie',
  description: 'Recipes.',
  owner: 'group:home-admins',
  namespace: 'kitchen',
  image: 'ghcr.io/mealie-recipes/mealie:v3.4.0',
  port: 9000,
  hostname: 'recipes.home.example.org',
  targetPath: 'gitops',
};
const seal = {
  repoUrl: 'github.com?owner=home-ops&repo=home-ops',
  app: 'jellyfin',
  values: [{ key: 'API_KEY', secret: 'apiKey' }],
  targetPath: 'gitops',
};
const sealSecrets = { apiKey: 'the-secret-value-7d2e' };
const route = {
  repoUrl: 'github.com?owner=home-ops&repo=home-ops',
  app: 'homer',
  hostname: 'echo2.home.example.org',
  targetPath: 'gitops',
};
const pr = {
  repoUrl: 'gitea.home.example.org?owner=home-ops&repo=home-ops',
  branchName: 'homelab/add-mealie',
  title: 'feat(mealie): deploy',
  sourcePath: 'gitops',
};

const cases: Array<[string, Case]> = [
  // homelab:app:generate: names
  [
    'app name with capitals and _',
    {
      action: 'app',
      input: { ...app, name: 'My_App' },
      field: 'name',
      rule: 'dns1035-label',
    },
  ],
  [
    'app name starting with a digit',
    {
      action: 'app',
      input: { ...app, name: '1app' },
      field: 'name',
      rule: 'dns1035-label',
    },
  ],
  [
    'app name over 53 characters',
    {
      action: 'app',
      input: { ...app, name: `a${'b'.repeat(53)}` },
      field: 'name',
      rule: 'dns1035-label',
    },
  ],
  [
    'app name ending with "-"',
    {
      action: 'app',
      input: { ...app, name: 'mealie-' },
      field: 'name',
      rule: 'dns1035-label',
    },
  ],
  [
    'empty app name',
    {
      action: 'app',
      input: { ...app, name: '' },
      field: 'name',
      rule: 'required',
    },
  ],
  [
    'namespace kube-system',
    {
      action: 'app',
      input: { ...app, namespace: 'kube-system' },
      field: 'namespace',
      rule: 'reserved-namespace',
    },
  ],
  [
    'namespace flux-system',
    {
      action: 'app',
      input: { ...app, namespace: 'flux-system' },
      field: 'namespace',
      rule: 'reserved-namespace',
    },
  ],
  [
    'namespace kube-anything',
    {
      action: 'app',
      input: { ...app, namespace: 'kube-tools' },
      field: 'namespace',
      rule: 'reserved-namespace',
    },
  ],
  [
    'namespace of the Gateways',
    {
      action: 'app',
      input: { ...app, namespace: 'kube-system' },
      field: 'namespace',
      rule: 'reserved-namespace',
    },
  ],
  [
    'namespace with capitals',
    {
      action: 'app',
      input: { ...app, namespace: 'Kitchen' },
      field: 'namespace',
      rule: 'dns1123-label',
    },
  ],
  [
    'namespace over 63 characters',
    {
      action: 'app',
      input: { ...app, namespace: 'n'.repeat(64) },
      field: 'namespace',
      rule: 'dns1123-label',
    },
  ],
  // image
  [
    'image without a tag',
    {
      action: 'app',
      input: { ...app, image: 'nginx' },
      field: 'image',
      rule: 'image-tag',
    },
  ],
  [
    'image :latest',
    {
      action: 'app',
      input: { ...app, image: 'ghcr.io/org/app:latest' },
      field: 'image',
      rule: 'image-tag',
    },
  ],
  [
    'image with an uppercase path',
    {
      action: 'app',
      input: { ...app, image: 'ghcr.io/Org/App:1.0' },
      field: 'image',
      rule: 'image-reference',
    },
  ],
  [
    'image with a space',
    {
      action: 'app',
      input: { ...app, image: 'ghcr.io/org app:1.0' },
      field: 'image',
      rule: 'image-reference',
    },
  ],
  [
    'image with a short digest',
    {
      action: 'app',
      input: { ...app, image: 'ghcr.io/org/app:1.0@sha256:abc' },
      field: 'image',
      rule: 'image-reference',
    },
  ],
  [
    'image with a scheme',
    {
      action: 'app',
      input: { ...app, image: 'https://ghcr.io/org/app:1.0' },
      field: 'image',
      rule: 'image-reference',
    },
  ],
  // port
  [
    'port 0',
    {
      action: 'app',
      input: { ...app, port: 0 },
      field: 'port',
      rule: 'port-range',
    },
  ],
  [
    'port 65536',
    {
      action: 'app',
      input: { ...app, port: 65536 },
      field: 'port',
      rule: 'port-range',
    },
  ],
  [
    'port 80.5',
    {
      action: 'app',
      input: { ...app, port: 80.5 },
      field: 'port',
      rule: 'port-range',
    },
  ],
  [
    'port as text',
    {
      action: 'app',
      input: { ...app, port: '8080' },
      field: 'port',
      rule: 'port-range',
    },
  ],
  // hostname
  [
    'hostname outside the allowed domains',
    {
      action: 'app',
      input: { ...app, hostname: 'recipes.example.com' },
      field: 'hostname',
      rule: 'hostname-domain',
    },
  ],
  [
    'hostname two labels deep',
    {
      action: 'app',
      input: { ...app, hostname: 'a.recipes.home.example.org' },
      field: 'hostname',
      rule: 'hostname-single-label',
    },
  ],
  [
    'hostname with capitals',
    {
      action: 'app',
      input: { ...app, hostname: 'Recipes.home.example.org' },
      field: 'hostname',
      rule: 'hostname-syntax',
    },
  ],
  [
    'the apex domain as hostname',
    {
      action: 'app',
      input: { ...app, hostname: 'home.example.org' },
      field: 'hostname',
      rule: 'hostname-domain',
    },
  ],
  [
    'hostname with a scheme',
    {
      action: 'app',
      input: { ...app, hostname: 'https://recipes.home.example.org' },
      field: 'hostname',
      rule: 'hostname-syntax',
    },
  ],
  [
    'wildcard hostname',
    {
      action: 'app',
      input: { ...app, hostname: '*.home.example.org' },
      field: 'hostname',
      rule: 'hostname-syntax',
    },
  ],
  [
    'hostname of a look-alike domain',
    {
      action: 'app',
      input: { ...app, hostname: 'recipes.evilhome.example.org' },
      field: 'hostname',
      rule: 'hostname-domain',
    },
  ],
  [
    'unknown Gateway',
    {
      action: 'app',
      input: { ...app, exposure: 'dmz' },
      field: 'exposure',
      rule: 'gateway',
    },
  ],
  // the repository
  [
    'an app that already exists',
    {
      action: 'app',
      input: { ...app, name: 'jellyfin' },
      field: 'name',
      rule: 'app-exists',
    },
  ],
  [
    'a hostname another app serves',
    {
      action: 'app',
      input: { ...app, hostname: 'media.home.example.org' },
      field: 'hostname',
      rule: 'hostname-taken',
    },
  ],
  [
    'an Argo CD app that already exists',
    {
      action: 'app',
      repo: 'argocd',
      input: { ...app, name: 'whoami', category: 'dev', hostname: undefined },
      field: 'name',
      rule: 'app-exists',
    },
  ],
  [
    'an Argo CD category that does not exist',
    {
      action: 'app',
      repo: 'argocd',
      input: { ...app, category: 'games' },
      field: 'category',
      rule: 'argocd-category',
    },
  ],
  [
    'a repository with no known layout',
    {
      action: 'app',
      repo: 'empty',
      input: app,
      field: 'layout',
      rule: 'layout-detect',
    },
  ],
  [
    'no chart version to copy and none configured',
    {
      action: 'app',
      repo: 'flux-without-chart',
      input: app,
      field: 'repoUrl',
      rule: 'chart-version',
    },
  ],
  // persistence, env, catalog fields
  [
    'storage size in GB',
    {
      action: 'app',
      input: { ...app, persistence: { size: '5GB' } },
      field: 'persistence.size',
      rule: 'storage-size',
    },
  ],
  [
    'storage size zero',
    {
      action: 'app',
      input: { ...app, persistence: { size: '0Gi' } },
      field: 'persistence.size',
      rule: 'storage-size',
    },
  ],
  [
    'relative mount path',
    {
      action: 'app',
      input: { ...app, persistence: { size: '1Gi', mountPath: 'data' } },
      field: 'persistence.mountPath',
      rule: 'mount-path',
    },
  ],
  [
    'mount path with ..',
    {
      action: 'app',
      input: { ...app, persistence: { size: '1Gi', mountPath: '/a/../etc' } },
      field: 'persistence.mountPath',
      rule: 'mount-path',
    },
  ],
  [
    'env name starting with a digit',
    {
      action: 'app',
      input: { ...app, env: [{ name: '1FOO', value: 'x' }] },
      field: 'env[0].name',
      rule: 'env-name',
    },
  ],
  [
    'env name with "-"',
    {
      action: 'app',
      input: { ...app, env: [{ name: 'FOO-BAR', value: 'x' }] },
      field: 'env[0].name',
      rule: 'env-name',
    },
  ],
  [
    'env name twice',
    {
      action: 'app',
      input: {
        ...app,
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
      },
      field: 'env[1].name',
      rule: 'env-duplicate',
    },
  ],
  [
    'env TZ, which the portal sets',
    {
      action: 'app',
      input: { ...app, env: [{ name: 'TZ', value: 'UTC' }] },
      field: 'env[0].name',
      rule: 'env-duplicate',
    },
  ],
  [
    'owner that is not an entity ref',
    {
      action: 'app',
      input: { ...app, owner: 'the admins!' },
      field: 'owner',
      rule: 'entity-ref',
    },
  ],
  [
    'empty description',
    {
      action: 'app',
      input: { ...app, description: ' ' },
      field: 'description',
      rule: 'required',
    },
  ],
  [
    'description over 300 characters',
    {
      action: 'app',
      input: { ...app, description: 'd'.repeat(301) },
      field: 'description',
      rule: 'max-length',
    },
  ],
  [
    // It would land in the pull request title and the commit subject.
    'display name with a line break',
    {
      action: 'app',
      input: { ...app, title: 'Mealie\nfeat!: drop everything' },
      field: 'title',
      rule: 'one-line',
    },
  ],
  [
    // The app reads one Secret: sealed values beside a store item would be dropped.
    'values to seal and a secret store item at once',
    {
      action: 'app',
      input: {
        ...app,
        secretName: 'mealie-secret',
        externalSecret: { key: 'mealie' },
      },
      field: 'externalSecret',
      rule: 'one-secret-source',
    },
  ],
  [
    'secret name with capitals',
    {
      action: 'app',
      input: { ...app, secretName: 'Mealie_Secret' },
      field: 'secretName',
      rule: 'dns1123-subdomain',
    },
  ],

  // homelab:secret:seal
  [
    'nothing to seal',
    {
      action: 'seal',
      input: { ...seal, values: [{ key: '', secret: 'none' }] },
      field: 'values',
      rule: 'secret-values-empty',
    },
  ],
  [
    'secret key with a space',
    {
      action: 'seal',
      input: { ...seal, values: [{ key: 'API KEY', secret: 'apiKey' }] },
      secrets: sealSecrets,
      field: 'values[0].key',
      rule: 'secret-key',
    },
  ],
  [
    'secret key ".."',
    {
      action: 'seal',
      input: { ...seal, values: [{ key: '..', secret: 'apiKey' }] },
      secrets: sealSecrets,
      field: 'values[0].key',
      rule: 'secret-key',
    },
  ],
  [
    'secret key twice',
    {
      action: 'seal',
      input: {
        ...seal,
        values: [
          { key: 'A', secret: 'apiKey' },
          { key: 'A', secret: 'apiKey' },
        ],
      },
      secrets: sealSecrets,
      field: 'values[1].key',
      rule: 'secret-key-duplicate',
    },
  ],
  [
    'secret value missing',
    {
      action: 'seal',
      input: seal,
      secrets: {},
      field: 'values[0]',
      rule: 'secret-value-missing',
    },
  ],
  [
    'binary value that is not base64',
    {
      action: 'seal',
      input: {
        ...seal,
        values: [{ key: 'k.bin', secret: 'apiKey', encoding: 'base64' }],
      },
      secrets: { apiKey: 'not base64!' },
      field: 'values[0]',
      rule: 'secret-value-base64',
    },
  ],
  [
    'unknown scope',
    {
      action: 'seal',
      input: { ...seal, scope: 'global' },
      secrets: sealSecrets,
      field: 'scope',
      rule: 'seal-scope',
    },
  ],
  [
    'bad Secret type',
    {
      action: 'seal',
      input: { ...seal, type: 'my type' },
      secrets: sealSecrets,
      field: 'type',
      rule: 'secret-type',
    },
  ],
  [
    'bad Secret name',
    {
      action: 'seal',
      input: { ...seal, secretName: '-x' },
      secrets: sealSecrets,
      field: 'secretName',
      rule: 'dns1123-subdomain',
    },
  ],
  [
    'sealing for an app that does not exist',
    {
      action: 'seal',
      input: { ...seal, app: 'nextcloud' },
      secrets: sealSecrets,
      field: 'app',
      rule: 'app-not-found',
    },
  ],
  [
    'sealing for the wrong namespace',
    {
      action: 'seal',
      input: { ...seal, namespace: 'default' },
      secrets: sealSecrets,
      field: 'namespace',
      rule: 'namespace-mismatch',
    },
  ],
  [
    'sealing into a platform namespace',
    {
      action: 'seal',
      input: { ...seal, namespace: 'flux-system' },
      secrets: sealSecrets,
      field: 'namespace',
      rule: 'reserved-namespace',
    },
  ],
  [
    'envFrom for an app that is not app-template',
    {
      action: 'seal',
      input: { ...seal, app: 'homer', envFrom: true },
      secrets: sealSecrets,
      field: 'envFrom',
      rule: 'env-from',
    },
  ],

  // homelab:route:generate
  [
    'route path that is not absolute (CRD CEL rule)',
    {
      action: 'route',
      input: { ...route, pathPrefix: 'api' },
      field: 'route: spec.rules[0].matches[0].path',
      rule: 'crd-cel',
    },
  ],
  [
    'route path with // (CRD CEL rule)',
    {
      action: 'route',
      input: { ...route, pathPrefix: '/a//b' },
      field: 'route: spec.rules[0].matches[0].path',
      rule: 'crd-cel',
    },
  ],
  [
    'route path with %2F (CRD CEL rule)',
    {
      action: 'route',
      input: { ...route, pathPrefix: '/a%2Fb' },
      field: 'route: spec.rules[0].matches[0].path',
      rule: 'crd-cel',
    },
  ],
  [
    'route path over 1024 characters (CRD schema)',
    {
      action: 'route',
      input: { ...route, pathPrefix: `/${'p'.repeat(1024)}` },
      field: 'route: spec.rules[0].matches[0].path.value',
      rule: 'crd-schema:maxLength',
    },
  ],
  [
    'an app that already has route values',
    {
      action: 'route',
      input: { ...route, app: 'jellyfin', hostname: 'films.home.example.org' },
      field: 'app',
      rule: 'route-exists',
    },
  ],
  [
    'an app that already has an HTTPRoute',
    {
      action: 'route',
      repo: 'argocd',
      input: { ...route, app: 'whoami', hostname: 'who.home.example.org' },
      field: 'app',
      rule: 'route-exists',
    },
  ],
  [
    'a route hostname another app serves',
    {
      action: 'route',
      input: { ...route, hostname: 'media.home.example.org' },
      field: 'hostname',
      rule: 'hostname-taken',
    },
  ],
  [
    'a route for an unknown app',
    {
      action: 'route',
      input: { ...route, app: 'nextcloud' },
      field: 'app',
      rule: 'app-not-found',
    },
  ],
  [
    'route hostname outside the domains',
    {
      action: 'route',
      input: { ...route, hostname: 'echo.example.net' },
      field: 'hostname',
      rule: 'hostname-domain',
    },
  ],
  [
    'route to a port the Service lacks',
    {
      action: 'route',
      input: { ...route, app: 'jellyfin', port: 8443 },
      repo: 'argocd',
      field: 'port',
      rule: 'service-port',
    },
  ],
  [
    'route to a port the chart Service lacks',
    {
      action: 'route',
      input: { ...route, app: 'audiobookshelf', port: 8443 },
      field: 'port',
      rule: 'service-port',
    },
  ],
  [
    'route to a badly named Service',
    {
      action: 'route',
      input: { ...route, service: 'Echo' },
      field: 'service',
      rule: 'dns1035-label',
    },
  ],

  // homelab:gitea:pull-request
  [
    'branch name with a space',
    {
      action: 'pr',
      input: { ...pr, branchName: 'add mealie' },
      field: 'branchName',
      rule: 'git-branch',
    },
  ],
  [
    'branch name with ..',
    {
      action: 'pr',
      input: { ...pr, branchName: 'homelab/..x' },
      field: 'branchName',
      rule: 'git-branch',
    },
  ],
  [
    'branch name starting with -',
    {
      action: 'pr',
      input: { ...pr, branchName: '-force' },
      field: 'branchName',
      rule: 'git-branch',
    },
  ],
  [
    'branch name ending in .lock',
    {
      action: 'pr',
      input: { ...pr, branchName: 'homelab/x.lock' },
      field: 'branchName',
      rule: 'git-branch',
    },
  ],
  [
    'empty title',
    {
      action: 'pr',
      input: { ...pr, title: ' ' },
      field: 'title',
      rule: 'required',
    },
  ],
  [
    'target path leaving the repository',
    {
      action: 'pr',
      input: { ...pr, targetPath: '../other' },
      field: 'targetPath',
      rule: 'repo-path',
    },
  ],
  [
    'a host with no Gitea integration',
    {
      action: 'pr',
      input: { ...pr, repoUrl: 'github.com?owner=home-ops&repo=home-ops' },
      field: 'repoUrl',
      rule: 'gitea-integration',
    },
  ],
  [
    'nothing in the workspace to commit',
    {
      action: 'pr',
      input: { ...pr, sourcePath: 'empty' },
      field: 'sourcePath',
      rule: 'no-files',
    },
  ],
];

describe('bad input is refused with its field and rule, and nothing is written or pushed', () => {
  let key: SealingKey;
  let expired: SealingKey;
  const originalFetch = globalThis.fetch;
  const fetchCalls: string[] = [];

  beforeAll(async () => {
    key = await createSealingKey();
    expired = await createSealingKey({
      notBefore: new Date('2019-01-01'),
      notAfter: new Date('2020-01-01'),
    });
    globalThis.fetch = (async (url: unknown) => {
      fetchCalls.push(String(url));
      throw new Error('no network in this test');
    }) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = originalFetch;
  });

  function repoFor(name: Case['repo']): OpenedRepo {
    if (name === 'empty') {
      return {
        snapshot: new MemoryRepoSnapshot(new Map([['README.md', '# hi\n']])),
        webUrl: p => p,
      };
    }
    if (name === 'flux-without-chart') {
      const files = new Map<string, string>();
      for (const [p, c] of readTree(path.join(fixturesDir, 'flux'))) {
        if (!p.endsWith('ocirepository.yaml')) files.set(p, c);
      }
      return {
        snapshot: new MemoryRepoSnapshot(files, 'home-ops/flux@main'),
        webUrl: p => p,
      };
    }
    return fixtureRepo(name ?? 'flux');
  }

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (_name, c) => {
    const config = testConfig();
    const openRepo = jest.fn(async () => repoFor(c.repo));
    const fetchCertificate = jest.fn(async () =>
      parseSealingCertificate(key.certPem, 'the controller'),
    );
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          gitea: [{ host: 'gitea.home.example.org', password: 'token' }],
        },
      }),
    );
    const action = {
      app: () => createAppGenerateAction({ config, openRepo }),
      seal: () =>
        createSecretSealAction({ config, openRepo, fetchCertificate }),
      route: () => createRouteGenerateAction({ config, openRepo }),
      pr: () => createGiteaPullRequestAction({ integrations }),
    }[c.action]();

    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
    if (c.action === 'pr') {
      // A workspace with a change in it, and an empty folder.
      fs.mkdirSync(path.join(workspacePath, 'gitops/kubernetes'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(workspacePath, 'gitops/kubernetes/a.yaml'),
        'a: 1\n',
      );
      fs.mkdirSync(path.join(workspacePath, 'empty'));
    }
    const before = readTree(workspacePath);
    fetchCalls.length = 0;
    const ctx = createMockActionContext({
      input: c.input as any,
      workspacePath,
      secrets: c.secrets,
    });
    try {
      const error = await action.handler(ctx as any).then(
        () => undefined,
        e => e,
      );
      expect(error).toBeInstanceOf(GitopsInputError);
      expect(error.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: c.field, rule: c.rule }),
        ]),
      );
      expect(error.message).toContain(`${c.field}: `);
      expect(error.message).toContain(`[rule ${c.rule}]`);
      // Nothing was sealed: the certificate is fetched only after validation.
      expect(fetchCertificate).not.toHaveBeenCalled();
      // The secret's value is never part of a refusal.
      expect(error.message).not.toContain('the-secret-value-7d2e');
      // Nothing written, nothing pushed.
      expect(readTree(workspacePath)).toEqual(before);
      expect(fetchCalls).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  });

  it('refuses an expired controller certificate before writing anything', async () => {
    const action = createSecretSealAction({
      config: testConfig(),
      openRepo: async () => fixtureRepo('flux'),
      fetchCertificate: async () =>
        parseSealingCertificate(expired.certPem, 'the controller'),
    });
    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
    try {
      const ctx = createMockActionContext({
        input: seal as any,
        workspacePath,
        secrets: sealSecrets,
      });
      await expect(action.handler(ctx as any)).rejects.toThrow(
        /certificate from the controller expired on 2020-01-01T00:00:00.000Z/,
      );
      expect(readTree(workspacePath).size).toBe(0);
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  });

  it("refuses a second secret of the same name and leaves the first run's files as they were", async () => {
    const config = testConfig();
    const action = createSecretSealAction({
      config,
      openRepo: async () => fixtureRepo('flux'),
      fetchCertificate: async () =>
        parseSealingCertificate(key.certPem, 'the controller'),
    });
    const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
    try {
      await action.handler(
        createMockActionContext({
          input: seal as any,
          workspacePath,
          secrets: sealSecrets,
        }) as any,
      );
      const after = readTree(workspacePath);
      expect([...after.keys()]).toContain(
        'gitops/kubernetes/apps/media/jellyfin/app/sealedsecret.yaml',
      );
      const second = await action
        .handler(
          createMockActionContext({
            input: seal as any,
            workspacePath,
            secrets: sealSecrets,
          }) as any,
        )
        .catch(e => e);
      expect(second.problems).toEqual([
        expect.objectContaining({ field: 'secretName', rule: 'secret-exists' }),
      ]);
      expect(readTree(workspacePath)).toEqual(after);
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  });
});
