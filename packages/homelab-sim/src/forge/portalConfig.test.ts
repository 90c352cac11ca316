import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import {
  getGiteaRequestOptions,
  ScmIntegrations,
} from '@backstage/integration';
import Ajv from 'ajv';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ForgeUnderTest,
  startForgeSim,
  trustCaForFetch,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

/** The demo config's `{ $file: … }` references, read the way the portal's config loader does. */
function resolveFiles(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveFiles);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.$file === 'string')
      return fs.readFileSync(obj.$file, 'utf8');
    return Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [k, resolveFiles(v)]),
    );
  }
  return value;
}

/** The `integrations` fragment the sim writes, used by the portal's real URL readers. */
describe('forge portal config', () => {
  let forge: ForgeUnderTest;
  let config: ConfigReader;
  let raw: any;
  let restoreFetch: () => void;
  let originalCa: https.AgentOptions['ca'];

  beforeAll(async () => {
    forge = await startForgeSim();
    raw = parse(
      fs.readFileSync(
        path.join(forge.stateDir, 'app-config.demo.yaml'),
        'utf8',
      ),
    );
    config = new ConfigReader(resolveFiles(raw) as any);
    restoreFetch = trustCaForFetch(forge.dispatcher);
    // The GitHub URL reader uses node-fetch, which takes https.globalAgent; the
    // portal trusts the CA through NODE_EXTRA_CA_CERTS, which a running test
    // process cannot set. Add the CA to the agent for this file only.
    originalCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = forge.sim.caPem;
  });

  afterAll(async () => {
    // Agent options win over per-request options, so a key left behind as
    // `ca: undefined` would silently drop the `ca` of every later request in
    // this worker: delete it rather than assign undefined.
    if (originalCa === undefined) delete https.globalAgent.options.ca;
    else https.globalAgent.options.ca = originalCa;
    restoreFetch?.();
    await forge?.close();
  });

  it('matches @backstage/integration’s config schema and keeps the token out of the file', () => {
    const schemaFile = path.join(
      path.dirname(require.resolve('@backstage/integration/package.json')),
      'config.schema.json',
    );
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    const resolved = resolveFiles(raw);
    expect(validate(resolved)).toBe(true);
    expect(raw.integrations.github).toEqual([
      {
        host: forge.host,
        apiBaseUrl: `${forge.url}/api/v3`,
        token: { $file: path.join(forge.stateDir, 'forge/token') },
      },
    ]);
    expect(raw.integrations.gitea).toEqual([
      {
        host: forge.host,
        baseUrl: forge.url,
        password: { $file: path.join(forge.stateDir, 'forge/token') },
      },
    ]);
    expect(JSON.stringify(raw)).not.toContain(forge.token);
  });

  it('lets the GitHub URL reader read a file and a folder of the Flux repository', async () => {
    const reader = UrlReaders.default({
      logger: mockServices.logger.mock(),
      config,
    });
    const file = await reader.readUrl(
      `${forge.url}/home-ops/home-ops/blob/main/kubernetes/apps/media/kustomization.yaml`,
    );
    expect((await file.buffer()).toString()).toContain('./immich/ks.yaml');
    const tree = await reader.readTree(
      `${forge.url}/home-ops/home-ops/tree/main/kubernetes/apps/media/immich`,
    );
    const files = (await tree.files()).map(f => f.path).sort();
    expect(files).toEqual([
      'app/helmrelease.yaml',
      'app/kustomization.yaml',
      'app/ocirepository.yaml',
      'ks.yaml',
    ]);
    const found = await reader.search(
      `${forge.url}/home-ops/home-ops/blob/main/kubernetes/apps/*/kustomization.yaml`,
    );
    expect(found.files.length).toBe(5);
  });

  it('has the catalog read every catalog-info.yaml of each GitOps repository', async () => {
    const reader = UrlReaders.default({
      logger: mockServices.logger.mock(),
      config,
    });
    const targets = raw.catalog.locations.map((l: any) => l.target);
    expect(targets).toEqual([
      `${forge.url}/home-ops/home-ops/blob/main/**/catalog-info.yaml`,
      `${forge.url}/home-ops/k8s-gitops/blob/main/**/catalog-info.yaml`,
    ]);
    for (const target of targets) {
      const { files } = await reader.search(target);
      const found = await Promise.all(
        files.map(async f => ({
          url: f.url,
          entity: parse((await f.content()).toString()),
        })),
      );
      // The repository's own entity at its root: the glob never finds nothing.
      const repo = target.split('/')[4];
      expect(found).toEqual([
        {
          url: target.replace('**/', ''),
          entity: expect.objectContaining({
            kind: 'Resource',
            metadata: expect.objectContaining({ name: repo }),
            spec: expect.objectContaining({ type: 'git-repository' }),
          }),
        },
      ]);
    }
  });

  it('lets the Gitea integration and URL reader talk to the Gitea API', async () => {
    const gitea = ScmIntegrations.fromConfig(config).gitea.byHost(forge.host)!;
    const { headers } = getGiteaRequestOptions(gitea.config) as {
      headers: Record<string, string>;
    };
    const user = await fetch(`${gitea.config.baseUrl}/api/v1/user`, {
      headers,
    });
    expect(((await user.json()) as any).login).toBe('homelab-portal');

    // Only the Gitea integration configured, so its reader is the one used.
    const giteaOnly = new ConfigReader({
      integrations: { gitea: (resolveFiles(raw) as any).integrations.gitea },
    });
    const reader = UrlReaders.default({
      logger: mockServices.logger.mock(),
      config: giteaOnly,
    });
    const file = await reader.readUrl(
      `${forge.url}/home-ops/k8s-gitops/src/branch/main/k8s/apps/kustomization.yaml`,
    );
    expect((await file.buffer()).toString()).toContain('application-set.yaml');
    const tree = await reader.readTree(
      `${forge.url}/home-ops/k8s-gitops/src/branch/main/k8s/apps/media`,
    );
    const files = (await tree.files()).map(f => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'project.yaml',
        'immich/deployment.yaml',
        'immich/http-route.yaml',
      ]),
    );
  });
});
