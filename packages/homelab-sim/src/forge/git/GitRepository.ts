import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { GitCommandError, runGit, RunGitOptions } from './runGit';

export type GitPerson = {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** Offset as git writes it, e.g. `+0100`. */
  tz: string;
};

export type GitCommit = {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
};

export type TreeEntry = {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Blob size in bytes; undefined for trees and submodules. */
  size?: number;
  /** Name inside its tree (ls-tree without -r) or full path (with -r). */
  path: string;
};

/** A change to a tree: set `path` to an object, or delete it (`sha: null`). */
export type TreeChange = {
  path: string;
  mode: string;
  type?: 'blob' | 'tree' | 'commit';
  sha: string | null;
};

/** Why a tree edit was refused; each API words it its own way. */
export class TreeEditError extends Error {
  constructor(
    readonly reason:
      | 'missing-path'
      | 'bad-path'
      | 'missing-object'
      | 'bad-mode',
    readonly path: string,
  ) {
    super(`${reason}: ${path}`);
  }
}

const MODES: Record<string, TreeEntry['type']> = {
  '100644': 'blob',
  '100755': 'blob',
  '120000': 'blob',
  '040000': 'tree',
  '160000': 'commit',
};

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** How many answers a repository remembers (the least recently used go first). */
const MEMO_SIZE = 2_000;

/** A full (SHA-1) object id: names one object forever. */
function isObjectId(rev: string): boolean {
  return /^[0-9a-f]{40}$/.test(rev);
}

/**
 * A real bare git repository on disk, driven through git's plumbing commands.
 * Everything the forge APIs write ends up here as ordinary git objects and
 * refs, so a clone shows exactly what the API said it wrote.
 */
export class GitRepository {
  constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string) {
    fs.mkdirSync(dirname(dir), { recursive: true });
    await runGit(
      ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, dir],
      {
        cwd: dirname(dir),
      },
    );
    const repo = new GitRepository(dir);
    // Smart HTTP pushes are allowed for authenticated writers (the forge
    // checks the token before git sees the request).
    await repo.git(['config', 'http.receivepack', 'true']);
    await repo.git(['config', 'core.logAllRefUpdates', 'true']);
    return repo;
  }

  private serving?: Promise<void>;

  /**
   * Serves the repository the way GitHub does over smart HTTP: partial
   * clones (`--filter=blob:none`) are honoured, and `refs/pull/*` is
   * advertised to fetches but hidden from pushes (a push to it is refused).
   * Set on every start, so repositories made before these settings get them.
   */
  configureServing(): Promise<void> {
    this.serving ??= (async () => {
      await this.git(['config', 'uploadpack.allowFilter', 'true']);
      await this.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
      await this.git(['config', 'receive.hideRefs', 'refs/pull']);
    })();
    return this.serving;
  }

  exists(): boolean {
    return fs.existsSync(join(this.dir, 'HEAD'));
  }

  async git(args: string[], options: Omit<RunGitOptions, 'gitDir'> = {}) {
    return (await runGit(args, { ...options, gitDir: this.dir })).stdout;
  }

  private async gitText(
    args: string[],
    options: Omit<RunGitOptions, 'gitDir'> = {},
  ) {
    return (await this.git(args, options)).toString('utf8');
  }

  /** Full object id of a commit named by branch, full ref or (abbreviated) sha; undefined if none. */
  private async resolveCommitFresh(rev: string): Promise<string | undefined> {
    if (!rev || rev.startsWith('-')) return undefined;
    const { stdout, code } = await runGit(
      [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${rev}^{commit}`,
      ],
      { gitDir: this.dir, okCodes: [1, 128] },
    );
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  /** The branch `name` points at, or undefined. */
  async branchSha(name: string): Promise<string | undefined> {
    return this.refSha(`refs/heads/${name}`);
  }

  async refSha(ref: string): Promise<string | undefined> {
    const stored = this.storedRef(ref);
    if (stored) return stored;
    const { stdout, code } = await runGit(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', ref],
      { gitDir: this.dir, okCodes: [1, 128] },
    );
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  /**
   * A plainly named ref as git stores it (the loose ref file, else its line
   * in packed-refs): the object id `rev-parse --verify` would print, read
   * without starting git. Undefined when not found that way (a missing or
   * symbolic ref, an unusual name): git is asked then.
   */
  private storedRef(ref: string): string | undefined {
    if (
      !/^refs\/[A-Za-z0-9._/-]+$/.test(ref) ||
      /\.\.|\/\/|\/\.|\.lock(\/|$)|[/.]$/.test(ref)
    )
      return undefined;
    const objectId = /^[0-9a-f]{40}$/;
    try {
      const loose = fs.readFileSync(join(this.dir, ref), 'utf8').trim();
      return objectId.test(loose) ? loose : undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return undefined;
    }
    let packed: string;
    try {
      packed = fs.readFileSync(join(this.dir, 'packed-refs'), 'utf8');
    } catch {
      return undefined;
    }
    for (const line of packed.split('\n')) {
      const [sha, name] = line.split(' ');
      if (name === ref && objectId.test(sha)) return sha;
    }
    return undefined;
  }

  /** Refs under a prefix (`refs/heads/`) or several, sorted by name. */
  async refs(
    prefix: string | string[] = 'refs/',
  ): Promise<{ ref: string; sha: string; type: string }[]> {
    const text = await this.gitText([
      'for-each-ref',
      '--sort=refname',
      '--format=%(refname)%00%(objectname)%00%(objecttype)',
      ...(Array.isArray(prefix) ? prefix : [prefix]),
    ]);
    return text
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [ref, sha, type] = line.split('\0');
        return { ref, sha, type };
      });
  }

  async isValidRefName(ref: string): Promise<boolean> {
    const { code } = await runGit(['check-ref-format', ref], {
      gitDir: this.dir,
      okCodes: [1],
    });
    return code === 0;
  }

  /**
   * Moves a ref; with `expected` the update only happens if the ref still
   * points there (empty string = must not exist), so two writers cannot
   * silently overwrite each other.
   */
  async updateRef(
    ref: string,
    sha: string,
    expected?: string,
    reason = 'forge',
  ) {
    const args = ['update-ref', '-m', reason, ref, sha];
    if (expected !== undefined) args.push(expected || '0'.repeat(40));
    await this.git(args);
  }

  async deleteRef(ref: string) {
    await this.git(['update-ref', '-d', ref]);
  }

  private async objectTypeFresh(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
    const { stdout, code } = await runGit(['cat-file', '-t', sha], {
      gitDir: this.dir,
      okCodes: [1, 128],
    });
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (
      await this.gitText(['hash-object', '-w', '--stdin'], { input: content })
    ).trim();
  }

  async readBlob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha]);
  }

  /**
   * Several blobs with one `git cat-file --batch` run (one child process
   * instead of one each), by object id. A missing object is an error, as
   * with `readBlob`.
   */
  async readBlobs(shas: string[]): Promise<Map<string, Buffer>> {
    const wanted = [...new Set(shas)];
    const out = new Map<string, Buffer>();
    if (!wanted.length) return out;
    if (wanted.some(sha => !/^[0-9a-f]{4,40}$/.test(sha)))
      throw new Error(`not an object id: ${wanted.join(', ')}`);
    const stdout = await this.git(['cat-file', '--batch'], {
      input: `${wanted.join('\n')}\n`,
    });
    let at = 0;
    for (const sha of wanted) {
      const eol = stdout.indexOf(0x0a, at);
      const header = stdout.subarray(at, eol).toString('utf8').split(' ');
      if (eol < 0 || header.length !== 3 || header[1] !== 'blob')
        throw new Error(`git cat-file: ${sha} is not a blob`);
      const size = Number(header[2]);
      out.set(sha, stdout.subarray(eol + 1, eol + 1 + size));
      at = eol + 1 + size + 1;
    }
    return out;
  }

  /** Entries of one tree (not recursive), or of every blob below it (`recursive`). */
  private async lsTreeFresh(
    treeish: string,
    options: { recursive?: boolean; path?: string } = {},
  ) {
    const args = ['ls-tree', '-z', '-l'];
    if (options.recursive) args.push('-r', '-t');
    args.push(treeish);
    if (options.path !== undefined) args.push('--', options.path);
    const text = await this.gitText(args);
    return text.split('\0').filter(Boolean).map(parseLsTreeLine);
  }

  /** The entry at `filePath` in a commit, or undefined. */
  private async entryAtFresh(
    commit: string,
    filePath: string,
  ): Promise<TreeEntry | undefined> {
    const clean = filePath.replace(/^\/+|\/+$/g, '');
    if (!clean) {
      const c = await this.commit(commit);
      return c
        ? { mode: '040000', type: 'tree', sha: c.tree, path: '' }
        : undefined;
    }
    const { stdout, code } = await runGit(
      ['ls-tree', '-z', '-l', commit, '--', clean],
      { gitDir: this.dir, okCodes: [128] },
    );
    if (code !== 0) return undefined;
    const found = stdout
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map(parseLsTreeLine)
      .find(e => e.path === clean);
    return found;
  }

  async mktree(entries: TreeEntry[]): Promise<string> {
    const input = entries
      .map(e => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`)
      .join('');
    return (
      await this.gitText(['mktree', '-z', '--missing'], { input })
    ).trim();
  }

  /**
   * Writes a new tree: `base` with `changes` applied. Only the directories on
   * the changed paths are rewritten; untouched subtrees keep their object ids.
   */
  async editTree(
    base: string | undefined,
    changes: TreeChange[],
  ): Promise<string> {
    type Node = { leaf?: TreeChange; children?: Map<string, Node> };
    const root: Map<string, Node> = new Map();
    for (const change of changes) {
      const parts = change.path.split('/');
      if (
        !change.path ||
        parts.some(
          p => !p || p === '.' || p === '..' || p.toLowerCase() === '.git',
        )
      ) {
        throw new TreeEditError('bad-path', change.path);
      }
      const type = change.type ?? MODES[change.mode];
      if (!type || MODES[change.mode] !== type)
        throw new TreeEditError('bad-mode', change.path);
      if (change.sha !== null) {
        const actual = await this.objectType(change.sha);
        if (actual !== type)
          throw new TreeEditError('missing-object', change.path);
      }
      let level = root;
      parts.forEach((part, i) => {
        const node = level.get(part) ?? {};
        level.set(part, node);
        if (i === parts.length - 1) {
          if (node.children) throw new TreeEditError('bad-path', change.path);
          node.leaf = { ...change, type };
        } else {
          if (node.leaf) throw new TreeEditError('bad-path', change.path);
          node.children ??= new Map();
          level = node.children;
        }
      });
    }

    const write = async (
      treeSha: string | undefined,
      nodes: Map<string, Node>,
      prefix: string,
    ): Promise<{ sha: string; empty: boolean }> => {
      const entries = new Map<string, TreeEntry>();
      if (treeSha) {
        for (const e of await this.lsTree(treeSha)) entries.set(e.path, e);
      }
      for (const [name, node] of nodes) {
        const full = prefix + name;
        if (node.leaf) {
          if (node.leaf.sha === null) {
            if (!entries.has(name))
              throw new TreeEditError('missing-path', full);
            entries.delete(name);
          } else {
            entries.set(name, {
              mode: node.leaf.mode,
              type: node.leaf.type!,
              sha: node.leaf.sha,
              path: name,
            });
          }
        } else if (node.children) {
          const existing = entries.get(name);
          const sub = await write(
            existing?.type === 'tree' ? existing.sha : undefined,
            node.children,
            `${full}/`,
          );
          if (sub.empty) entries.delete(name);
          else
            entries.set(name, {
              mode: '040000',
              type: 'tree',
              sha: sub.sha,
              path: name,
            });
        }
      }
      const list = [...entries.values()];
      return { sha: await this.mktree(list), empty: list.length === 0 };
    };

    return (await write(base, root, '')).sha;
  }

  async commitTree(options: {
    tree: string;
    parents: string[];
    message: string;
    author: GitPerson;
    committer: GitPerson;
  }): Promise<string> {
    const args = ['commit-tree', options.tree];
    for (const p of options.parents) args.push('-p', p);
    return (
      await this.gitText(args, {
        input: options.message,
        env: {
          GIT_AUTHOR_NAME: options.author.name,
          GIT_AUTHOR_EMAIL: options.author.email,
          GIT_AUTHOR_DATE: `${options.author.time} ${options.author.tz}`,
          GIT_COMMITTER_NAME: options.committer.name,
          GIT_COMMITTER_EMAIL: options.committer.email,
          GIT_COMMITTER_DATE: `${options.committer.time} ${options.committer.tz}`,
        },
      })
    ).trim();
  }

  private async commitFresh(sha: string): Promise<GitCommit | undefined> {
    if ((await this.objectType(sha)) !== 'commit') return undefined;
    return (await this.log(sha, { max: 1, noWalk: true }))[0];
  }

  /** Commits reachable from `rev`, newest first. */
  private async logFresh(
    rev: string,
    options: {
      max?: number;
      skip?: number;
      path?: string;
      noWalk?: boolean;
    } = {},
  ): Promise<GitCommit[]> {
    const args = [
      'log',
      '-z',
      '--date=raw',
      '--format=%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%ad%x1f%cn%x1f%ce%x1f%cd%x1f%B',
    ];
    if (options.noWalk) args.push('--no-walk');
    if (options.max !== undefined) args.push(`--max-count=${options.max}`);
    if (options.skip) args.push(`--skip=${options.skip}`);
    args.push(rev, '--');
    if (options.path) args.push(options.path);
    const text = await this.gitText(args);
    return text
      .split('\0')
      .filter(Boolean)
      .map(record => {
        const [sha, tree, parents, an, ae, ad, cn, ce, cd, message] =
          record.split('\x1f');
        return {
          sha,
          tree,
          parents: parents ? parents.split(' ') : [],
          author: person(an, ae, ad),
          committer: person(cn, ce, cd),
          message: message ?? '',
        };
      });
  }

  private async isAncestorFresh(
    ancestor: string,
    descendant: string,
  ): Promise<boolean> {
    const { code } = await runGit(
      ['merge-base', '--is-ancestor', ancestor, descendant],
      { gitDir: this.dir, okCodes: [1] },
    );
    return code === 0;
  }

  private async mergeBaseFresh(
    a: string,
    b: string,
  ): Promise<string | undefined> {
    const { stdout, code } = await runGit(['merge-base', a, b], {
      gitDir: this.dir,
      okCodes: [1],
    });
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  /** Three-way merge of two commits without a work tree; `tree` is undefined on conflicts. */
  private async mergeTreesFresh(
    ours: string,
    theirs: string,
  ): Promise<{ tree?: string; conflicts: string[] }> {
    try {
      const { stdout, code } = await runGit(
        ['merge-tree', '--write-tree', '--name-only', '-z', ours, theirs],
        { gitDir: this.dir, okCodes: [1] },
      );
      const parts = stdout.toString('utf8').split('\0');
      if (code === 0) return { tree: parts[0], conflicts: [] };
      const conflicts: string[] = [];
      for (const p of parts.slice(1)) {
        if (!p) break;
        conflicts.push(p);
      }
      return { conflicts };
    } catch (error) {
      if (
        error instanceof GitCommandError &&
        /unrelated histories/.test(error.stderr)
      )
        return { conflicts: ['(unrelated histories)'] };
      throw error;
    }
  }

  /**
   * Changed files between two commits: status letter, path, blob ids before
   * and after, added and deleted lines.
   */
  private async diffFilesFresh(
    from: string,
    to: string,
  ): Promise<
    {
      status: string;
      path: string;
      oldSha: string;
      newSha: string;
      additions: number;
      deletions: number;
    }[]
  > {
    const raw = await this.gitText([
      'diff',
      '--raw',
      '-z',
      '--no-renames',
      '--no-abbrev',
      from,
      to,
    ]);
    const numstat = await this.gitText([
      'diff',
      '--numstat',
      '-z',
      '--no-renames',
      from,
      to,
    ]);
    const counts = new Map<string, [number, number]>();
    for (const rec of numstat.split('\0').filter(Boolean)) {
      const [a, d, p] = rec.split('\t');
      counts.set(p, [a === '-' ? 0 : Number(a), d === '-' ? 0 : Number(d)]);
    }
    const parts = raw.split('\0').filter(Boolean);
    const out = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const [, , oldSha, newSha, status] = parts[i]
        .replace(/^:/, '')
        .split(' ');
      const file = parts[i + 1];
      const [additions, deletions] = counts.get(file) ?? [0, 0];
      out.push({ status, path: file, oldSha, newSha, additions, deletions });
    }
    return out;
  }

  private async diffPatchFresh(from: string, to: string): Promise<string> {
    return this.gitText(['diff', '--no-color', '--no-renames', from, to]);
  }

  /** The commits of `from..to` as an mbox of patches, oldest first (`git format-patch`). */
  private async formatPatchFresh(from: string, to: string): Promise<string> {
    return this.gitText([
      'format-patch',
      '--stdout',
      '--no-color',
      '--no-renames',
      '--no-signature',
      `${from}..${to}`,
    ]);
  }

  /** How many commits `to` has that `from` does not. */
  private async countBetweenFresh(from: string, to: string): Promise<number> {
    return Number(
      (await this.gitText(['rev-list', '--count', `${from}..${to}`])).trim(),
    );
  }

  async archive(commit: string, prefix: string): Promise<Buffer> {
    return this.git([
      'archive',
      '--format=tar.gz',
      `--prefix=${prefix}`,
      commit,
    ]);
  }
  /**
   * Answers about objects named by full object id never change (a commit's
   * history, a tree's entries, the diff of two commits), so each is asked of
   * git once and remembered; answers about refs and anything not found are
   * always asked afresh. Callers get their own copy.
   */
  private readonly memo = new Map<string, Promise<unknown>>();

  private remember<T>(
    key: string | undefined,
    ask: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    if (key === undefined) return ask();
    let found = this.memo.get(key) as Promise<T> | undefined;
    if (found) {
      // Most recently used last: the oldest answers go first.
      this.memo.delete(key);
      this.memo.set(key, found);
    } else {
      found = ask();
      this.memo.set(key, found);
      if (this.memo.size > MEMO_SIZE)
        this.memo.delete(this.memo.keys().next().value!);
      found.then(
        value => {
          if (!keep(value) && this.memo.get(key) === found)
            this.memo.delete(key);
        },
        () => {
          if (this.memo.get(key) === found) this.memo.delete(key);
        },
      );
    }
    return found.then(value => structuredClone(value));
  }
  /** `remember` for an answer about one object id; a miss is asked again. */
  private rememberFound<T>(
    key: string,
    id: string,
    fresh: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return this.remember(
      isObjectId(id) ? key : undefined,
      fresh,
      found => found !== undefined,
    );
  }

  /** `remember` for an answer about two commits, kept when both are full ids. */
  private rememberBetween<T>(
    what: string,
    from: string,
    to: string,
    fresh: () => Promise<T>,
  ): Promise<T> {
    return this.remember(
      isObjectId(from) && isObjectId(to) ? `${what} ${from} ${to}` : undefined,
      fresh,
    );
  }

  /** Full object id of a commit named by branch, full ref or (abbreviated) sha; undefined if none. */
  resolveCommit(rev: string): Promise<string | undefined> {
    return this.rememberFound(`resolveCommit ${rev}`, rev, () =>
      this.resolveCommitFresh(rev),
    );
  }

  objectType(sha: string): Promise<string | undefined> {
    return this.rememberFound(`objectType ${sha}`, sha, () =>
      this.objectTypeFresh(sha),
    );
  }

  /** Entries of one tree (not recursive), or of every blob below it (`recursive`). */
  lsTree(
    treeish: string,
    options: { recursive?: boolean; path?: string } = {},
  ): Promise<TreeEntry[]> {
    return this.remember(
      isObjectId(treeish)
        ? `lsTree ${treeish} ${JSON.stringify([
            !!options.recursive,
            options.path,
          ])}`
        : undefined,
      () => this.lsTreeFresh(treeish, options),
    );
  }

  /** The entry at `filePath` in a commit, or undefined. */
  entryAt(commit: string, filePath: string): Promise<TreeEntry | undefined> {
    return this.rememberFound(
      `entryAt ${commit} ${JSON.stringify(filePath)}`,
      commit,
      () => this.entryAtFresh(commit, filePath),
    );
  }

  commit(sha: string): Promise<GitCommit | undefined> {
    return this.rememberFound(`commit ${sha}`, sha, () =>
      this.commitFresh(sha),
    );
  }

  /** Commits reachable from `rev`, newest first. */
  log(
    rev: string,
    options: {
      max?: number;
      skip?: number;
      path?: string;
      noWalk?: boolean;
    } = {},
  ): Promise<GitCommit[]> {
    const [from, to, more] = rev.split('..');
    const fixed =
      more === undefined &&
      isObjectId(from) &&
      (to === undefined || isObjectId(to));
    return this.remember(
      fixed
        ? `log ${rev} ${JSON.stringify([
            options.max,
            options.skip,
            options.path,
            !!options.noWalk,
          ])}`
        : undefined,
      () => this.logFresh(rev, options),
    );
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.rememberBetween('isAncestor', ancestor, descendant, () =>
      this.isAncestorFresh(ancestor, descendant),
    );
  }

  mergeBase(a: string, b: string): Promise<string | undefined> {
    return this.remember(
      isObjectId(a) && isObjectId(b) ? `mergeBase ${a} ${b}` : undefined,
      () => this.mergeBaseFresh(a, b),
    );
  }

  /** Three-way merge of two commits without a work tree; `tree` is undefined on conflicts. */
  mergeTrees(
    ours: string,
    theirs: string,
  ): Promise<{ tree?: string; conflicts: string[] }> {
    return this.rememberBetween('mergeTrees', ours, theirs, () =>
      this.mergeTreesFresh(ours, theirs),
    );
  }

  /**
   * Changed files between two commits: status letter, path, blob ids before
   * and after, added and deleted lines.
   */
  diffFiles(from: string, to: string) {
    return this.rememberBetween('diffFiles', from, to, () =>
      this.diffFilesFresh(from, to),
    );
  }

  diffPatch(from: string, to: string): Promise<string> {
    return this.rememberBetween('diffPatch', from, to, () =>
      this.diffPatchFresh(from, to),
    );
  }

  /** The commits of `from..to` as an mbox of patches, oldest first (`git format-patch`). */
  formatPatch(from: string, to: string): Promise<string> {
    return this.rememberBetween('formatPatch', from, to, () =>
      this.formatPatchFresh(from, to),
    );
  }

  /** How many commits `to` has that `from` does not. */
  countBetween(from: string, to: string): Promise<number> {
    return this.rememberBetween('countBetween', from, to, () =>
      this.countBetweenFresh(from, to),
    );
  }
}

function parseLsTreeLine(line: string): TreeEntry {
  const tab = line.indexOf('\t');
  const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
  return {
    mode,
    type: type as TreeEntry['type'],
    sha,
    size: size === '-' || size === undefined ? undefined : Number(size),
    path: line.slice(tab + 1),
  };
}

function person(name: string, email: string, raw: string): GitPerson {
  const [time, tz] = raw.split(' ');
  return { name, email, time: Number(time), tz: tz ?? '+0000' };
}

/** `2025-11-25T18:00:00Z`: how GitHub and Gitea print commit times. */
export function isoTime(p: GitPerson): string {
  return new Date(p.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The commit time with its own offset (`2025-11-25T19:00:00+01:00`), as Gitea prints it. */
export function isoTimeWithZone(p: GitPerson): string {
  const sign = p.tz.startsWith('-') ? -1 : 1;
  const minutes =
    sign * (Number(p.tz.slice(1, 3)) * 60 + Number(p.tz.slice(3, 5)));
  const local = new Date((p.time + minutes * 60) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, '');
  return `${local}${p.tz.slice(0, 3)}:${p.tz.slice(3, 5)}`;
}

/** Parses an ISO date (`2025-11-25T18:00:00Z` / with offset) into git's seconds + offset. */
export function personAt(
  name: string,
  email: string,
  iso: string | undefined,
  now: number,
): GitPerson {
  if (!iso) return { name, email, time: Math.floor(now / 1000), tz: '+0000' };
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a valid ISO 8601 date: ${iso}`);
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const tz = m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  return { name, email, time: Math.floor(ms / 1000), tz };
}
