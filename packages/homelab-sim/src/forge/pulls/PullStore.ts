import fs from 'node:fs';
import path from 'node:path';

/** A pull request as the forge keeps it; both APIs render it their own way. */
export type StoredPull = {
  id: number;
  /** `owner/name` of the base repository. */
  repo: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  draft: boolean;
  /** Login of the author. */
  user: string;
  head: string;
  base: string;
  /** Head commit when last seen; frozen once the pull request is closed or merged. */
  headSha: string;
  /** Base branch tip when the pull request was merged or closed. */
  baseSha?: string;
  merged: boolean;
  mergedAt?: string;
  mergedBy?: string;
  mergeCommitSha?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  assignees: string[];
  requestedReviewers: string[];
  labels: string[];
};

type StoreFile = {
  version: 1;
  nextId: number;
  /** Next number per repository (GitHub and Gitea share issue and PR numbers). */
  numbers: Record<string, number>;
  pulls: StoredPull[];
};

export class PullTransaction {
  constructor(private readonly data: StoreFile) {}

  list(repo: string) {
    return this.data.pulls.filter(p => p.repo === repo);
  }

  get(repo: string, number: number) {
    return this.data.pulls.find(p => p.repo === repo && p.number === number);
  }

  add(pull: Omit<StoredPull, 'id' | 'number'>): StoredPull {
    const number = this.data.numbers[pull.repo] ?? 1;
    this.data.numbers[pull.repo] = number + 1;
    const stored = { ...pull, id: this.data.nextId++, number };
    this.data.pulls.push(stored);
    return stored;
  }
}

/**
 * Pull requests on disk (`<state>/forge/pulls.json`), written atomically
 * (temp file + rename) and one change at a time, so a crash or two
 * concurrent API calls never leave a half-written file.
 */
export class PullStore {
  private data: StoreFile;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {
    this.data = PullStore.read(file);
  }

  private static read(file: string): StoreFile {
    if (!fs.existsSync(file))
      return { version: 1, nextId: 1, numbers: {}, pulls: [] };
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StoreFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.pulls))
      throw new Error(`${file} is not a forge pull request store (version 1)`);
    return parsed;
  }

  list(repo: string): StoredPull[] {
    return this.data.pulls.filter(p => p.repo === repo);
  }

  get(repo: string, number: number): StoredPull | undefined {
    return this.data.pulls.find(p => p.repo === repo && p.number === number);
  }

  all(): StoredPull[] {
    return [...this.data.pulls];
  }

  /**
   * Runs `change` exclusively against the current data and saves the result;
   * if `change` throws, nothing is saved.
   */
  transaction<T>(change: (tx: PullTransaction) => T | Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.data);
      const result = await change(new PullTransaction(draft));
      this.save(draft);
      this.data = draft;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private save(data: StoreFile) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
  }
}
