import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import {
  call,
  cloneBranch,
  ForgeUnderTest,
  git,
  startForgeSim,
  trustCaForFetch,
} from './__testUtils__/forgeTestUtils';

/**
 * The real upstream `publish:github:pull-request` action (module-github
 * 0.10.0, octokit + octokit-plugin-create-pull-request) against the forge,
 * then real git over HTTPS to see what it wrote.
 */
// Real git and a real action: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

describe('publish:github:pull-request against the forge', () => {
  let forge: ForgeUnderTest;
  let restoreFetch: () => void;
  const workspace = createMockDirectory();

  beforeAll(async () => {
    forge = await startForgeSim();
    restoreFetch = trustCaForFetch(forge.dispatcher);
  });

  afterAll(async () => {
    restoreFetch?.();
    await forge?.close();
  });

  function action() {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: forge.host,
              apiBaseUrl: `${forge.url}/api/v3`,
              token: forge.token,
            },
          ],
        },
      }),
    );
    return createPublishGithubPullRequestAction({ integrations });
  }

  const helmrelease = (tag: string) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: whoami
spec:
  chartRef:
    kind: OCIRepository
    name: whoami
  values:
    controllers:
      whoami:
        containers:
          app:
            image:
              repository: docker.io/traefik/whoami
              tag: ${tag}
`;

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: {
        repoUrl: `${forge.host}?owner=home-ops&repo=home-ops`,
        branchName: 'homelab/add-whoami',
        title: 'feat(whoami): Deploy',
        description: 'Adds whoami to the media namespace.',
        targetPath: 'kubernetes/apps/media',
        sourcePath: 'out',
        gitAuthorName: 'Alex Moreau',
        gitAuthorEmail: 'alex@home.example.org',
        ...input,
      },
      workspacePath: workspace.path,
    });
  }

  it('opens a pull request whose branch clones with the files', async () => {
    workspace.setContent({
      out: {
        'whoami/ks.yaml':
          'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: whoami\n',
        'whoami/app/kustomization.yaml': 'resources:\n  - ./helmrelease.yaml\n',
        'whoami/app/helmrelease.yaml': helmrelease('v1.10.3'),
      },
    });
    const ctx = context({});
    await action().handler(ctx as any);

    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 1);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      `${forge.url}/home-ops/home-ops/pull/1`,
    );
    expect(ctx.output).toHaveBeenCalledWith('targetBranchName', 'main');

    const pr = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls/1',
    );
    expect(pr.status).toBe(200);
    expect(pr.body).toMatchObject({
      number: 1,
      state: 'open',
      title: 'feat(whoami): Deploy',
      body: 'Adds whoami to the media namespace.',
      head: { ref: 'homelab/add-whoami', label: 'home-ops:homelab/add-whoami' },
      base: { ref: 'main' },
      user: { login: 'homelab-portal' },
      changed_files: 3,
      commits: 1,
      mergeable: true,
    });

    // Real git: the branch holds the files, on top of the seeded main.
    const dir = await cloneBranch(
      forge,
      'home-ops/home-ops.git',
      'homelab/add-whoami',
    );
    const read = (p: string) => fs.readFileSync(path.join(dir, p), 'utf8');
    expect(read('kubernetes/apps/media/whoami/app/helmrelease.yaml')).toBe(
      helmrelease('v1.10.3'),
    );
    expect(read('kubernetes/apps/media/whoami/app/kustomization.yaml')).toBe(
      'resources:\n  - ./helmrelease.yaml\n',
    );
    expect(read('kubernetes/apps/media/whoami/ks.yaml')).toContain(
      'name: whoami',
    );
    expect(
      fs.existsSync(
        path.join(dir, 'kubernetes/apps/media/immich/app/helmrelease.yaml'),
      ),
    ).toBe(true);
    const { stdout: log } = await git(
      forge,
      ['log', '-1', '--format=%an <%ae>%n%s%n%P'],
      { cwd: dir },
    );
    const [author, subject, parents] = log.trim().split('\n');
    expect(author).toBe('Alex Moreau <alex@home.example.org>');
    expect(subject).toBe('feat(whoami): Deploy');
    expect(parents).toBe(pr.body.base.sha);
    const { stdout: fsck } = await git(forge, ['fsck', '--strict'], {
      cwd: dir,
    });
    expect(fsck).toBe('');
  });

  it('refuses a second pull request for the same branch the way GitHub does', async () => {
    workspace.setContent({
      out: { 'whoami/app/helmrelease.yaml': helmrelease('v1.11.0') },
    });
    // What the template user sees: the action's error, carrying the library's
    // refusal, which it took from the forge's GraphQL answer.
    await expect(action().handler(context({}) as any)).rejects.toThrow(
      new RegExp(
        `Pull request creation failed.*Pull request already exists: ${forge.url.replace(
          /[.]/g,
          '\\.',
        )}/home-ops/home-ops/pull/1\\. Set update=true`,
      ),
    );
    // The REST API says it too, with GitHub's 422 body.
    const again = await call(
      forge,
      'POST',
      '/api/v3/repos/home-ops/home-ops/pulls',
      {
        body: {
          title: 'again',
          head: 'home-ops:homelab/add-whoami',
          base: 'main',
        },
      },
    );
    expect(again.status).toBe(422);
    expect(again.body).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          message:
            'A pull request already exists for home-ops:homelab/add-whoami.',
        },
      ],
      documentation_url: expect.stringMatching(
        /^https:\/\/docs\.github\.com\/.*create-a-pull-request$/,
      ),
      status: '422',
    });
    const main = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/git/ref/heads/main',
    );
    const ref = await call(
      forge,
      'POST',
      '/api/v3/repos/home-ops/home-ops/git/refs',
      {
        body: {
          ref: 'refs/heads/homelab/add-whoami',
          sha: main.body.object.sha,
        },
      },
    );
    expect(ref.status).toBe(422);
    expect(ref.body).toMatchObject({
      message: 'Reference already exists',
      status: '422',
    });
    const list = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls?state=all',
    );
    expect(list.body.map((p: any) => p.number)).toEqual([1]);
  });

  it('updates the existing pull request with update: true', async () => {
    workspace.setContent({
      out: { 'whoami/app/helmrelease.yaml': helmrelease('v1.11.0') },
    });
    const ctx = context({
      update: true,
      title: 'feat(whoami): Deploy v1.11.0',
    });
    await action().handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 1);
    const pr = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls/1',
    );
    expect(pr.body.title).toBe('feat(whoami): Deploy v1.11.0');
    // The library rebuilds the branch from the base and force-moves it: one
    // commit with only this run's files (what GitHub shows too).
    expect(pr.body.commits).toBe(1);
    expect(pr.body.changed_files).toBe(1);
    const dir = await cloneBranch(
      forge,
      'home-ops/home-ops',
      'homelab/add-whoami',
    );
    expect(
      fs.readFileSync(
        path.join(dir, 'kubernetes/apps/media/whoami/app/helmrelease.yaml'),
        'utf8',
      ),
    ).toBe(helmrelease('v1.11.0'));
    expect(
      fs.existsSync(path.join(dir, 'kubernetes/apps/media/whoami/ks.yaml')),
    ).toBe(false);
  });

  it('deletes files and asks for reviewers and assignees', async () => {
    workspace.setContent({ out: { 'docs/README.md': '# notes\n' } });
    const ctx = context({
      branchName: 'homelab/tidy',
      title: 'chore: tidy',
      targetPath: undefined,
      filesToDelete: ['.editorconfig'],
      reviewers: ['jordan'],
      assignees: ['alex'],
    });
    await action().handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 2);
    const pr = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls/2',
    );
    expect(pr.body.requested_reviewers.map((u: any) => u.login)).toEqual([
      'jordan',
    ]);
    expect(pr.body.assignees.map((u: any) => u.login)).toEqual(['alex']);
    const files = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls/2/files',
    );
    expect(files.body.map((f: any) => [f.filename, f.status]).sort()).toEqual([
      ['.editorconfig', 'removed'],
      ['docs/README.md', 'added'],
    ]);
  });

  it('fails with the forge’s 403 when the token may only read', async () => {
    workspace.setContent({ out: { 'x.yaml': 'a: 1\n' } });
    const ctx = context({
      branchName: 'homelab/read-only',
      token: forge.readToken,
    });
    await expect(action().handler(ctx as any)).rejects.toThrow(
      /Pull request creation failed.*Resource not accessible by personal access token/,
    );
    const branch = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/branches/homelab/read-only',
    );
    expect(branch.status).toBe(404);
  });
});
