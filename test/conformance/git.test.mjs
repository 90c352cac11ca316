// Real git against the demo forge's smart HTTP: what GitHub and Gitea serve
// besides branches and tags.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { git, pushBranch, startForge } from './lib/forge.mjs';

const REPO = 'home-ops/home-ops';

describe('git against the demo forge', () => {
  let forge;
  let head;
  let number;

  before(async () => {
    forge = await startForge();
    head = await pushBranch(
      forge,
      REPO,
      'feat/notes',
      'docs/notes.md',
      'notes\n',
    );
    const res = await forge.fetch(`${forge.url}/api/v3/repos/${REPO}/pulls`, {
      method: 'POST',
      headers: {
        authorization: `token ${forge.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        head: 'feat/notes',
        base: 'main',
        title: 'Notes',
      }),
    });
    number = (await res.json()).number;
  });
  after(async () => forge?.close());

  test('refs/pull/<n>/head is advertised and fetchable, and follows pushes', async () => {
    // GitHub (and Gitea) advertise each pull request's head as
    // refs/pull/<n>/head; `git fetch origin pull/<n>/head` is how reviewers
    // check a pull request out.
    const remote = `${forge.url}/${REPO}.git`;
    const refs = await git(forge, ['ls-remote', remote, 'refs/pull/*']);
    assert.equal(refs, `${head.sha}\trefs/pull/${number}/head\n`);

    fs.writeFileSync(path.join(head.dir, 'docs/notes.md'), 'notes, v2\n');
    await git(forge, ['commit', '--quiet', '-am', 'more notes'], {
      cwd: head.dir,
    });
    await git(forge, ['push', '--quiet', 'origin', 'feat/notes'], {
      cwd: head.dir,
    });
    const newHead = (
      await git(forge, ['rev-parse', 'HEAD'], { cwd: head.dir })
    ).trim();

    const dir = fs.mkdtempSync(path.join(forge.stateDir, 'review-'));
    await git(forge, ['init', '--quiet', dir]);
    await git(
      forge,
      ['fetch', '--quiet', remote, `pull/${number}/head:pr-${number}`],
      { cwd: dir },
    );
    assert.equal(
      (await git(forge, ['rev-parse', `pr-${number}`], { cwd: dir })).trim(),
      newHead,
    );
  });

  test('refs/pull is read-only: a push to it is refused', async () => {
    // GitHub hides refs/pull from pushes ("deny updating a hidden ref").
    await assert.rejects(
      git(forge, ['push', 'origin', `HEAD:refs/pull/${number}/head`], {
        cwd: head.dir,
      }),
      e => /hidden ref/.test(e.stderr),
    );
  });

  test('--filter=blob:none makes a partial clone that fetches blobs on demand', async () => {
    // git's partial clone: the server sends commits and trees only; blobs
    // come when a checkout needs them. A server that ignores the filter
    // sends everything and git says "filtering not recognized by server".
    const dir = fs.mkdtempSync(path.join(forge.stateDir, 'partial-'));
    const out = await git(forge, [
      'clone',
      '--filter=blob:none',
      '--no-checkout',
      `${forge.url}/${REPO}.git`,
      dir,
    ]).catch(e => e);
    assert.doesNotMatch(String(out.stderr ?? ''), /filtering not recognized/);
    assert.equal(
      (
        await git(forge, ['config', 'remote.origin.promisor'], { cwd: dir })
      ).trim(),
      'true',
    );
    const missing = (
      await git(forge, ['rev-list', '--objects', '--all', '--missing=print'], {
        cwd: dir,
      })
    )
      .split('\n')
      .filter(l => l.startsWith('?'));
    assert.ok(missing.length > 10, `${missing.length} blobs missing`);
    // A checkout fetches what it needs from the promisor remote.
    await git(forge, ['checkout', '--quiet', 'main'], { cwd: dir });
    assert.match(
      fs.readFileSync(path.join(dir, 'README.md'), 'utf8'),
      /^# home-ops/,
    );
  });
});
