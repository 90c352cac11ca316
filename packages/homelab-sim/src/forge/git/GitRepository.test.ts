import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blobId, EMPTY_TREE, GitRepository } from './GitRepository';

describe('GitRepository', () => {
  let dir: string;
  let git: GitRepository;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-git-'));
    git = await GitRepository.init(path.join(dir, 'repo.git'), 'main');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names a blob as git does, without asking git', async () => {
    for (const text of ['', 'hello\n', 'ünïcode and \0 bytes']) {
      const content = Buffer.from(text, 'utf8');
      expect(blobId(content)).toBe(await git.writeBlob(content));
    }
  });

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

  it('refuses what is not a blob, naming it', async () => {
    await expect(git.readBlobs([EMPTY_TREE])).rejects.toThrow(
      `git object ${EMPTY_TREE} is`,
    );
    const absent = '1'.repeat(40);
    await expect(git.readBlobs([absent])).rejects.toThrow(
      `git object ${absent} is missing, not a blob`,
    );
  });
});
