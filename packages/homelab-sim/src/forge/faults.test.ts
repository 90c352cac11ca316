import {
  call,
  cloneBranch,
  ForgeUnderTest,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

/** Injected faults reach forge clients in the shape of the API they called. */
describe('forge under faults', () => {
  let forge: ForgeUnderTest;

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterEach(() => forge.sim.ctx.faults.clear());

  afterAll(async () => {
    await forge?.close();
  });

  it('shapes an injected HTTP error like GitHub or Gitea depending on the path', async () => {
    forge.sim.ctx.faults.add({ service: 'forge', kind: 'error', status: 503 });
    const gh = await call(forge, 'GET', '/api/v3/user');
    expect([gh.status, gh.body]).toEqual([
      503,
      {
        message: 'injected fault: HTTP 503',
        documentation_url: expect.stringMatching(
          /^https:\/\/docs\.github\.com\//,
        ),
        status: '503',
      },
    ]);
    const gitea = await call(forge, 'GET', '/api/v1/version');
    expect([gitea.status, gitea.body]).toEqual([
      503,
      { message: 'injected fault: HTTP 503', url: `${forge.url}/api/swagger` },
    ]);
  });

  it('refuses connections while down, for git too, and recovers', async () => {
    forge.sim.ctx.faults.add({ service: 'forge', kind: 'down' });
    await new Promise(r => setTimeout(r, 100));
    await expect(
      cloneBranch(forge, 'home-ops/home-ops.git', 'main'),
    ).rejects.toThrow(
      /Failed to connect|Connection refused|Could not connect/i,
    );
    forge.sim.ctx.faults.clear();
    await new Promise(r => setTimeout(r, 100));
    expect((await call(forge, 'GET', '/api/v1/version')).status).toBe(200);
  });
});
