import type { CommitInfo } from '../profile/commits';

/**
 * A read-only view of the target GitOps repository at one commit: the list of
 * files and their contents. The generators read the repo only through this,
 * so they run the same against a forge, a clone or a test fixture.
 */
export interface RepoSnapshot {
  /** human-readable origin, e.g. "home-ops/home-ops@main" */
  readonly description: string;
  /** the ref that was read (branch name) */
  readonly ref: string;
  /** every file path (no directories), '/'-separated, no leading slash */
  files(): Promise<string[]>;
  /** a file's text, or undefined when it does not exist */
  read(path: string): Promise<string | undefined>;
  /** recent commits of the branch, newest first (empty when unknown) */
  history(): Promise<CommitInfo[]>;
}

/** A snapshot over files in memory (tests, the workspace overlay). */
export class MemoryRepoSnapshot implements RepoSnapshot {
  constructor(
    private readonly content: Map<string, string>,
    readonly description = 'memory',
    readonly ref = 'main',
  ) {}

  async files() {
    return [...this.content.keys()].sort();
  }

  async read(path: string) {
    return this.content.get(path);
  }

  async history(): Promise<CommitInfo[]> {
    return [];
  }
}

/**
 * The repo as the pull request will leave it: files an earlier step already
 * wrote into the workspace win over the forge's copy. Lets `homelab:secret:seal`
 * register its file in the kustomization `homelab:app:generate` just wrote.
 */
export class OverlayRepoSnapshot implements RepoSnapshot {
  constructor(
    private readonly base: RepoSnapshot,
    private readonly overlay: Map<string, string>,
  ) {}

  get description() {
    return `${this.base.description} + workspace`;
  }

  get ref() {
    return this.base.ref;
  }

  async files() {
    const all = new Set([...(await this.base.files()), ...this.overlay.keys()]);
    return [...all].sort();
  }

  async read(path: string) {
    return this.overlay.has(path)
      ? this.overlay.get(path)
      : this.base.read(path);
  }

  history() {
    return this.base.history();
  }
}

/** Directories (with a trailing slash removed) directly under a folder. */
export function childDirectories(files: string[], folder: string): string[] {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  const out = new Set<string>();
  for (const f of files) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash > 0) out.add(rest.slice(0, slash));
  }
  return [...out].sort();
}
