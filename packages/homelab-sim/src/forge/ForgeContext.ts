import { ForgeModel, ForgeRepo } from './ForgeModel';
import { PullService } from './pulls/PullService';

export type RepoStats = {
  createdAt: string;
  pushedAt: string;
  openPulls: number;
  sizeKb: number;
};

/** What the API front ends (GitHub, Gitea, web pages) share. */
export class ForgeContext {
  private readonly created = new Map<number, string>();

  constructor(
    readonly model: ForgeModel,
    readonly pulls: PullService,
    readonly now: () => number,
  ) {}

  /** Timestamps and counters every repository object carries, read from git. */
  async repoStats(repo: ForgeRepo): Promise<RepoStats> {
    const iso = (seconds: number) =>
      new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
      createdAt = iso(roots.length ? Math.min(...roots) : this.now() / 1000);
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
      pushedAt: last ? iso(Number(last)) : createdAt,
      openPulls: this.pulls.list(repo).filter(p => p.state === 'open').length,
      sizeKb: kb('size') + kb('size-pack'),
    };
  }
}
