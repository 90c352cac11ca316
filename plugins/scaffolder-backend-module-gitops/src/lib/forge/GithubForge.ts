import {
  GithubCredentialsProvider,
  GithubIntegrationConfig,
} from '@backstage/integration';
import { forgeGraphql, forgeJson } from './http';

/** Where a pull request stands: whether it merges, and its checks. */
export type PullRequestStanding = {
  /** null: the forge had not finished computing it when the portal stopped asking. */
  mergeable: boolean | null;
  checks: 'success' | 'failure' | 'pending' | 'none';
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The GitHub REST and GraphQL calls the portal makes after a pull request
 * is open (the upstream action opens it). Works with github.com and
 * GitHub Enterprise (`apiBaseUrl` ending in `/api/v3`).
 */
export class GithubForge {
  constructor(
    private readonly config: GithubIntegrationConfig,
    private readonly credentials: GithubCredentialsProvider,
    readonly owner: string,
    readonly repo: string,
  ) {}

  private get apiBase() {
    return (this.config.apiBaseUrl ?? 'https://api.github.com').replace(
      /\/$/,
      '',
    );
  }

  /** Octokit's rule: `/api/v3` becomes `/api/graphql`, any other base gets `/graphql`. */
  get graphqlUrl() {
    return /\/api\/v3$/.test(this.apiBase)
      ? this.apiBase.replace(/\/api\/v3$/, '/api/graphql')
      : `${this.apiBase}/graphql`;
  }

  private async headers() {
    const { token } = await this.credentials.getCredentials({
      url: `https://${this.config.host}/${this.owner}/${this.repo}`,
    });
    return {
      accept: 'application/vnd.github+json',
      ...(token && { authorization: `token ${token}` }),
    };
  }

  /**
   * GitHub answers `mergeable: null` while its background job computes
   * mergeability (docs: rest/pulls/pulls#get-a-pull-request), so this asks
   * again, waiting a little longer each time.
   */
  async mergeable(
    number: number,
    options: { attempts?: number; delayMs?: number } = {},
  ): Promise<boolean | null> {
    const attempts = options.attempts ?? 5;
    const url = `${this.apiBase}/repos/${encodeURIComponent(
      this.owner,
    )}/${encodeURIComponent(this.repo)}/pulls/${number}`;
    for (let i = 0; i < attempts; i++) {
      const { body } = await forgeJson<{ mergeable: boolean | null }>(url, {
        headers: await this.headers(),
      });
      if (body.mergeable !== null) return body.mergeable;
      if (i < attempts - 1) await sleep((options.delayMs ?? 1000) * (i + 1));
    }
    return null;
  }

  /** The rollup of statuses and check runs on the pull request's head commit (GraphQL). */
  async checks(number: number): Promise<PullRequestStanding['checks']> {
    const data = await forgeGraphql<{
      repository: {
        pullRequest: {
          commits: {
            nodes: {
              commit: { statusCheckRollup: { state: string } | null };
            }[];
          };
        };
      };
    }>(
      this.graphqlUrl,
      `query PullRequestChecks($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) {
          pullRequest(number: $number) {
            commits(last: 1) { nodes { commit { statusCheckRollup { state } } } }
          }
        }
      }`,
      { owner: this.owner, repo: this.repo, number },
      await this.headers(),
    );
    const state =
      data.repository.pullRequest.commits.nodes[0]?.commit.statusCheckRollup
        ?.state;
    if (!state) return 'none';
    if (state === 'SUCCESS') return 'success';
    return state === 'PENDING' || state === 'EXPECTED' ? 'pending' : 'failure';
  }
}
