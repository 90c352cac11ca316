import { JsonFileStore } from '../store/JsonFileStore';

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

/** An issue that is not a pull request (they share one numbering per repository). */
export type StoredIssue = {
  id: number;
  repo: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  /** GitHub's `state_reason` once closed. */
  stateReason?: 'completed' | 'not_planned' | 'reopened';
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
};

type StoreFile = {
  version: 1;
  nextId: number;
  /** Next number per repository (GitHub and Gitea share issue and PR numbers). */
  numbers: Record<string, number>;
  pulls: StoredPull[];
  /** Absent in files written before issues existed. */
  issues?: StoredIssue[];
};

export class PullTransaction {
  constructor(private readonly data: StoreFile) {}

  list(repo: string) {
    return this.data.pulls.filter(p => p.repo === repo);
  }

  get(repo: string, number: number) {
    return this.data.pulls.find(p => p.repo === repo && p.number === number);
  }

  private next(repo: string) {
    const number = this.data.numbers[repo] ?? 1;
    this.data.numbers[repo] = number + 1;
    return { id: this.data.nextId++, number };
  }

  add(pull: Omit<StoredPull, 'id' | 'number'>): StoredPull {
    const stored = { ...pull, ...this.next(pull.repo) };
    this.data.pulls.push(stored);
    return stored;
  }

  issue(repo: string, number: number) {
    return (this.data.issues ?? []).find(
      i => i.repo === repo && i.number === number,
    );
  }

  addIssue(issue: Omit<StoredIssue, 'id' | 'number'>): StoredIssue {
    const stored = { ...issue, ...this.next(issue.repo) };
    (this.data.issues ??= []).push(stored);
    return stored;
  }
}

/**
 * Pull requests and issues on disk (`<state>/forge/pulls.json`), one
 * atomic change at a time.
 */
export class PullStore {
  private readonly file: JsonFileStore<StoreFile>;

  constructor(file: string) {
    this.file = new JsonFileStore<StoreFile>(
      file,
      () => ({ version: 1, nextId: 1, numbers: {}, pulls: [] }),
      (parsed, name) => {
        const data = parsed as StoreFile;
        if (data?.version !== 1 || !Array.isArray(data.pulls))
          throw new Error(
            `${name} is not a forge pull request store (version 1)`,
          );
        return data;
      },
    );
  }

  list(repo: string): StoredPull[] {
    return this.file.current.pulls.filter(p => p.repo === repo);
  }

  get(repo: string, number: number): StoredPull | undefined {
    return this.file.current.pulls.find(
      p => p.repo === repo && p.number === number,
    );
  }

  all(): StoredPull[] {
    return [...this.file.current.pulls];
  }

  issues(repo: string): StoredIssue[] {
    return (this.file.current.issues ?? []).filter(i => i.repo === repo);
  }

  issue(repo: string, number: number): StoredIssue | undefined {
    return (this.file.current.issues ?? []).find(
      i => i.repo === repo && i.number === number,
    );
  }

  /**
   * Runs `change` exclusively against the current data and saves the result;
   * if `change` throws, nothing is saved.
   */
  transaction<T>(change: (tx: PullTransaction) => T | Promise<T>): Promise<T> {
    return this.file.transaction(draft => change(new PullTransaction(draft)));
  }
}
