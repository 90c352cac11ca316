import nodeFs from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import type { CommitInfo } from '../profile/commits';
import { RepoSnapshot } from './RepoSnapshot';

/** Commits read for the commit-message convention. */
export const HISTORY_DEPTH = 100;

/** A repository checked out in a folder (a clone, or a test fixture); its history when it is a git work tree. */
export class DirectoryRepoSnapshot implements RepoSnapshot {
  private list?: Promise<string[]>;

  constructor(
    private readonly root: string,
    readonly description: string = path.basename(root),
    readonly ref = 'main',
  ) {}

  files() {
    this.list ??= walk(this.root, '');
    return this.list;
  }

  async history(): Promise<CommitInfo[]> {
    try {
      const log = await git.log({
        fs: nodeFs,
        dir: this.root,
        depth: HISTORY_DEPTH,
      });
      return log.map(entry => ({
        message: entry.commit.message,
        author: {
          name: entry.commit.author.name,
          email: entry.commit.author.email,
        },
      }));
    } catch {
      // Not a git work tree (a plain folder), or a shallow end: no convention to read.
      return [];
    }
  }

  async read(file: string) {
    const full = path.resolve(this.root, file);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) return undefined;
    try {
      return await fs.readFile(full, 'utf8');
    } catch {
      return undefined;
    }
  }
}

async function walk(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(root, rel), {
    withFileTypes: true,
  })) {
    if (entry.name === '.git') continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(root, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out.sort();
}
