import zlib from 'node:zlib';
import {
  call,
  cloneBranch,
  ForgeUnderTest,
  git,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

const R = '/api/v3/repos/home-ops/home-ops';

/** The GitHub git-database, contents and GraphQL endpoints, one by one. */
describe('GitHub API of the forge', () => {
  let forge: ForgeUnderTest;

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterAll(async () => {
    await forge?.close();
  });

  const post = (p: string, body: unknown) =>
    call(forge, 'POST', `${R}${p}`, { body });

  it('writes real objects: blob → tree (nested paths, delete) → commit → ref', async () => {
    const base = (await call(forge, 'GET', `${R}/commits?sha=main&per_page=1`))
      .body[0];
    expect(base.commit.tree.sha).toMatch(/^[0-9a-f]{40}$/);

    const blob = await post('/git/blobs', {
      content: Buffer.from('binary\u0000ok').toString('base64'),
      encoding: 'base64',
    });
    expect(blob.status).toBe(201);
    expect(blob.body.url).toBe(`${forge.url}${R}/git/blobs/${blob.body.sha}`);
    const readBack = await call(
      forge,
      'GET',
      `${R}/git/blobs/${blob.body.sha}`,
    );
    expect(Buffer.from(readBack.body.content, 'base64').toString()).toBe(
      'binary\u0000ok',
    );

    const tree = await post('/git/trees', {
      base_tree: base.commit.tree.sha,
      tree: [
        {
          path: 'a/b/c/data.bin',
          mode: '100644',
          type: 'blob',
          sha: blob.body.sha,
        },
        { path: 'a/hello.txt', mode: '100644', content: 'hello\n' },
        { path: 'README.md', mode: '100644', sha: null },
      ],
    });
    expect(tree.status).toBe(201);
    expect(tree.body.tree.map((e: any) => e.path)).toContain('a');
    expect(tree.body.tree.map((e: any) => e.path)).not.toContain('README.md');
    const recursive = await call(
      forge,
      'GET',
      `${R}/git/trees/${tree.body.sha}?recursive=1`,
    );
    expect(
      recursive.body.tree
        .filter((e: any) => e.path.startsWith('a/'))
        .map((e: any) => `${e.type}:${e.path}`),
    ).toEqual([
      'tree:a/b',
      'tree:a/b/c',
      'blob:a/b/c/data.bin',
      'blob:a/hello.txt',
    ]);
    // Untouched folders keep their object ids.
    const baseTree = await call(
      forge,
      'GET',
      `${R}/git/trees/${base.commit.tree.sha}`,
    );
    const kubernetes = (t: any) =>
      t.tree.find((e: any) => e.path === 'kubernetes').sha;
    expect(kubernetes(tree.body)).toBe(kubernetes(baseTree.body));

    const commit = await post('/git/commits', {
      message: 'test: objects',
      tree: tree.body.sha,
      parents: [base.sha],
      author: {
        name: 'Jordan Moreau',
        email: 'jordan@home.example.org',
        date: '2025-11-01T10:00:00+01:00',
      },
    });
    expect(commit.status).toBe(201);
    expect(commit.body).toMatchObject({
      message: 'test: objects',
      tree: { sha: tree.body.sha },
      parents: [{ sha: base.sha }],
      author: { name: 'Jordan Moreau', date: '2025-11-01T09:00:00Z' },
      committer: { name: 'Jordan Moreau' },
      verification: { verified: false, reason: 'unsigned' },
    });

    const ref = await post('/git/refs', {
      ref: 'refs/heads/test/objects',
      sha: commit.body.sha,
    });
    expect(ref.status).toBe(201);
    expect(ref.body).toMatchObject({
      ref: 'refs/heads/test/objects',
      object: { sha: commit.body.sha, type: 'commit' },
    });

    const dir = await cloneBranch(forge, 'home-ops/home-ops', 'test/objects');
    const { stdout } = await git(
      forge,
      ['show', '--format=%an|%aI|%s', '--name-status', 'HEAD'],
      { cwd: dir },
    );
    expect(stdout).toContain(
      'Jordan Moreau|2025-11-01T10:00:00+01:00|test: objects',
    );
    expect(stdout).toMatch(/D\tREADME\.md/);
    expect(stdout).toMatch(/A\ta\/b\/c\/data\.bin/);
  });

  it('refuses bad git-database requests with GitHub’s 422s', async () => {
    const main = (await call(forge, 'GET', `${R}/git/ref/heads/main`)).body
      .object.sha;
    const tree = (await call(forge, 'GET', `${R}/git/commits/${main}`)).body
      .tree.sha;
    const cases: [string, unknown, string][] = [
      [
        '/git/trees',
        {
          base_tree: tree,
          tree: [{ path: 'does/not/exist', mode: '100644', sha: null }],
        },
        'GitRPC::BadObjectState',
      ],
      [
        '/git/trees',
        { tree: [{ path: '/abs', mode: '100644', content: 'x' }] },
        'tree.path contains a malformed path component',
      ],
      [
        '/git/commits',
        { message: 'x', tree: '1'.repeat(40), parents: [] },
        'Tree SHA does not exist',
      ],
      [
        '/git/commits',
        { message: 'x', tree, parents: ['2'.repeat(40)] },
        'Parent SHA does not exist or is not a commit object',
      ],
      [
        '/git/commits',
        { tree },
        'Invalid request.\n\n"message" wasn\'t supplied.',
      ],
      [
        '/git/refs',
        { ref: 'refs/heads/main', sha: main },
        'Reference already exists',
      ],
      [
        '/git/refs',
        { ref: 'refs/heads/x', sha: '3'.repeat(40) },
        'Object does not exist',
      ],
    ];
    for (const [p, body, message] of cases) {
      const r = await post(p, body);
      expect([p, r.status, r.body.message]).toEqual([p, 422, message]);
    }
    // Moving a branch backwards needs force.
    const parent = (await call(forge, 'GET', `${R}/git/commits/${main}`)).body
      .parents[0].sha;
    await post('/git/refs', { ref: 'refs/heads/test/ff', sha: main });
    const back = await call(forge, 'PATCH', `${R}/git/refs/heads/test/ff`, {
      body: { sha: parent },
    });
    expect([back.status, back.body.message]).toEqual([
      422,
      'Update is not a fast forward',
    ]);
    const forced = await call(forge, 'PATCH', `${R}/git/refs/heads/test/ff`, {
      body: { sha: parent, force: true },
    });
    expect([forced.status, forced.body.object.sha]).toEqual([200, parent]);
    expect(
      (await call(forge, 'DELETE', `${R}/git/refs/heads/test/ff`)).status,
    ).toBe(204);
    expect(
      (await call(forge, 'DELETE', `${R}/git/refs/heads/test/ff`)).body.message,
    ).toBe('Reference does not exist');
    expect((await call(forge, 'GET', `${R}/nope`)).status).toBe(404);
    const pull = await post('/pulls', {
      title: 't',
      head: 'no-such-branch',
      base: 'main',
    });
    expect(pull.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
    });
    const empty = await post('/pulls', {
      title: 't',
      head: 'main',
      base: 'main',
    });
    expect(empty.status).toBe(422);
  });

  it('serves contents as JSON, raw, directory listing and tarball', async () => {
    const file = await call(
      forge,
      'GET',
      `${R}/contents/kubernetes/apps/media/kustomization.yaml?ref=main`,
    );
    expect(file.body).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'kustomization.yaml',
      path: 'kubernetes/apps/media/kustomization.yaml',
    });
    const text = Buffer.from(file.body.content, 'base64').toString();
    expect(text).toContain('./immich/ks.yaml');
    const raw = await call(
      forge,
      'GET',
      `${R}/contents/kubernetes/apps/media/kustomization.yaml`,
      { accept: 'application/vnd.github.v3.raw' },
    );
    expect(raw.body).toBe(text);
    const head = await call(
      forge,
      'HEAD',
      `${R}/contents/kubernetes/apps/media/kustomization.yaml`,
    );
    expect(head.status).toBe(200);
    expect((await call(forge, 'HEAD', `${R}/contents/nope.yaml`)).status).toBe(
      404,
    );
    const dir = await call(forge, 'GET', `${R}/contents/kubernetes/apps/media`);
    expect(dir.body.map((e: any) => `${e.type}:${e.name}`)).toEqual([
      'dir:audiobookshelf',
      'dir:immich',
      'dir:jellyfin',
      'file:kustomization.yaml',
    ]);

    const res = await fetch(`${forge.url}${R}/tarball/main`, {
      headers: { authorization: `token ${forge.token}` },
      dispatcher: forge.dispatcher,
    } as RequestInit);
    const tar = zlib
      .gunzipSync(Buffer.from(await res.arrayBuffer()))
      .toString('latin1');
    expect(tar).toMatch(
      /home-ops-home-ops-[0-9a-f]{7}\/kubernetes\/apps\/media\/immich\/app\/helmrelease\.yaml/,
    );
  });

  it('answers the GraphQL the pull-request library sends, and GitHub’s errors', async () => {
    const q = `query ($owner: String!, $repo: String!, $head: String!) {
      repository(name: $repo, owner: $owner) {
        ref(qualifiedName: $head) { associatedPullRequests(first: 1, states: OPEN) { edges { node { id number url } } } }
      }
    }`;
    const gql = (variables: Record<string, unknown>, query = q) =>
      call(forge, 'POST', '/api/graphql', {
        auth: `bearer ${forge.token}`,
        body: { query, variables },
      });

    expect(
      (await gql({ owner: 'home-ops', repo: 'home-ops', head: 'no-branch' }))
        .body,
    ).toEqual({ data: { repository: { ref: null } } });
    expect(
      (await gql({ owner: 'home-ops', repo: 'home-ops', head: 'main' })).body,
    ).toEqual({
      data: { repository: { ref: { associatedPullRequests: { edges: [] } } } },
    });

    await post('/git/refs', {
      ref: 'refs/heads/test/gql',
      sha: (
        await call(forge, 'GET', `${R}/git/ref/heads/test/objects`)
      ).body.object.sha,
    });
    const pr = await post('/pulls', {
      title: 'gql',
      head: 'test/gql',
      base: 'main',
    });
    expect(pr.status).toBe(201);
    const found = await gql({
      owner: 'home-ops',
      repo: 'home-ops',
      head: 'test/gql',
    });
    expect(found.body.data.repository.ref.associatedPullRequests.edges).toEqual(
      [
        {
          node: {
            id: pr.body.node_id,
            number: pr.body.number,
            url: pr.body.html_url,
          },
        },
      ],
    );

    const missing = await gql({
      owner: 'home-ops',
      repo: 'nope',
      head: 'main',
    });
    expect(missing.body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 2, column: 7 }],
          message:
            "Could not resolve to a Repository with the name 'home-ops/nope'.",
        },
      ],
    });
    const noPaging = await gql(
      { owner: 'home-ops', repo: 'home-ops' },
      '{ repository(owner: "home-ops", name: "home-ops") { pullRequests { totalCount } } }',
    );
    expect(noPaging.body.errors[0].message).toMatch(
      /You must provide a `first` or `last` value/,
    );
    const invalid = await gql(
      {},
      '{ repository(owner: "home-ops", name: "home-ops") { stars } }',
    );
    expect(invalid.body.errors[0].message).toMatch(/stars/);
  });
});
