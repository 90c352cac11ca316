import fs from 'node:fs';
import path from 'node:path';
import {
  call,
  cloneBranch,
  ForgeUnderTest,
  git,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

/** Who may do what, and how each API says no. */
describe('forge authentication', () => {
  let forge: ForgeUnderTest;

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterAll(async () => {
    await forge?.close();
  });

  const github = '/api/v3/repos/home-ops/home-ops';
  const gitea = '/api/v1/repos/home-ops/home-ops';

  it('GitHub API: bad token 401, no token 404 on a private repository, read token 403 on writes', async () => {
    for (const auth of [
      'token wrong',
      'Bearer wrong',
      `Basic ${Buffer.from('x:wrong').toString('base64')}`,
    ]) {
      const r = await call(forge, 'GET', github, { auth });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        message: 'Bad credentials',
        documentation_url: expect.stringMatching(
          /^https:\/\/docs\.github\.com\//,
        ),
        status: '401',
      });
    }
    const anonymous = await call(forge, 'GET', github, { auth: null });
    expect([anonymous.status, anonymous.body.message]).toEqual([
      404,
      'Not Found',
    ]);
    const user = await call(forge, 'GET', '/api/v3/user', { auth: null });
    expect([user.status, user.body.message]).toEqual([
      401,
      'Requires authentication',
    ]);

    for (const auth of [`token ${forge.token}`, `Bearer ${forge.token}`]) {
      const r = await call(forge, 'GET', github, { auth });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-oauth-scopes')).toBe(
        'gist, read:org, repo, workflow',
      );
      expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
    }

    const reader = `token ${forge.readToken}`;
    const repo = await call(forge, 'GET', github, { auth: reader });
    expect(repo.status).toBe(200);
    expect(repo.body.permissions).toMatchObject({ push: false, pull: true });
    // A fine-grained token: no x-oauth-scopes header (the PR library would otherwise try to fork).
    expect(repo.headers.get('x-oauth-scopes')).toBeNull();
    const blob = await call(forge, 'POST', `${github}/git/blobs`, {
      auth: reader,
      body: { content: 'x' },
    });
    expect(blob.status).toBe(403);
    expect(blob.body.message).toBe(
      'Resource not accessible by personal access token',
    );

    const graphql = await call(forge, 'POST', '/api/graphql', {
      auth: 'bearer nope',
      body: { query: '{ viewer { login } }' },
    });
    expect([graphql.status, graphql.body.message]).toEqual([
      401,
      'Bad credentials',
    ]);
  });

  it('Gitea API: its own 401, 404 and 403 answers', async () => {
    const swagger = `${forge.url}/api/swagger`;
    const bad = await call(forge, 'GET', gitea, { auth: 'token wrong' });
    expect([bad.status, bad.body]).toEqual([
      401,
      { message: 'invalid username, password or token', url: swagger },
    ]);
    const badQuery = await call(forge, 'GET', `${gitea}?token=wrong`, {
      auth: null,
    });
    expect(badQuery.status).toBe(401);
    const anonymous = await call(forge, 'GET', gitea, { auth: null });
    expect([anonymous.status, anonymous.body]).toEqual([
      404,
      { errors: null, message: "The target couldn't be found.", url: swagger },
    ]);
    const user = await call(forge, 'GET', '/api/v1/user', { auth: null });
    expect([user.status, user.body.message]).toEqual([
      401,
      'token is required',
    ]);
    // /version is public on Gitea.
    expect(
      (await call(forge, 'GET', '/api/v1/version', { auth: null })).status,
    ).toBe(200);

    const basic = await call(forge, 'GET', gitea, {
      auth: `basic ${Buffer.from(`homelab-portal:${forge.token}`).toString(
        'base64',
      )}`,
    });
    expect(basic.status).toBe(200);
    const query = await call(
      forge,
      'GET',
      `${gitea}?access_token=${forge.token}`,
      { auth: null },
    );
    expect(query.status).toBe(200);

    const reader = `token ${forge.readToken}`;
    expect(
      (await call(forge, 'GET', `${gitea}/pulls`, { auth: reader })).status,
    ).toBe(200);
    const write = await call(forge, 'POST', `${gitea}/branches`, {
      auth: reader,
      body: { new_branch_name: 'x' },
    });
    expect([write.status, write.body.message]).toEqual([
      403,
      'token does not have at least one of required scope(s): [write:repository]',
    ]);
  });

  it('git over HTTPS: token required to clone, write token required to push', async () => {
    const u = new URL(forge.url);
    // No credentials: the forge challenges, git has nobody to ask.
    await expect(
      cloneBranch(forge, 'home-ops/home-ops.git', 'main', null),
    ).rejects.toThrow(/could not read Username/);
    // A wrong token is refused.
    await expect(
      git(
        forge,
        [
          'clone',
          '--quiet',
          `https://x-access-token:wrong@${u.host}/home-ops/home-ops.git`,
          'wrong',
        ],
        { token: null },
      ),
    ).rejects.toThrow(/Authentication failed/);
    await expect(
      cloneBranch(forge, 'home-ops/nope.git', 'main'),
    ).rejects.toThrow(/not found/i);

    // Token as the password in the URL, as a credential helper would send it.
    const viaUrl = fs.mkdtempSync(path.join(forge.stateDir, 'url-'));
    await git(
      forge,
      [
        'clone',
        '--quiet',
        `https://x-access-token:${forge.readToken}@${u.host}/home-ops/k8s-gitops`,
        viaUrl,
      ],
      { token: null },
    );
    expect(
      fs.existsSync(path.join(viaUrl, 'k8s/apps/kustomization.yaml')),
    ).toBe(true);

    // Bearer works as well.
    const bearer = fs.mkdtempSync(path.join(forge.stateDir, 'bearer-'));
    await git(
      forge,
      [
        '-c',
        `http.extraHeader=Authorization: Bearer ${forge.token}`,
        'clone',
        '--quiet',
        `${forge.url}/home-ops/home-ops`,
        bearer,
      ],
      { token: null },
    );

    // Push with the read token is refused; with the write token it lands and the API sees it.
    const dir = await cloneBranch(
      forge,
      'home-ops/home-ops.git',
      'main',
      forge.readToken,
    );
    fs.writeFileSync(path.join(dir, 'NOTES.md'), 'pushed over smart HTTP\n');
    await git(forge, ['add', 'NOTES.md'], { cwd: dir });
    await git(
      forge,
      [
        '-c',
        'user.name=Alex Moreau',
        '-c',
        'user.email=alex@home.example.org',
        'commit',
        '--quiet',
        '-m',
        'docs: notes',
      ],
      { cwd: dir },
    );
    await expect(
      git(forge, ['push', 'origin', 'HEAD:refs/heads/homelab/push'], {
        cwd: dir,
        token: forge.readToken,
      }),
    ).rejects.toThrow(/403|denied/);
    await git(
      forge,
      ['push', '--quiet', 'origin', 'HEAD:refs/heads/homelab/push'],
      { cwd: dir },
    );
    const { stdout: head } = await git(forge, ['rev-parse', 'HEAD'], {
      cwd: dir,
    });
    const branch = await call(forge, 'GET', `${github}/branches/homelab/push`);
    expect(branch.body.commit.sha).toBe(head.trim());
    const file = await call(
      forge,
      'GET',
      `${gitea}/contents/NOTES.md?ref=homelab/push`,
    );
    expect(Buffer.from(file.body.content, 'base64').toString()).toBe(
      'pushed over smart HTTP\n',
    );
  });
});
