import {
  getGiteaRequestOptions,
  GiteaIntegrationConfig,
} from '@backstage/integration';
import { encodePath, forgeJson, ForgeHttpError } from './http';

export type GiteaPullRequest = {
  number: number;
  html_url: string;
  state: string;
  head: { ref: string };
  base: { ref: string };
};

export type GiteaFileChange = {
  operation: 'create' | 'update' | 'delete';
  path: string;
  content?: string;
  sha?: string;
};

/**
 * Gitea / Forgejo through /api/v1 (shapes from the Gitea 1.22 swagger): the
 * calls a pull request needs.
 */
export class GiteaForge {
  readonly baseUrl: string;
  private readonly api: string;

  constructor(
    private readonly config: GiteaIntegrationConfig,
    readonly owner: string,
    readonly repo: string,
  ) {
    this.baseUrl = (config.baseUrl ?? `https://${config.host}`).replace(
      /\/$/,
      '',
    );
    this.api = `${this.baseUrl}/api/v1`;
  }

  get host() {
    return this.config.host;
  }

  private get headers() {
    return getGiteaRequestOptions(this.config).headers ?? {};
  }

  private repoApi(path: string) {
    return `${this.api}/repos/${encodeURIComponent(
      this.owner,
    )}/${encodeURIComponent(this.repo)}${path}`;
  }

  async defaultBranch() {
    const { body } = await forgeJson<{ default_branch: string }>(
      this.repoApi(''),
      {
        headers: this.headers,
      },
    );
    return body.default_branch;
  }

  async branchHead(branch: string) {
    const { status, body } = await forgeJson<{ commit?: { id: string } }>(
      this.repoApi(`/branches/${encodePath(branch)}`),
      { headers: this.headers, accept: [404] },
    );
    return status === 404 ? undefined : body.commit?.id;
  }

  /** repoGetContents: the file's blob sha (needed to update it) and content. */
  async contents(path: string, ref: string) {
    const { status, body } = await forgeJson<{
      type?: string;
      sha: string;
      content?: string;
    }>(
      this.repoApi(
        `/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`,
      ),
      { headers: this.headers, accept: [404] },
    );
    if (status === 404 || Array.isArray(body) || body?.type !== 'file')
      return undefined;
    return body;
  }

  /**
   * Whether the pull request merges. Gitea answers `mergeable: false` both
   * while its check is still running and when it conflicts, so a false is
   * asked again before it is believed; null when it stayed false.
   */
  async mergeable(
    number: number,
    options: { attempts?: number; delayMs?: number } = {},
  ): Promise<boolean | null> {
    const attempts = options.attempts ?? 3;
    for (let i = 0; i < attempts; i++) {
      const { body } = await forgeJson<{ mergeable: boolean }>(
        this.repoApi(`/pulls/${number}`),
        { headers: this.headers },
      );
      if (body.mergeable) return true;
      if (i < attempts - 1)
        await new Promise(r =>
          setTimeout(r, (options.delayMs ?? 1000) * (i + 1)),
        );
    }
    return null;
  }

  /** repoGetCombinedStatusByRef of the pull request's head. */
  async checks(
    number: number,
  ): Promise<'success' | 'failure' | 'pending' | 'none'> {
    const { body: pull } = await forgeJson<{ head: { sha: string } }>(
      this.repoApi(`/pulls/${number}`),
      { headers: this.headers },
    );
    const { body } = await forgeJson<{ state: string; total_count: number }>(
      this.repoApi(`/commits/${pull.head.sha}/status`),
      { headers: this.headers },
    );
    if (!body.total_count) return 'none';
    if (body.state === 'success') return 'success';
    return body.state === 'pending' ? 'pending' : 'failure';
  }

  /** repoGetPullRequestByBaseHead; undefined when there is none. */
  async pullRequestFor(
    base: string,
    head: string,
  ): Promise<GiteaPullRequest | undefined> {
    const { status, body } = await forgeJson<GiteaPullRequest>(
      this.repoApi(`/pulls/${encodePath(base)}/${encodePath(head)}`),
      { headers: this.headers, accept: [404] },
    );
    if (status === 404) return undefined;
    return body;
  }

  /** An open pull request from this head branch, whatever its base. */
  async openPullRequestFrom(
    head: string,
  ): Promise<GiteaPullRequest | undefined> {
    for (let page = 1; page <= 20; page++) {
      const { body } = await forgeJson<GiteaPullRequest[]>(
        this.repoApi(`/pulls?state=open&limit=50&page=${page}`),
        { headers: this.headers },
      );
      const found = (body ?? []).find(p => p.head?.ref === head);
      if (found) return found;
      if (!body || body.length < 50) return undefined;
    }
    return undefined;
  }

  /** repoChangeFiles: every change in one commit, on a new branch when given. */
  async changeFiles(options: {
    branch: string;
    newBranch?: string;
    message: string;
    files: GiteaFileChange[];
    author?: { name?: string; email?: string };
  }): Promise<{ commitSha: string }> {
    const { body } = await forgeJson<{ commit?: { sha: string } }>(
      this.repoApi('/contents'),
      {
        method: 'POST',
        headers: this.headers,
        body: {
          branch: options.branch,
          ...(options.newBranch && { new_branch: options.newBranch }),
          message: options.message,
          files: options.files.map(f => ({
            operation: f.operation,
            path: f.path,
            ...(f.content !== undefined && { content: f.content }),
            ...(f.sha && { sha: f.sha }),
          })),
          ...(options.author?.name &&
            options.author?.email && {
              author: {
                name: options.author.name,
                email: options.author.email,
              },
              committer: {
                name: options.author.name,
                email: options.author.email,
              },
            }),
        },
      },
    );
    return { commitSha: body?.commit?.sha ?? '' };
  }

  /** repoCreatePullRequest; an existing one is returned instead (409). */
  async createPullRequest(options: {
    base: string;
    head: string;
    title: string;
    body: string;
  }): Promise<{ pullRequest: GiteaPullRequest; created: boolean }> {
    try {
      const { body } = await forgeJson<GiteaPullRequest>(
        this.repoApi('/pulls'),
        {
          method: 'POST',
          headers: this.headers,
          body: {
            base: options.base,
            head: options.head,
            title: options.title,
            body: options.body,
          },
        },
      );
      return { pullRequest: body, created: true };
    } catch (error) {
      // Gitea: 409 "pull request already exists for these targets [...]".
      if (error instanceof ForgeHttpError && error.status === 409) {
        const existing = await this.pullRequestFor(options.base, options.head);
        if (existing) return { pullRequest: existing, created: false };
      }
      throw error;
    }
  }
}
