import { GitRepository } from '../../../forge/git/GitRepository';
import { GitPushEvent, SimContext } from '../../../SimContext';
import { BlobDocsCache, readRepoApps, RepoApp } from './repoApps';

/** A commit of a GitOps repository as the engine fetched it. */
export type Revision = {
  sha: string;
  /** When the engine fetched it (the first revision: when it was committed). */
  fetchedAt: number;
  apps: Map<string, RepoApp>;
};

export type RepoSpec = {
  name: string;
  owner: string;
  layout: 'flux' | 'argocd';
  defaultBranch: string;
};

/** Where one app stands at one moment: what the engine applies and since when. */
export type AppDelivery = {
  repo: RepoSpec;
  app: RepoApp;
  /** The newest revision the engine has fetched. */
  revision: Revision;
  /** The revision before it that the app's content last changed in (undefined for a new app). */
  previous?: Revision;
  /** When the app's current content was fetched: the change being reconciled. */
  changedAt: number;
  /** When the app first appeared in the repository (as fetched). */
  createdAt: number;
  /** Helm release version / Argo CD history id: one per change. */
  version: number;
  /** True when the app was part of the repository when the demo started. */
  seeded: boolean;
  /** The API server's error when the scenario makes this app fail to apply. */
  error?: string;
};

/**
 * The GitOps engines of the demo cluster (Flux's source-controller, Argo CD's
 * repo server): they fetch the default branch of each forge repository, every
 * `sourceIntervalSeconds` and at once when the forge reports a merge (as a
 * Flux Receiver or an Argo CD webhook does), and remember each revision with
 * the apps it declares. Controllers derive every status from these
 * revisions and the clock, so a merge reconciles `reconcileDelaySeconds`
 * after it was fetched.
 */
export class GitopsEngine {
  private readonly repos: {
    spec: RepoSpec;
    git: GitRepository;
    revisions: Revision[];
    /** The parsed files of the revisions fetched so far, by blob id. */
    docs: BlobDocsCache;
  }[];
  private polling?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ctx: SimContext) {
    const forge = ctx.scenario.forge;
    this.repos = forge.repositories.map(r => ({
      spec: {
        name: r.name,
        owner: forge.owner,
        layout: r.layout,
        defaultBranch: r.defaultBranch,
      },
      git: new GitRepository(
        ctx.state.path('forge', 'repos', forge.owner, `${r.name}.git`),
      ),
      revisions: [],
      docs: new Map(),
    }));
  }

  get delayMs() {
    return this.ctx.scenario.gitops.reconcileDelaySeconds * 1000;
  }

  /** Starts polling; a `git-push` event of the forge makes it fetch at once. */
  start() {
    const interval = this.ctx.scenario.gitops.sourceIntervalSeconds * 1000;
    this.timer = setInterval(() => void this.poll(), interval);
    this.timer.unref();
    this.ctx.events.on('git-push', this.onPush);
    return this.poll();
  }

  stop() {
    clearInterval(this.timer);
    this.ctx.events.off('git-push', this.onPush);
  }

  private readonly onPush = (event: GitPushEvent) => {
    const work = this.poll();
    event.acknowledge?.(work);
  };

  /**
   * Fetches every repository. A call during a fetch runs one more fetch
   * after it (the push may have come after the branch was read).
   */
  poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        await this.fetchAll();
      } while (this.again);
    })().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async fetchAll() {
    for (const repo of this.repos) {
      // The forge seeds the repositories; before it has, there is nothing to fetch.
      if (!repo.git.exists()) continue;
      const sha = await repo.git
        .branchSha(repo.spec.defaultBranch)
        .catch(() => undefined);
      const last = repo.revisions[repo.revisions.length - 1];
      if (!sha || sha === last?.sha) continue;
      const apps = await readRepoApps(
        repo.git,
        sha,
        repo.spec.layout,
        repo.docs,
      );
      const committed = (await repo.git.commit(sha))?.committer;
      const fetchedAt = last
        ? this.ctx.now()
        : Math.min(
            this.ctx.now(),
            committed ? committed.time * 1000 : this.ctx.now(),
          );
      repo.revisions.push({
        sha,
        fetchedAt,
        apps: new Map(apps.map(a => [a.name, a])),
      });
    }
  }

  /** Every app of every repository as the engines see it at `now`. */
  deliveries(now: number): AppDelivery[] {
    const failing = new Map(
      this.ctx.scenario.gitops.failing.map(f => [f.app, f.error]),
    );
    const out: AppDelivery[] = [];
    for (const repo of this.repos) {
      const seen = repo.revisions.filter(r => r.fetchedAt <= now);
      const revision = seen[seen.length - 1];
      if (!revision) continue;
      for (const app of revision.apps.values()) {
        let changed = seen.length - 1;
        while (
          changed > 0 &&
          seen[changed - 1].apps.get(app.name)?.digest === app.digest
        )
          changed--;
        let created = changed;
        while (created > 0 && seen[created - 1].apps.has(app.name)) created--;
        const changes = new Set(
          seen.slice(created).map(r => r.apps.get(app.name)?.digest),
        ).size;
        const seeded = created === 0;
        out.push({
          repo: repo.spec,
          app,
          revision,
          previous: changed > 0 ? seen[changed - 1] : undefined,
          changedAt: seen[changed].fetchedAt,
          createdAt: seen[created].fetchedAt,
          // Seeded apps went through a few releases before the demo began.
          version: changes + (seeded ? 2 : 0),
          seeded,
          error: failing.get(app.name),
        });
      }
    }
    return out;
  }

  /** The newest revision of a repository fetched by `now`. */
  revision(repo: string, now: number): Revision | undefined {
    const r = this.repos.find(x => x.spec.name === repo);
    const seen = r?.revisions.filter(x => x.fetchedAt <= now) ?? [];
    return seen[seen.length - 1];
  }
}
