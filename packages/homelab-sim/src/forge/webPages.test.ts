import {
  call,
  ForgeUnderTest,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

/** The forge's web view: what a household admin sees, and the merge button. */
describe('forge web view', () => {
  let forge: ForgeUnderTest;
  const R = '/api/v1/repos/home-ops/home-ops';
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterAll(async () => {
    await forge?.close();
  });

  let cookie = '';
  const web = (method: string, p: string, init: RequestInit = {}) =>
    fetch(`${forge.url}${p}`, {
      method,
      redirect: 'manual',
      dispatcher: forge.dispatcher,
      ...init,
      headers: { cookie, ...(init.headers as Record<string, string>) },
    } as RequestInit);
  const signIn = async (token: string) => {
    const res = await web('POST', '/login', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token,
        return_to: '/home-ops/home-ops',
      }).toString(),
    });
    return res;
  };

  beforeEach(async () => {
    cookie = '';
    const res = await signIn(forge.token);
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
    cookie = res.headers.get('set-cookie')!.split(';')[0];
  });

  it('signs in with a forge token and goes back to the page asked for', async () => {
    cookie = '';
    const res = await signIn(forge.token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/home-ops/home-ops');
    // The session cookie is a random id, never the token itself.
    expect(res.headers.get('set-cookie')).not.toContain(forge.token);
    expect(res.headers.get('set-cookie')).toMatch(
      /HttpOnly; Secure; SameSite=Strict/,
    );
  });

  // GitHub answers 404 for a private repository to anyone not signed in,
  // on pages and raw files alike.
  it('hides the private repositories from visitors who are not signed in', async () => {
    const signedIn = await web('GET', '/home-ops/home-ops/raw/main/README.md');
    expect(signedIn.status).toBe(200);
    cookie = '';
    for (const p of [
      '/home-ops/home-ops',
      '/home-ops/home-ops/raw/main/README.md',
      '/home-ops/home-ops/blob/main/README.md',
    ]) {
      const res = await web('GET', p);
      expect([p, res.status]).toEqual([p, 404]);
    }
    expect((await web('POST', '/home-ops/home-ops/pull/1/merge')).status).toBe(
      404,
    );
    // A script may send the token instead of signing in.
    const withToken = await web(
      'GET',
      '/home-ops/home-ops/raw/main/README.md',
      {
        headers: { authorization: `token ${forge.readToken}` },
      },
    );
    expect(withToken.status).toBe(200);
    expect((await signIn('not-a-token')).status).toBe(401);
  });

  it('lets the read-only token look but not merge', async () => {
    const number = await openPull('web/read-only', 'docs/read-only.md');
    cookie = (await signIn(forge.readToken)).headers
      .get('set-cookie')!
      .split(';')[0];
    expect((await web('GET', `/home-ops/home-ops/pull/${number}`)).status).toBe(
      200,
    );
    expect(
      (await web('POST', `/home-ops/home-ops/pull/${number}/merge`)).status,
    ).toBe(403);
    const pr = await call(forge, 'GET', `${R}/pulls/${number}`);
    expect(pr.body.merged).toBe(false);
  });

  async function openPull(branch: string, file: string) {
    await call(forge, 'POST', `${R}/branches`, {
      body: { new_branch_name: branch, old_branch_name: 'main' },
    });
    await call(forge, 'POST', `${R}/contents`, {
      body: {
        branch,
        message: `add ${file}`,
        files: [{ operation: 'create', path: file, content: b64('hello\n') }],
      },
    });
    const pr = await call(forge, 'POST', `${R}/pulls`, {
      body: { head: branch, base: 'main', title: `Add ${file}` },
    });
    expect(pr.status).toBe(201);
    return pr.body.number as number;
  }

  it('merges an open pull request from its page, as a household admin', async () => {
    const number = await openPull('web/merge-me', 'docs/merged.md');
    const before = await (
      await web('GET', `/home-ops/home-ops/pull/${number}`)
    ).text();
    expect(before).toContain('Merge pull request</button>');
    expect(before).toContain('as Alex Moreau');

    const merged = await web('POST', `/home-ops/home-ops/pull/${number}/merge`);
    expect(merged.status).toBe(303);
    expect(merged.headers.get('location')).toBe(
      `/home-ops/home-ops/pull/${number}`,
    );

    const pr = await call(forge, 'GET', `${R}/pulls/${number}`);
    expect(pr.body).toMatchObject({
      merged: true,
      merged_by: { login: 'alex' },
    });
    const file = await call(
      forge,
      'GET',
      `${R}/contents/docs/merged.md?ref=main`,
    );
    expect(file.status).toBe(200);

    const after = await (
      await web('GET', `/home-ops/home-ops/pull/${number}`)
    ).text();
    expect(after).not.toContain('Merge pull request</button>');
    expect(after).toContain('merged by');
  });

  it('says why when a pull request cannot be merged, and changes nothing', async () => {
    const number = await openPull('web/twice', 'docs/twice.md');
    expect(
      (await web('POST', `/home-ops/home-ops/pull/${number}/merge`)).status,
    ).toBe(303);
    const main = (await call(forge, 'GET', `${R}/branches/main`)).body.commit
      .id;
    const again = await web('POST', `/home-ops/home-ops/pull/${number}/merge`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already merged');
    expect(
      (await call(forge, 'GET', `${R}/branches/main`)).body.commit.id,
    ).toBe(main);

    expect((await web('POST', '/home-ops/nope/pull/1/merge')).status).toBe(404);
  });
});
