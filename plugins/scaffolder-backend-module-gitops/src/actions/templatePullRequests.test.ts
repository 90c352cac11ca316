import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { git, SimUnderTest, startSim } from '../__testUtils__/sim';
import { resolveInput, templateStep } from '../__testUtils__/templateSteps';
import { SealingCertificateSource } from '../lib/sealing/certificateSource';
import { createAppGenerateAction } from './appGenerate';
import { createGiteaPullRequestAction } from './giteaPullRequest';
import { createPullRequestDescribeAction } from './pullRequestDescribe';
import { createSecretSealAction } from './secretSeal';

/**
 * The templates' pull request steps as the templates write them, against
 * the demo homelab's forge: the commit message follows the repository's
 * history on GitHub as on Gitea, and a re-run while the pull request is
 * open updates it instead of failing after sealing.
 */
jest.setTimeout(180_000);

const portalConfig = new ConfigReader({
  scaffolder: parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../app-config.yaml'),
      'utf8',
    ),
  ).scaffolder,
});

describe("the templates' pull request steps", () => {
  let s: SimUnderTest;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-template-pr-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    s = await startSim();
  });
  afterAll(async () => {
    await s?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function run(
    action: any,
    input: Record<string, unknown>,
    workspacePath: string,
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

  const actions = () => ({
    'homelab:app:generate': createAppGenerateAction({
      config: s.config,
      openRepo: s.openRepo,
    }),
    'homelab:secret:seal': createSecretSealAction({
      config: s.config,
      openRepo: s.openRepo,
      fetchCertificate: () =>
        new SealingCertificateSource(
          s.config.sealedSecrets,
          s.clusters,
        ).fetch(),
    }),
    'homelab:pull-request:describe': createPullRequestDescribeAction(),
    'homelab:gitea:pull-request': createGiteaPullRequestAction({
      integrations: s.integrations,
    }),
    // With the portal's own scaffolder config: its defaultCommitMessage is what a step without commitMessage gets.
    'publish:github:pull-request': createPublishGithubPullRequestAction({
      integrations: s.integrations,
      config: portalConfig,
    }),
  });

  /** Runs a template's steps (by id, in order) with the template's own inputs. */
  async function runTemplate(
    template: string,
    ids: string[],
    parameters: Record<string, unknown>,
    secrets: Record<string, string>,
    stepInputs: Record<string, Record<string, unknown>> = {},
  ) {
    const ws = tmp();
    const steps: Record<string, Record<string, unknown>> = {};
    const all = actions() as Record<string, any>;
    for (const id of ids) {
      const step = templateStep(template, id);
      const given = stepInputs[id] ?? {};
      // The template's input, except where the test gives what an expression would render.
      const input = Object.fromEntries(
        Object.entries(step.input).map(([k, v]) => [
          k,
          k in given ? given[k] : resolveInput(v, { parameters, steps }),
        ]),
      );
      steps[id] = await run(all[step.action], input, ws, secrets);
    }
    return steps;
  }

  const head = async (repo: string, branch: string) =>
    (
      await git(s, [
        'ls-remote',
        `${s.forgeUrl}/home-ops/${repo}.git`,
        `refs/heads/${branch}`,
      ])
    ).split('\t')[0];
  // The commit itself, fetched over git (no checkout, no history).
  const subject = async (repo: string, sha: string) => {
    const dir = tmp();
    await git(s, ['init', '--quiet', '--bare', dir]);
    await git(
      s,
      [
        'fetch',
        '--quiet',
        '--depth=1',
        `${s.forgeUrl}/home-ops/${repo}.git`,
        sha,
      ],
      dir,
    );
    return (await git(s, ['log', '-1', '--format=%s', sha], dir)).trim();
  };

  it('add-app on GitHub: the commit and title follow the history ("feat(<app>): Deploy"), the body lists the sealed secret too', async () => {
    const steps = await runTemplate(
      'add-app',
      ['generate', 'seal', 'describe', 'githubPullRequest'],
      {
        repository: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
        forge: 'github',
        name: 'kitchenowl',
        title: 'KitchenOwl',
        description: 'Shopping lists.',
        owner: 'group:home-admins',
        namespace: 'productivity',
        image: 'docker.io/tombursch/kitchenowl:v0.7.4',
        port: 8080,
        scope: 'strict',
        secretKey1: 'JWT_SECRET_KEY',
      },
      { secretValue1: 'a-jwt-secret' },
      // Inputs the template computes with expressions this test does not render.
      {
        generate: {
          hostname: '',
          secretName: 'kitchenowl-secret',
          externalSecret: undefined,
          targetPath: 'gitops',
        },
      },
    );
    const sha = await head('home-ops', 'homelab/add-kitchenowl');
    // The seeded history writes app arrivals as "feat(<app>): Deploy".
    expect(await subject('home-ops', sha)).toBe('feat(kitchenowl): Deploy');
    expect(steps.describe.title).toBe('feat(kitchenowl): Deploy');
    expect(steps.describe.description).toContain(
      '`kubernetes/apps/productivity/kitchenowl/app/sealedsecret.yaml`',
    );
    expect(steps.describe.description).toContain(
      '`kubernetes/apps/productivity/kustomization.yaml`: registers ./kitchenowl/ks.yaml',
    );
  });

  it.each(['github', 'gitea'])(
    'add-sealed-secret re-run on %s while its pull request is open: the same pull request, updated',
    async forge => {
      const parameters = {
        repository:
          forge === 'github'
            ? `${s.forgeHost}?owner=home-ops&repo=home-ops`
            : 'home-ops/home-ops',
        forge,
        secretName: `paperless-${forge}`,
        scope: 'strict',
        envFrom: true,
        secretKey1: 'PAPERLESS_SECRET_KEY',
      };
      const ids = [
        'seal',
        forge === 'github' ? 'githubPullRequest' : 'giteaPullRequest',
      ];
      const seal = {
        app: 'paperless-ngx',
        namespace: 'documents',
        values: [{ key: 'PAPERLESS_SECRET_KEY', secret: 'secretValue1' }],
      };
      const first = await runTemplate(
        'add-sealed-secret',
        ids,
        parameters,
        { secretValue1: 'one' },
        { seal },
      );
      const branch = `homelab/secret-paperless-${forge}`;
      const before = await head('home-ops', branch);
      const second = await runTemplate(
        'add-sealed-secret',
        ids,
        parameters,
        { secretValue1: 'two' },
        { seal },
      );
      const pr = ids[1];
      expect(second[pr].remoteUrl).toBe(first[pr].remoteUrl);
      const after = await head('home-ops', branch);
      expect(after).not.toBe(before);
      expect(await subject('home-ops', after)).toBe(
        `feat(paperless-ngx): Add sealed secret paperless-${forge}`,
      );
    },
  );
});
