import fs from 'node:fs';
import path from 'node:path';
import {
  call,
  cloneBranch,
  ForgeUnderTest,
  git,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';
import { expectGiteaShape } from './__testUtils__/giteaSwagger';

jest.setTimeout(60_000);

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const R = '/api/v1/repos/home-ops/home-ops';

/** The Gitea 1.22 subset: branch + files + pull request, checked against Gitea's swagger. */
describe('Gitea API of the forge', () => {
  let forge: ForgeUnderTest;

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterAll(async () => {
    await forge?.close();
  });

  const ok = async (
    method: string,
    p: string,
    body?: unknown,
    status = 200,
  ) => {
    const r = await call(forge, method, p, { body });
    if (r.status !== status)
      throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  it('answers version, user and repository in Gitea shapes', async () => {
    const version = await ok('GET', '/api/v1/version');
    expect(version).toEqual({ version: '1.22.0' });
    expectGiteaShape('ServerVersion', version);

    const user = await ok('GET', '/api/v1/user');
    expectGiteaShape('User', user);
    expect(user).toMatchObject({
      login: 'homelab-portal',
      email: 'portal@home.example.org',
    });

    const repo = await ok('GET', R);
    expectGiteaShape('Repository', repo);
    // The check is strict: a key the swagger does not know, or a wrong type, fails.
    expect(() =>
      expectGiteaShape('Repository', { ...repo, defualt_branch: 'main' }),
    ).toThrow(/defualt_branch/);
    expect(() =>
      expectGiteaShape('Repository', { ...repo, size: '12' }),
    ).toThrow(/size/);
    expect(repo).toMatchObject({
      full_name: 'home-ops/home-ops',
      default_branch: 'main',
      private: true,
      permissions: { admin: false, push: true, pull: true },
      clone_url: `${forge.url}/home-ops/home-ops.git`,
    });

    const branches = await ok('GET', `${R}/branches`);
    expectGiteaShape('Branch', branches);
    expect(branches.map((b: any) => b.name)).toEqual(['main']);

    const dir = await ok('GET', `${R}/contents/kubernetes/apps?ref=main`);
    expectGiteaShape('ContentsResponse', dir);
    expect(dir.map((e: any) => e.name)).toEqual([
      'documents',
      'home-automation',
      'media',
      'productivity',
      'security',
    ]);
    expect(dir.every((e: any) => e.type === 'dir' && e.content === null)).toBe(
      true,
    );
  });

  it('creates a branch, commits several files in one ChangeFiles call and opens a pull request', async () => {
    const branch = await ok(
      'POST',
      `${R}/branches`,
      { new_branch_name: 'homelab/add-linkwarden', old_ref_name: 'main' },
      201,
    );
    expectGiteaShape('Branch', branch);
    expect(branch.name).toBe('homelab/add-linkwarden');

    const dup = await call(forge, 'POST', `${R}/branches`, {
      body: { new_branch_name: 'homelab/add-linkwarden' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({
      message: 'The branch already exists.',
      url: `${forge.url}/api/swagger`,
    });

    const current = await ok(
      'GET',
      `${R}/contents/kubernetes/apps/productivity/kustomization.yaml?ref=homelab/add-linkwarden`,
    );
    expectGiteaShape('ContentsResponse', current);
    expect(current.type).toBe('file');
    const kustomization = Buffer.from(current.content, 'base64').toString(
      'utf8',
    );
    expect(kustomization).toContain('./vikunja/ks.yaml');
    const updated = kustomization.replace(
      '  - ./mealie/ks.yaml\n',
      '  - ./linkwarden/ks.yaml\n  - ./mealie/ks.yaml\n',
    );

    const readme = await ok('GET', `${R}/contents/README.md?ref=main`);
    const res = await ok(
      'POST',
      `${R}/contents`,
      {
        branch: 'homelab/add-linkwarden',
        message: 'feat(linkwarden): Deploy',
        author: { name: 'Jordan Moreau', email: 'jordan@home.example.org' },
        files: [
          {
            operation: 'create',
            path: 'kubernetes/apps/productivity/linkwarden/ks.yaml',
            content: b64('kind: Kustomization\n'),
          },
          {
            operation: 'create',
            path: 'kubernetes/apps/productivity/linkwarden/app/helmrelease.yaml',
            content: b64('kind: HelmRelease\n'),
          },
          {
            operation: 'update',
            path: 'kubernetes/apps/productivity/kustomization.yaml',
            sha: current.sha,
            content: b64(updated),
          },
          { operation: 'delete', path: 'README.md', sha: readme.sha },
        ],
      },
      201,
    );
    expectGiteaShape('FilesResponse', res);
    expect(res.files).toHaveLength(4);
    expect(res.files[3]).toBeNull();
    expect(res.files[0]).toMatchObject({
      path: 'kubernetes/apps/productivity/linkwarden/ks.yaml',
      content: b64('kind: Kustomization\n'),
    });
    expect(res.commit).toMatchObject({
      message: 'feat(linkwarden): Deploy\n',
      author: { name: 'Jordan Moreau', email: 'jordan@home.example.org' },
    });

    // One real commit on the branch, on top of main.
    const dir = await cloneBranch(
      forge,
      'home-ops/home-ops.git',
      'homelab/add-linkwarden',
    );
    const { stdout } = await git(
      forge,
      ['log', '--format=%H %s', 'origin/main..HEAD'],
      { cwd: dir },
    );
    expect(stdout.trim().split('\n')).toEqual([
      `${res.commit.sha} feat(linkwarden): Deploy`,
    ]);
    expect(
      fs.readFileSync(
        path.join(dir, 'kubernetes/apps/productivity/kustomization.yaml'),
        'utf8',
      ),
    ).toBe(updated);
    expect(
      fs.readFileSync(
        path.join(
          dir,
          'kubernetes/apps/productivity/linkwarden/app/helmrelease.yaml',
        ),
        'utf8',
      ),
    ).toBe('kind: HelmRelease\n');
    expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(false);

    const pr = await ok(
      'POST',
      `${R}/pulls`,
      {
        head: 'homelab/add-linkwarden',
        base: 'main',
        title: 'feat(linkwarden): Deploy',
        body: 'From the portal.',
      },
      201,
    );
    expectGiteaShape('PullRequest', pr);
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      html_url: `${forge.url}/home-ops/home-ops/pulls/1`,
      head: { ref: 'homelab/add-linkwarden', sha: res.commit.sha },
      base: { ref: 'main' },
      // Gitea checks a new pull request in the background; while its status
      // is "checking", `mergeable` is false (models/issues/pull.go Mergeable).
      mergeable: false,
      merged: false,
      changed_files: 4,
      user: { login: 'homelab-portal' },
    });
    expect((await ok('GET', `${R}/pulls/${pr.number}`)).mergeable).toBe(true);

    const again = await call(forge, 'POST', `${R}/pulls`, {
      body: { head: 'homelab/add-linkwarden', base: 'main', title: 'again' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      message: `pull request already exists for these targets [id: ${pr.id}, issue_id: 1, head_repo_id: 100, base_repo_id: 100, head_branch: homelab/add-linkwarden, base_branch: main]`,
      url: `${forge.url}/api/swagger`,
    });

    const list = await ok('GET', `${R}/pulls?state=open`);
    expectGiteaShape('PullRequest', list);
    expect(list.map((p: any) => p.number)).toEqual([1]);
    expect(await ok('GET', `${R}/pulls/1`)).toMatchObject({
      number: 1,
      title: 'feat(linkwarden): Deploy',
    });
    expect(
      await ok('GET', `${R}/pulls/main/homelab/add-linkwarden`),
    ).toMatchObject({ number: 1 });
    // The same pull request through the GitHub API.
    const viaGithub = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls/1',
    );
    expect(viaGithub.body).toMatchObject({
      number: 1,
      title: 'feat(linkwarden): Deploy',
      html_url: `${forge.url}/home-ops/home-ops/pull/1`,
    });
  });

  it('refuses file operations the way Gitea does', async () => {
    const readme = (await ok('GET', `${R}/contents/README.md`)).sha;
    const cases: [unknown, number, string][] = [
      [
        {
          files: [
            { operation: 'create', path: 'README.md', content: b64('x') },
          ],
        },
        422,
        'repository file already exists [path: README.md]',
      ],
      [
        {
          files: [
            {
              operation: 'update',
              path: 'README.md',
              sha: '0'.repeat(40),
              content: b64('x'),
            },
          ],
        },
        422,
        `sha does not match [given: ${'0'.repeat(40)}, expected: ${readme}]`,
      ],
      [
        {
          files: [
            {
              operation: 'update',
              path: 'nope.md',
              sha: readme,
              content: b64('x'),
            },
          ],
        },
        404,
        'repository file does not exist [path: nope.md]',
      ],
      [
        {
          branch: 'main',
          new_branch: 'homelab/add-linkwarden',
          files: [{ operation: 'create', path: 'y', content: b64('y') }],
        },
        422,
        'branch already exists [name: homelab/add-linkwarden]',
      ],
      [
        {
          branch: 'nope',
          files: [{ operation: 'create', path: 'y', content: b64('y') }],
        },
        404,
        'branch does not exist [name: nope]',
      ],
      [
        {
          files: [
            { operation: 'create', path: '../escape', content: b64('y') },
          ],
        },
        422,
        'path contains a malformed path component [path: ../escape]',
      ],
      [{ files: [] }, 422, '[Files]: Required'],
    ];
    const before = (await ok('GET', `${R}/branches/main`)).commit.id;
    for (const [body, status, message] of cases) {
      const r = await call(forge, 'POST', `${R}/contents`, { body });
      expect([r.status, r.body.message]).toEqual([status, message]);
    }
    // Nothing half-written.
    expect((await ok('GET', `${R}/branches/main`)).commit.id).toBe(before);
  });

  it('creates the branch inside ChangeFiles (new_branch) and merges pull requests for real', async () => {
    const created = await ok(
      'POST',
      `${R}/contents`,
      {
        branch: 'main',
        new_branch: 'homelab/notes',
        files: [
          {
            operation: 'create',
            path: 'docs/notes.md',
            content: b64('# Notes\n'),
          },
        ],
      },
      201,
    );
    expect(created.commit.message).toBe('Add docs/notes.md\n');
    const pr2 = await ok(
      'POST',
      `${R}/pulls`,
      { head: 'homelab/notes', base: 'main', title: 'docs: notes' },
      201,
    );
    expect(pr2.number).toBe(2);

    // Merge #1 with a merge commit.
    const merged = await call(forge, 'POST', `${R}/pulls/1/merge`, {
      body: { Do: 'merge' },
    });
    expect([merged.status, merged.body]).toEqual([200, '']);
    const again = await call(forge, 'POST', `${R}/pulls/1/merge`, {
      body: { Do: 'merge' },
    });
    expect(again.status).toBe(405);
    expect((await call(forge, 'GET', `${R}/pulls/1/merge`)).status).toBe(204);
    const pr1 = await ok('GET', `${R}/pulls/1`);
    expect(pr1).toMatchObject({
      merged: true,
      state: 'closed',
      merged_by: { login: 'homelab-portal' },
    });

    // Squash #2.
    expect(
      (
        await call(forge, 'POST', `${R}/pulls/2/merge`, {
          body: { Do: 'squash' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(forge, 'POST', `${R}/pulls/2/merge`, {
          body: { Do: 'rebase' },
        })
      ).status,
    ).toBe(405);

    const dir = await cloneBranch(forge, 'home-ops/home-ops', 'main');
    const { stdout } = await git(forge, ['log', '-3', '--format=%P|%s'], {
      cwd: dir,
    });
    const [squash, merge] = stdout.trim().split('\n');
    expect(squash).toMatch(/^[0-9a-f]{40}\|docs: notes \(#2\)$/);
    expect(merge).toMatch(
      /^[0-9a-f]{40} [0-9a-f]{40}\|Merge pull request 'feat\(linkwarden\): Deploy' \(#1\) from homelab\/add-linkwarden into main$/,
    );
    expect(fs.readFileSync(path.join(dir, 'docs/notes.md'), 'utf8')).toBe(
      '# Notes\n',
    );
    expect(
      fs.existsSync(
        path.join(dir, 'kubernetes/apps/productivity/linkwarden/ks.yaml'),
      ),
    ).toBe(true);
    const mergeCommit = (
      await git(forge, ['rev-parse', 'HEAD~1'], { cwd: dir })
    ).stdout.trim();
    expect(pr1.merge_commit_sha).toBe(mergeCommit);
  });

  it('reports a conflict instead of merging', async () => {
    const file = await ok('GET', `${R}/contents/.editorconfig`);
    for (const [name, text] of [
      ['homelab/a', 'root = false\n'],
      ['homelab/b', 'root = maybe\n'],
    ]) {
      await ok(
        'POST',
        `${R}/contents`,
        {
          branch: 'main',
          new_branch: name,
          files: [
            {
              operation: 'update',
              path: '.editorconfig',
              sha: file.sha,
              content: b64(text),
            },
          ],
        },
        201,
      );
    }
    const a = await ok(
      'POST',
      `${R}/pulls`,
      { head: 'homelab/a', base: 'main', title: 'a' },
      201,
    );
    const b = await ok(
      'POST',
      `${R}/pulls`,
      { head: 'homelab/b', base: 'main', title: 'b' },
      201,
    );
    expect(
      (
        await call(forge, 'POST', `${R}/pulls/${a.number}/merge`, {
          body: { Do: 'merge' },
        })
      ).status,
    ).toBe(200);
    expect((await ok('GET', `${R}/pulls/${b.number}`)).mergeable).toBe(false);
    const before = (await ok('GET', `${R}/branches/main`)).commit.id;
    const conflict = await call(forge, 'POST', `${R}/pulls/${b.number}/merge`, {
      body: { Do: 'merge' },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      Style: 'merge',
      StdErr: expect.stringContaining('.editorconfig'),
    });
    expect((await ok('GET', `${R}/branches/main`)).commit.id).toBe(before);
  });

  it('answers the review, status, tag, release and history endpoints in Gitea shapes', async () => {
    await ok(
      'POST',
      `${R}/contents`,
      {
        branch: 'main',
        new_branch: 'shapes/check',
        message: 'add a note',
        files: [
          { operation: 'create', path: 'docs/shape.md', content: b64('x\n') },
        ],
      },
      201,
    );
    const pr = await ok(
      'POST',
      `${R}/pulls`,
      { head: 'shapes/check', base: 'main', title: 'Shapes' },
      201,
    );
    const head = pr.head.sha;
    expectGiteaShape(
      'ChangedFile',
      await ok('GET', `${R}/pulls/${pr.number}/files`),
    );
    expectGiteaShape(
      'Commit',
      await ok('GET', `${R}/pulls/${pr.number}/commits`),
    );
    expectGiteaShape(
      'Commit',
      await ok('GET', `${R}/commits?sha=shapes/check&limit=3`),
    );
    expectGiteaShape(
      'Compare',
      await ok('GET', `${R}/compare/main...shapes/check`),
    );
    expectGiteaShape(
      'PullReview',
      await ok('POST', `${R}/pulls/${pr.number}/reviews`, {
        event: 'COMMENT',
        body: 'ok',
      }),
    );
    expectGiteaShape(
      'PullReview',
      await ok('GET', `${R}/pulls/${pr.number}/reviews`),
    );
    expectGiteaShape(
      'Comment',
      await ok(
        'POST',
        `${R}/issues/${pr.number}/comments`,
        { body: 'note' },
        201,
      ),
    );
    expectGiteaShape(
      'Comment',
      await ok('GET', `${R}/issues/${pr.number}/comments`),
    );
    expectGiteaShape(
      'CommitStatus',
      await ok(
        'POST',
        `${R}/statuses/${head}`,
        { state: 'warning', context: 'lint' },
        201,
      ),
    );
    expectGiteaShape(
      'CommitStatus',
      await ok('GET', `${R}/commits/${head}/statuses`),
    );
    const combined = await ok('GET', `${R}/commits/${head}/status`);
    expectGiteaShape('CombinedStatus', combined);
    expect(combined.state).toBe('warning');
    expectGiteaShape('Reference', await ok('GET', `${R}/git/refs/heads`));
    expectGiteaShape(
      'Tag',
      await ok(
        'POST',
        `${R}/tags`,
        { tag_name: 'shapes-1', target: head },
        201,
      ),
    );
    expectGiteaShape('Tag', await ok('GET', `${R}/tags`));
    expectGiteaShape(
      'Release',
      await ok(
        'POST',
        `${R}/releases`,
        { tag_name: 'shapes-1', name: 'Shapes' },
        201,
      ),
    );
    expectGiteaShape('Release', await ok('GET', `${R}/releases`));
    const diff = await call(forge, 'GET', `${R}/pulls/${pr.number}.diff`);
    expect(diff.body).toMatch(
      /^diff --git a\/docs\/shape\.md b\/docs\/shape\.md/,
    );
  });
});
