import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMPTY_TREE, GitRepository } from './GitRepository';
import { runGit } from './runGit';

describe('GitRepository', () => {
  let dir: string;
  let git: GitRepository;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-git-'));
    git = await GitRepository.init(path.join(dir, 'repo.git'), 'main');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads many blobs through one batch, each exactly, newlines and all', async () => {
    const contents = ['a: 1\n', '', 'no newline at the end', 'x\n\ny\n\n'].map(
      t => Buffer.from(t, 'utf8'),
    );
    const shas = [];
    for (const c of contents) shas.push(await git.writeBlob(c));

    const read = await git.readBlobs([...shas, shas[0]]);

    expect(read.size).toBe(contents.length);
    shas.forEach((sha, i) => expect(read.get(sha)).toEqual(contents[i]));
  });

  it('refuses to read a tree or a missing object as a blob', async () => {
    await expect(git.readBlobs([EMPTY_TREE])).rejects.toThrow('not a blob');
    await expect(git.readBlobs(['1'.repeat(40)])).rejects.toThrow('not a blob');
  });

  it('finds a ref whether loose or packed, as git does, and not a deleted one', async () => {
    const blob = await git.writeBlob(Buffer.from('x'));
    const tree = await git.editTree(undefined, [
      { path: 'x', mode: '100644', sha: blob },
    ]);
    const who = {
      name: 'Sam',
      email: 'sam@example.org',
      time: 1764979200,
      tz: '+0000',
    };
    const commit = await git.commitTree({
      tree,
      parents: [],
      message: 'x\n',
      author: who,
      committer: who,
    });
    await git.updateRef('refs/heads/loose', commit);
    await git.updateRef('refs/heads/packed', commit);
    await runGit(['pack-refs', '--all'], { gitDir: git.dir });
    await git.updateRef('refs/heads/loose', commit);

    expect(await git.refSha('refs/heads/loose')).toBe(commit);
    expect(await git.refSha('refs/heads/packed')).toBe(commit);
    await git.deleteRef('refs/heads/packed');
    expect(await git.refSha('refs/heads/packed')).toBeUndefined();
  });
});
