import fs from 'node:fs';
import path from 'node:path';
import {
  call,
  ForgeUnderTest,
  startForgeSim,
} from './__testUtils__/forgeTestUtils';

jest.setTimeout(60_000);

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('forge state across restarts', () => {
  let forge: ForgeUnderTest;

  beforeAll(async () => {
    forge = await startForgeSim();
  });

  afterAll(async () => {
    await forge?.close();
  });

  it('keeps repositories, pull requests, numbering and tokens', async () => {
    const R = '/api/v1/repos/home-ops/home-ops';
    for (const name of ['homelab/one', 'homelab/two']) {
      const r = await call(forge, 'POST', `${R}/contents`, {
        body: {
          branch: 'main',
          new_branch: name,
          files: [
            { operation: 'create', path: `${name}.md`, content: b64(name) },
          ],
        },
      });
      expect(r.status).toBe(201);
      expect(
        (
          await call(forge, 'POST', `${R}/pulls`, {
            body: { head: name, base: 'main', title: name },
          })
        ).status,
      ).toBe(201);
    }
    expect(
      (
        await call(forge, 'POST', `${R}/pulls/1/merge`, {
          body: { Do: 'merge' },
        })
      ).status,
    ).toBe(200);
    const mainBefore = (
      await call(forge, 'GET', '/api/v3/repos/home-ops/home-ops/branches/main')
    ).body.commit.sha;
    const token = forge.token;
    const oldUrl = forge.url;

    await forge.restart();

    // Same token file, so a configured portal keeps working.
    expect(
      fs.readFileSync(path.join(forge.stateDir, 'forge/token'), 'utf8'),
    ).toBe(token);
    // The seed did not run again over the merged history.
    const main = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/branches/main',
    );
    expect(main.body.commit.sha).toBe(mainBefore);
    expect(main.body.commit.commit.message).toMatch(
      /^Merge pull request 'homelab\/one' \(#1\)/,
    );

    const viaGitea = await call(forge, 'GET', `${R}/pulls?state=all`);
    expect(
      viaGitea.body.map((p: any) => [p.number, p.state, p.merged]),
    ).toEqual([
      [2, 'open', false],
      [1, 'closed', true],
    ]);
    const viaGithub = await call(
      forge,
      'GET',
      '/api/v3/repos/home-ops/home-ops/pulls?state=all',
    );
    expect(
      // The list form (pull-request-simple) has `merged_at`, not `merged`.
      viaGithub.body.map((p: any) => [p.number, p.state, !!p.merged_at]),
    ).toEqual([
      [2, 'open', false],
      [1, 'closed', true],
    ]);
    // URLs follow the new port.
    expect(viaGithub.body[0].html_url).toBe(
      `${forge.url}/home-ops/home-ops/pull/2`,
    );
    expect(
      forge.url === oldUrl || !viaGithub.body[0].html_url.startsWith(oldUrl),
    ).toBe(true);

    const next = await call(forge, 'POST', `${R}/contents`, {
      body: {
        branch: 'main',
        new_branch: 'homelab/three',
        files: [{ operation: 'create', path: 'three.md', content: b64('3') }],
      },
    });
    expect(next.status).toBe(201);
    const pr = await call(forge, 'POST', `${R}/pulls`, {
      body: { head: 'homelab/three', base: 'main', title: 'three' },
    });
    expect(pr.body.number).toBe(3);
  });
});
