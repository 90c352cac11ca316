import { toError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { Config } from '@backstage/config';
import { fetch } from 'undici';
import { RepositoryConfig } from './repositories';

/** A pull request as both forges describe it, in the words this plugin needs. */
export type ForgePull = {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  mergeSha?: string;
  head: string;
  labels: string[];
  body: string;
  url: string;
  author: string;
  createdAt: string;
  updatedAt: string;
};

/** An app's folder in the repository: `<appsPath>/<namespace>/<name>`. */
export type AppFolder = { namespace: string; name: string };

export class ForgeError extends Error {
  name = 'ForgeError';
}

/**
 * Reads a GitOps repository's pull requests and the files they touch through
 * the forge's REST API (GitHub v3 or Gitea v1), with the integration's
 * token for the host. Files of a pull request never change once it is
 * closed, so they are kept.
 */
export class ForgeReader {
  private readonly files = new Map<string, string[]>();
  private folders?: { sha: string; apps: AppFolder[] };

  private constructor(
    readonly repo: RepositoryConfig,
    private readonly api: string,
    private readonly auth: string | undefined,
  ) {}

  static fromConfig(config: Config, repo: RepositoryConfig): ForgeReader {
    const integrations = ScmIntegrations.fromConfig(config);
    if (repo.forge === 'github') {
      const gh = integrations.github.byHost(repo.host)?.config;
      if (!gh)
        throw new Error(
          `gitops.repositories "${repo.name}": no integrations.github entry for host ${repo.host}`,
        );
      return new ForgeReader(
        repo,
        `${gh.apiBaseUrl ?? 'https://api.github.com'}/repos/${repo.owner}/${
          repo.repo
        }`,
        gh.token ? `token ${gh.token}` : undefined,
      );
    }
    const gitea = integrations.gitea.byHost(repo.host)?.config;
    if (!gitea)
      throw new Error(
        `gitops.repositories "${repo.name}": no integrations.gitea entry for host ${repo.host}`,
      );
    return new ForgeReader(
      repo,
      `${gitea.baseUrl}/api/v1/repos/${repo.owner}/${repo.repo}`,
      gitea.password ? `token ${gitea.password}` : undefined,
    );
  }

  private async get(path: string): Promise<any> {
    let res;
    try {
      res = await fetch(`${this.api}${path}`, {
        headers: {
          accept: 'application/json',
          ...(this.auth && { authorization: this.auth }),
        },
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      const cause = toError(toError(error).cause ?? error);
      throw new ForgeError(
        `the forge of ${this.repo.name} (${this.repo.host}) is unreachable: ${cause.message}`,
      );
    }
    if (res.status === 401 || res.status === 403)
      throw new ForgeError(
        `the forge of ${this.repo.name} refused the integration token for ${this.repo.host} (HTTP ${res.status})`,
      );
    if (!res.ok)
      throw new ForgeError(
        `the forge of ${this.repo.name} answered HTTP ${res.status} to ${
          path.split('?')[0]
        }`,
      );
    return res.json();
  }

  /** Open pull requests and the 50 most recent closed ones. */
  async pulls(): Promise<ForgePull[]> {
    const page =
      this.repo.forge === 'github' ? 'per_page=50' : 'limit=50&page=1';
    const [open, closed] = await Promise.all([
      this.get(`/pulls?state=open&${page}`),
      this.get(`/pulls?state=closed&${page}`),
    ]);
    return [...open, ...closed].map(
      (p: any): ForgePull => ({
        number: p.number,
        title: p.title,
        state: p.state,
        merged: Boolean(p.merged_at),
        mergedAt: p.merged_at ?? undefined,
        mergeSha: p.merge_commit_sha ?? undefined,
        head: p.head?.ref ?? '',
        labels: (p.labels ?? []).map((l: any) => l.name),
        body: p.body ?? '',
        url: p.html_url,
        author: p.user?.login ?? '',
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      }),
    );
  }

  /** Paths a pull request touches. */
  async filesOf(pull: ForgePull): Promise<string[]> {
    const key = `${pull.number}:${pull.state}:${pull.updatedAt}`;
    const known = this.files.get(key);
    if (known) return known;
    const query = this.repo.forge === 'github' ? '?per_page=100' : '?limit=100';
    const files = (await this.get(`/pulls/${pull.number}/files${query}`)).map(
      (f: any) => f.filename as string,
    );
    if (this.files.size > 1000) this.files.clear();
    this.files.set(key, files);
    return files;
  }

  /**
   * The app folders on the branch (`<appsPath>/<namespace>/<app>`), through
   * the contents API both forges share. Read again only when the branch
   * moves, so a poll costs one request.
   */
  async appFolders(): Promise<AppFolder[]> {
    const branch = await this.get(
      `/branches/${encodeURIComponent(this.repo.branch)}`,
    );
    // GitHub names the head commit's hash `sha`, Gitea `id`.
    const sha: string = branch.commit?.sha ?? branch.commit?.id;
    if (this.folders?.sha === sha) return this.folders.apps;
    const dirs = async (path: string): Promise<string[]> =>
      (await this.get(`/contents/${path}?ref=${sha}`))
        .filter((e: any) => e.type === 'dir')
        .map((e: any) => e.name as string);
    const apps: AppFolder[] = [];
    for (const namespace of await dirs(this.repo.appsPath))
      for (const name of await dirs(`${this.repo.appsPath}/${namespace}`))
        apps.push({ namespace, name });
    this.folders = { sha, apps };
    return apps;
  }

  /** Web address of a folder on the default branch. */
  folderUrl(folder: string) {
    const base = `https://${this.repo.host}/${this.repo.owner}/${this.repo.repo}`;
    return this.repo.forge === 'github'
      ? `${base}/tree/${this.repo.branch}/${folder}`
      : `${base}/src/branch/${this.repo.branch}/${folder}`;
  }
}
