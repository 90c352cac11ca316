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

  const web = (method: string, p: string) =>
    fetch(`${forge.url}${p}`, {
      method,
      redirect: 'manual',
      dispatcher: forge.dispatcher,
    } as RequestInit);

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
