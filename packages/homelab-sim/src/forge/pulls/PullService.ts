import { ForgeAccount, ForgeModel, ForgeRepo } from '../ForgeModel';
import { personAt } from '../git/GitRepository';
import { PullStore, StoredPull } from './PullStore';

export type PullErrorCode =
  | 'same-branch'
  | 'head-missing'
  | 'base-missing'
  | 'no-commits'
  | 'exists'
  | 'not-found'
  | 'closed'
  | 'merged'
  | 'conflict'
  | 'sha-mismatch'
  | 'method-not-allowed'
  | 'base-moved';

/** A refusal both APIs translate into their own status and wording. */
export class PullError extends Error {
  constructor(
    readonly code: PullErrorCode,
    message: string,
    readonly existing?: StoredPull,
  ) {
    super(message);
  }
}

export type MergeMethod = 'merge' | 'squash' | 'rebase' | 'fast-forward-only';

/** A pull request with what git says about it right now. */
export type PullView = StoredPull & {
  baseSha: string;
  mergeBase?: string;
  /**
   * null while the forge is still computing it (the first look at a new
   * head/base pair), once the pull request is closed, or when a branch is
   * gone.
   */
  mergeable: boolean | null;
  commits: number;
  files: {
    status: string;
    path: string;
    oldSha: string;
    newSha: string;
    additions: number;
    deletions: number;
  }[];
  additions: number;
  deletions: number;
};

const ALLOWED: MergeMethod[] = ['merge', 'squash', 'fast-forward-only'];

/**
 * Pull request behaviour shared by the GitHub and Gitea APIs: one store, one
 * set of rules, real merges written with git plumbing.
 */
export class PullService {
  /** Git facts of a (head, base) pair never change, so they are computed once. */
  private readonly facts = new Map<
    string,
    Promise<Pick<PullView, 'mergeBase' | 'commits' | 'files'>>
  >();

  /**
   * Mergeability jobs per (head, base) pair. GitHub computes mergeability in
   * a background job and answers `mergeable: null` until it is done; here
   * the first look at a pair starts the job and gets null, later looks wait
   * for its result, so clients meet the "not computed yet" answer exactly
   * once per change of either branch.
   */
  private readonly mergeJobs = new Map<string, Promise<boolean>>();

  constructor(
    private readonly model: ForgeModel,
    readonly store: PullStore,
    private readonly now: () => number,
    /** Told after a merge moved the base branch (the forge's push webhook). */
    private readonly onMerged: (
      repo: ForgeRepo,
      branch: string,
      sha: string,
    ) => void = () => {},
  ) {}

  private stamp() {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  list(repo: ForgeRepo): StoredPull[] {
    return this.store.list(repo.fullName);
  }

  get(repo: ForgeRepo, number: number): StoredPull | undefined {
    return this.store.get(repo.fullName, number);
  }

  all(): StoredPull[] {
    return this.store.all();
  }

  /**
   * Points `refs/pull/<n>/head` at each pull request's head commit, as
   * GitHub and Gitea keep it (fetchable even after the branch is deleted).
   * Called before git serves a fetch, so pushes to head branches show.
   */
  async syncPullRefs(repo: ForgeRepo): Promise<void> {
    // Branches and pull refs in one listing (one git process per fetch).
    const current = new Map(
      (await repo.git.refs(['refs/heads/', 'refs/pull/'])).map(r => [
        r.ref,
        r.sha,
      ]),
    );
    for (const p of this.list(repo)) {
      const sha =
        (p.state === 'open' && current.get(`refs/heads/${p.head}`)) ||
        p.headSha;
      const ref = `refs/pull/${p.number}/head`;
      if (sha && current.get(ref) !== sha)
        await repo.git.updateRef(ref, sha, undefined, 'pull request head');
    }
  }

  /** Splits `owner:branch` (GitHub and Gitea both accept it for same-repository pull requests). */
  headBranch(repo: ForgeRepo, head: string): string | undefined {
    const i = head.indexOf(':');
    if (i < 0) return head;
    return head.slice(0, i).toLowerCase() === repo.owner.login.toLowerCase()
      ? head.slice(i + 1)
      : undefined;
  }

  async create(
    repo: ForgeRepo,
    input: {
      title: string;
      body: string;
      head: string;
      base: string;
      draft: boolean;
      user: ForgeAccount;
      allowEmpty: boolean;
    },
  ): Promise<StoredPull> {
    const head = this.headBranch(repo, input.head);
    if (head === undefined)
      throw new PullError(
        'head-missing',
        `head ${input.head} is not a branch of ${repo.fullName}`,
      );
    if (head === input.base)
      throw new PullError('same-branch', `head and base are both ${head}`);
    const headSha = await repo.git.branchSha(head);
    if (!headSha)
      throw new PullError('head-missing', `branch ${head} does not exist`);
    const baseSha = await repo.git.branchSha(input.base);
    if (!baseSha)
      throw new PullError(
        'base-missing',
        `branch ${input.base} does not exist`,
      );
    if (!input.allowEmpty && (await repo.git.isAncestor(headSha, baseSha)))
      throw new PullError(
        'no-commits',
        `No commits between ${input.base} and ${head}`,
      );
    return this.store.transaction(tx => {
      const existing = tx
        .list(repo.fullName)
        .find(
          p => p.state === 'open' && p.head === head && p.base === input.base,
        );
      if (existing)
        throw new PullError(
          'exists',
          'a pull request already exists',
          existing,
        );
      const at = this.stamp();
      return tx.add({
        repo: repo.fullName,
        title: input.title,
        body: input.body,
        state: 'open',
        draft: input.draft,
        user: input.user.login,
        head,
        base: input.base,
        headSha,
        merged: false,
        createdAt: at,
        updatedAt: at,
        assignees: [],
        requestedReviewers: [],
        labels: [],
      });
    });
  }

  async update(
    repo: ForgeRepo,
    number: number,
    change: {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      base?: string;
    },
  ): Promise<StoredPull> {
    if (change.base !== undefined && !(await repo.git.branchSha(change.base)))
      throw new PullError(
        'base-missing',
        `new base '${change.base}' not exist`,
      );
    const live = await this.liveShas(repo, number);
    return this.store.transaction(tx => {
      const pull = tx.get(repo.fullName, number);
      if (!pull) throw new PullError('not-found', 'pull request not found');
      if (change.state !== undefined && pull.merged)
        throw new PullError(
          'merged',
          'cannot change state of this pull request, it was already merged',
        );
      if (change.title !== undefined) pull.title = change.title;
      if (change.body !== undefined) pull.body = change.body;
      if (change.base !== undefined) pull.base = change.base;
      if (change.state !== undefined && change.state !== pull.state) {
        if (change.state === 'open') {
          const clash = tx
            .list(repo.fullName)
            .find(
              p =>
                p !== pull &&
                p.state === 'open' &&
                p.head === pull.head &&
                p.base === pull.base,
            );
          if (clash)
            throw new PullError(
              'exists',
              'a pull request already exists',
              clash,
            );
          pull.closedAt = undefined;
        } else {
          pull.closedAt = this.stamp();
          if (live.head) pull.headSha = live.head;
          pull.baseSha = live.base;
        }
        pull.state = change.state;
      }
      pull.updatedAt = this.stamp();
      return pull;
    });
  }

  async addPeople(
    repo: ForgeRepo,
    number: number,
    field: 'assignees' | 'requestedReviewers' | 'labels',
    values: string[],
  ): Promise<StoredPull> {
    return this.store.transaction(tx => {
      const pull = tx.get(repo.fullName, number);
      if (!pull) throw new PullError('not-found', 'pull request not found');
      pull[field] = [...new Set([...pull[field], ...values])];
      pull.updatedAt = this.stamp();
      return pull;
    });
  }

  private async liveShas(repo: ForgeRepo, number: number) {
    const pull = this.store.get(repo.fullName, number);
    if (!pull) return {};
    return {
      head: await repo.git.branchSha(pull.head),
      base: await repo.git.branchSha(pull.base),
    };
  }

  /**
   * What git says about the pull request now (frozen once it is closed).
   * `mergeability: false` reads without looking at mergeability (list
   * views), so it neither starts nor waits for that job.
   */
  async view(
    repo: ForgeRepo,
    pull: StoredPull,
    options: { mergeability?: boolean } = {},
  ): Promise<PullView> {
    const open = pull.state === 'open';
    const headSha = open
      ? (await repo.git.branchSha(pull.head)) ?? pull.headSha
      : pull.headSha;
    const baseSha =
      open || !pull.baseSha
        ? (await repo.git.branchSha(pull.base)) ?? ''
        : pull.baseSha;
    const { mergeBase, commits, files } = await this.gitFacts(
      repo,
      headSha,
      baseSha,
    );
    const mergeable =
      open && options.mergeability !== false
        ? await this.mergeability(repo, headSha, baseSha)
        : null;
    return {
      ...pull,
      headSha,
      baseSha,
      mergeBase,
      mergeable,
      commits,
      files,
      additions: files.reduce((s, f) => s + f.additions, 0),
      deletions: files.reduce((s, f) => s + f.deletions, 0),
    };
  }

  private gitFacts(
    repo: ForgeRepo,
    headSha: string,
    baseSha: string,
  ): Promise<Pick<PullView, 'mergeBase' | 'commits' | 'files'>> {
    const key = `${repo.id}:${headSha}:${baseSha}`;
    let found = this.facts.get(key);
    if (!found) {
      found = (async () => {
        let mergeBase: string | undefined;
        let commits = 0;
        let files: PullView['files'] = [];
        if (await this.bothCommits(repo, headSha, baseSha)) {
          mergeBase = await repo.git.mergeBase(baseSha, headSha);
          if (mergeBase) {
            files = await repo.git.diffFiles(mergeBase, headSha);
            commits = await repo.git.countBetween(mergeBase, headSha);
          }
        }
        return { mergeBase, commits, files };
      })();
      found.catch(() => this.facts.delete(key));
      if (this.facts.size > 500) this.facts.clear();
      this.facts.set(key, found);
    }
    return found;
  }

  private async bothCommits(repo: ForgeRepo, headSha: string, baseSha: string) {
    return (
      !!headSha &&
      !!baseSha &&
      (await repo.git.objectType(headSha)) === 'commit'
    );
  }

  private async mergeability(
    repo: ForgeRepo,
    headSha: string,
    baseSha: string,
  ): Promise<boolean | null> {
    if (!(await this.bothCommits(repo, headSha, baseSha))) return null;
    const key = `${repo.id}:${headSha}:${baseSha}`;
    const job = this.mergeJobs.get(key);
    if (job) return job;
    const started = repo.git
      .mergeTrees(baseSha, headSha)
      .then(m => m.tree !== undefined);
    started.catch(() => this.mergeJobs.delete(key));
    if (this.mergeJobs.size > 500) this.mergeJobs.clear();
    this.mergeJobs.set(key, started);
    return null;
  }

  /**
   * Merges for real: a merge commit (two parents), a squash commit (one
   * parent) or a fast-forward, then moves the base branch only if nobody
   * moved it in between.
   */
  async merge(
    repo: ForgeRepo,
    number: number,
    options: {
      method: MergeMethod;
      user: ForgeAccount;
      title?: string;
      message?: string;
      expectedHeadSha?: string;
      deleteBranch?: boolean;
      defaultTitle: (pull: StoredPull) => string;
      defaultMessage: (pull: StoredPull) => string;
    },
  ): Promise<{ pull: StoredPull; sha: string }> {
    const pull = this.store.get(repo.fullName, number);
    if (!pull) throw new PullError('not-found', 'pull request not found');
    if (pull.merged)
      throw new PullError('merged', 'Pull Request is already merged');
    if (pull.state !== 'open')
      throw new PullError('closed', 'Pull Request is closed');
    if (!ALLOWED.includes(options.method))
      throw new PullError(
        'method-not-allowed',
        `${options.method} is not allowed`,
      );
    const headSha = await repo.git.branchSha(pull.head);
    const baseSha = await repo.git.branchSha(pull.base);
    if (!headSha)
      throw new PullError('head-missing', `branch ${pull.head} does not exist`);
    if (!baseSha)
      throw new PullError('base-missing', `branch ${pull.base} does not exist`);
    if (options.expectedHeadSha && options.expectedHeadSha !== headSha)
      throw new PullError(
        'sha-mismatch',
        'Head branch was modified. Review and try the merge again.',
      );

    const now = this.now();
    const title = options.title?.trim() || options.defaultTitle(pull);
    const body = options.message ?? options.defaultMessage(pull);
    const message = body ? `${title}\n\n${body}\n` : `${title}\n`;
    const doer = personAt(
      options.user.name,
      options.user.email,
      undefined,
      now,
    );
    let sha: string;
    if (options.method === 'fast-forward-only') {
      if (!(await repo.git.isAncestor(baseSha, headSha)))
        throw new PullError(
          'conflict',
          'the base branch has commits the head does not have; a fast-forward is not possible',
        );
      sha = headSha;
    } else {
      const merged = await repo.git.mergeTrees(baseSha, headSha);
      if (!merged.tree)
        throw new PullError(
          'conflict',
          `merge conflict in ${merged.conflicts.join(', ')}`,
        );
      const author =
        options.method === 'squash'
          ? (() => {
              const a = this.model.account(pull.user) ?? options.user;
              return personAt(a.name, a.email, undefined, now);
            })()
          : doer;
      sha = await repo.git.commitTree({
        tree: merged.tree,
        parents: options.method === 'squash' ? [baseSha] : [baseSha, headSha],
        message,
        author,
        committer: doer,
      });
    }
    try {
      await repo.git.updateRef(
        `refs/heads/${pull.base}`,
        sha,
        baseSha,
        `merge pull request #${number}`,
      );
    } catch {
      throw new PullError(
        'base-moved',
        'Base branch was modified. Review and try the merge again.',
      );
    }
    if (options.deleteBranch) {
      const others = this.store
        .list(repo.fullName)
        .some(
          p =>
            p.number !== number && p.state === 'open' && p.head === pull.head,
        );
      if (!others)
        await repo.git
          .deleteRef(`refs/heads/${pull.head}`)
          .catch(() => undefined);
    }
    const stored = await this.store.transaction(tx => {
      const p = tx.get(repo.fullName, number)!;
      const at = this.stamp();
      Object.assign(p, {
        state: 'closed',
        merged: true,
        mergedAt: at,
        mergedBy: options.user.login,
        mergeCommitSha: sha,
        headSha,
        baseSha,
        closedAt: at,
        updatedAt: at,
      });
      return p;
    });
    this.onMerged(repo, pull.base, sha);
    return { pull: stored, sha };
  }
}
