import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { parse } from 'yaml';
import { git, SimUnderTest, startSim } from '../__testUtils__/sim';
import { SealingCertificateSource } from '../lib/sealing/certificateSource';
import { createAppGenerateAction } from './appGenerate';
import { examples as appExamples } from './appGenerate.examples';
import { createGiteaPullRequestAction } from './giteaPullRequest';
import { examples as prExamples } from './giteaPullRequest.examples';
import { createRouteGenerateAction } from './routeGenerate';
import { examples as routeExamples } from './routeGenerate.examples';
import { createSecretSealAction } from './secretSeal';
import { examples as sealExamples } from './secretSeal.examples';

/**
 * Every documented example of every homelab action runs as written against
 * the demo homelab (one sim for all four; only the forge host differs).
 */
jest.setTimeout(180_000);

describe('action examples', () => {
  let s: SimUnderTest;
  let workspacePath: string;

  beforeAll(async () => {
    s = await startSim();
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-examples-'));
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  /** The example's step input, pointed at the sim's forge. */
  function inputOf(example: { example: string }): Record<string, any> {
    const step = parse(example.example).steps[0];
    const input = { ...step.input };
    const gitea = String(input.repoUrl).startsWith('gitea.');
    input.repoUrl = String(input.repoUrl).replace(/^[^?]+/, s.forgeHost);
    if (gitea && step.action !== 'homelab:gitea:pull-request')
      input.forge = 'gitea';
    return input;
  }

  async function run(
    action: any,
    input: Record<string, unknown>,
    secrets?: Record<string, string>,
  ) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath,
      secrets,
    });
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('homelab:app:generate examples', async () => {
    const action = createAppGenerateAction({
      config: s.config,
      openRepo: s.openRepo,
    });
    const [flux, argoDryRun, noRoute, argoNoRoute] = appExamples;
    const out = await run(action, inputOf(flux));
    expect(out.layout).toBe('flux');
    expect(
      fs.existsSync(path.join(workspacePath, 'gitops', out.appPath, 'ks.yaml')),
    ).toBe(true);
    const dry = await run(action, inputOf(argoDryRun));
    expect(dry.layout).toBe('argocd');
    expect(dry.files).toContain('k8s/apps/productivity/project.yaml');
    // dryRun: planned, not written.
    expect(fs.existsSync(path.join(workspacePath, dry.appPath))).toBe(false);
    expect((await run(action, inputOf(noRoute))).appPath).toBe(
      'kubernetes/apps/productivity/it-tools',
    );
    const argo = await run(action, inputOf(argoNoRoute));
    // The category ApplicationSet creates only its own namespace: signing needs a manifest.
    expect(argo.files).toContain('k8s/apps/documents/docuseal/ns.yaml');
  });

  it('homelab:secret:seal examples', async () => {
    const action = createSecretSealAction({
      config: s.config,
      openRepo: s.openRepo,
      fetchCertificate: () =>
        new SealingCertificateSource(
          s.config.sealedSecrets,
          s.clusters,
        ).fetch(),
    });
    const secrets = {
      dbPassword: 'db-pass',
      apiToken: 'api-token',
      keystore: Buffer.from([1, 2, 3, 0, 255]).toString('base64'),
    };
    const flux = await run(action, inputOf(sealExamples[0]), secrets);
    expect(flux.keys).toEqual(['PAPERLESS_API_TOKEN', 'PAPERLESS_DBPASS']);
    const hr = parse(
      fs.readFileSync(
        path.join(
          workspacePath,
          'gitops/kubernetes/apps/documents/paperless-ngx/app/helmrelease.yaml',
        ),
        'utf8',
      ),
    );
    expect(
      hr.spec.values.controllers['paperless-ngx'].containers.app.envFrom,
    ).toEqual([{ secretRef: { name: 'paperless-ngx-secret' } }]);
    const argo = await run(action, inputOf(sealExamples[1]), secrets);
    expect(argo).toMatchObject({
      scope: 'namespace-wide',
      namespace: 'security',
      keys: ['keystore.p12'],
    });
  });

  it('homelab:route:generate examples', async () => {
    const action = createRouteGenerateAction({
      config: s.config,
      openRepo: s.openRepo,
    });
    const values = await run(action, inputOf(routeExamples[0]));
    expect(values.mode).toBe('values');
    const raw = await run(action, {
      ...inputOf(routeExamples[1]),
      forge: 'gitea',
    });
    expect(raw.mode).toBe('raw');
    expect(raw.url).toBe('https://sign.home.example.org/s');
  });

  it('homelab:gitea:pull-request examples: a pull request, then a commit added to it', async () => {
    const action = createGiteaPullRequestAction({
      integrations: s.integrations,
    });
    const opened = await run(action, inputOf(prExamples[0]));
    expect(opened.created).toBe(true);
    const remote = `${s.forgeUrl}/home-ops/home-ops.git`;
    const before = await git(s, [
      'ls-remote',
      remote,
      'refs/heads/homelab/add-mealie',
    ]);
    // A change to push with update: true.
    fs.appendFileSync(
      path.join(
        workspacePath,
        'gitops/kubernetes/apps/productivity/kitchenowl/catalog-info.yaml',
      ),
      '# reviewed\n',
    );
    const updated = await run(action, inputOf(prExamples[1]));
    expect(updated).toMatchObject({
      created: false,
      pullRequestNumber: opened.pullRequestNumber,
    });
    expect(updated.commitHash).toMatch(/^[0-9a-f]{40}$/);
    const after = await git(s, [
      'ls-remote',
      remote,
      'refs/heads/homelab/add-mealie',
    ]);
    expect(after).not.toBe(before);
    expect(after.startsWith(updated.commitHash)).toBe(true);
  });
});
