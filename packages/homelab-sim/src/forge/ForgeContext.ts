import { ForgeModel, ForgeRepo } from './ForgeModel';
import { IssueService } from './issues/IssueService';
import { PullService } from './pulls/PullService';
import { ActivityStore } from './store/ActivityStore';

export type RepoStats = {
  createdAt: string;
  pushedAt: string;
  openPulls: number;
  openIssues: number;
  sizeKb: number;
};

/** What the API front ends (GitHub, Gitea, web pages) share. */
export class ForgeContext {
  private readonly created = new Map<number, string>();
  readonly issues: IssueService;
  /** Comments, reviews, commit statuses, check runs and releases. */
  readonly activity: ActivityStore;

  constructor(
    readonly model: ForgeModel,
    readonly pulls: PullService,
    readonly now: () => number,
  ) {
    this.issues = new IssueService(pulls.store, now);
    this.activity = new ActivityStore(
      model.state.path('forge', 'activity.json'),
    );
  }

  /** ISO time without milliseconds, as GitHub and Gitea print it. */
  stamp(ms = this.now()) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Timestamps and counters every repository object carries, read from git. */
  async repoStats(repo: ForgeRepo): Promise<RepoStats> {
    let createdAt = this.created.get(repo.id);
    if (!createdAt) {
      const roots = (
        await repo.git.git([
          'rev-list',
          '--max-parents=0',
          '--format=%at',
          '--all',
        ])
      )
        .toString()
        .split('\n')
        .filter(l => /^\d+$/.test(l))
        .map(Number);
      createdAt = this.stamp(
        roots.length ? Math.min(...roots) * 1000 : this.now(),
      );
      this.created.set(repo.id, createdAt);
    }
    const last = (
      await repo.git.git([
        'for-each-ref',
        '--sort=-committerdate',
        '--count=1',
        '--format=%(committerdate:unix)',
        'refs/heads/',
      ])
    )
      .toString()
      .trim();
    const sizes = (await repo.git.git(['count-objects', '-v'])).toString();
    const kb = (key: string) =>
      Number(new RegExp(`^${key}: (\\d+)`, 'm').exec(sizes)?.[1] ?? 0);
    return {
      createdAt,
      pushedAt: last ? this.stamp(Number(last) * 1000) : createdAt,
      openPulls: this.pulls.list(repo).filter(p => p.state === 'open').length,
      openIssues: this.issues.list(repo).filter(i => i.state === 'open').length,
      sizeKb: kb('size') + kb('size-pack'),
    };
  }
}
