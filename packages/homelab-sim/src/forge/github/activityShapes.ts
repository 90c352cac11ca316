import type { components } from '@octokit/openapi-types';
import { ForgeRepo } from '../ForgeModel';
import { GitCommit } from '../git/GitRepository';
import { StoredPull } from '../pulls/PullStore';
import {
  StoredCheckRun,
  StoredComment,
  StoredRelease,
  StoredReview,
  StoredStatus,
} from '../store/ActivityStore';
import { GithubShapes, nodeId } from './shapes';

type S = components['schemas'];

/**
 * GitHub's shapes for what gathers around commits and pull requests:
 * comments, reviews, statuses, check runs, releases, tags and comparisons
 * (typed with `@octokit/openapi-types`, like `shapes.ts`).
 */
export class ActivityShapes {
  constructor(private readonly base: GithubShapes) {}

  private get api() {
    return this.base.api;
  }

  private get web() {
    return this.base.web;
  }

  private person(login: string) {
    const model = this.base.model;
    return this.base.user(model.account(login) ?? model.tokenUser);
  }

  private association(login: string): S['author-association'] {
    const a = this.base.model.account(login);
    return a?.type === 'User' ? 'MEMBER' : 'NONE';
  }

  issueComment(
    r: ForgeRepo,
    c: StoredComment,
    isPull: boolean,
  ): S['issue-comment'] {
    const api = `${this.api}/repos/${r.fullName}`;
    return {
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      url: `${api}/issues/comments/${c.id}`,
      html_url: `${this.web}/${r.fullName}/${isPull ? 'pull' : 'issues'}/${
        c.number
      }#issuecomment-${c.id}`,
      body: c.body,
      user: this.person(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${api}/issues/${c.number}`,
      author_association: this.association(c.user),
    };
  }

  review(r: ForgeRepo, v: StoredReview): S['pull-request-review'] {
    const html = `${this.web}/${r.fullName}/pull/${v.number}`;
    const pullUrl = `${this.api}/repos/${r.fullName}/pulls/${v.number}`;
    return {
      id: v.id,
      node_id: nodeId('PullRequestReview', v.id),
      user: this.person(v.user),
      body: v.body,
      state: v.state,
      html_url: `${html}#pullrequestreview-${v.id}`,
      pull_request_url: pullUrl,
      _links: {
        html: { href: `${html}#pullrequestreview-${v.id}` },
        pull_request: { href: pullUrl },
      },
      ...(v.submittedAt ? { submitted_at: v.submittedAt } : {}),
      commit_id: v.commitId,
      author_association: this.association(v.user),
    };
  }

  status(r: ForgeRepo, st: StoredStatus): S['status'] {
    const creator = this.person(st.creator);
    return {
      url: `${this.api}/repos/${r.fullName}/statuses/${st.sha}`,
      avatar_url: creator.avatar_url,
      id: st.id,
      node_id: nodeId('StatusContext', st.id),
      state: st.state,
      description: st.description,
      target_url: st.targetUrl,
      context: st.context,
      created_at: st.createdAt,
      updated_at: st.updatedAt,
      creator,
    };
  }

  /**
   * The combined status (docs: rest/commits/statuses): the latest status of
   * each context; `failure` if one is `error` or `failure`, `pending` if
   * there are none or one is pending, else `success`.
   */
  combinedStatus(
    r: ForgeRepo,
    sha: string,
    all: StoredStatus[],
    repository: S['repository'],
  ): S['combined-commit-status'] {
    const latest = latestPerContext(all);
    const url = `${this.api}/repos/${r.fullName}`;
    return {
      state: combinedState(latest),
      statuses: latest.map(st => {
        const { creator, ...simple } = this.status(r, st);
        return simple;
      }),
      sha,
      total_count: latest.length,
      // The same repository object; the generated minimal type differs only
      // in how it declares `license` keys.
      repository: repository as unknown as S['minimal-repository'],
      commit_url: `${url}/commits/${sha}`,
      url: `${url}/commits/${sha}/status`,
    };
  }

  checkRun(
    r: ForgeRepo,
    c: StoredCheckRun,
    pulls: StoredPull[],
  ): S['check-run'] {
    const model = this.base.model;
    const app = model.ciApp;
    const api = `${this.api}/repos/${r.fullName}`;
    const repoRef = { id: r.id, url: api, name: r.name };
    return {
      id: c.id,
      head_sha: c.headSha,
      node_id: nodeId('CheckRun', c.id),
      external_id: c.externalId,
      url: `${api}/check-runs/${c.id}`,
      html_url: `${this.web}/${r.fullName}/runs/${c.id}`,
      details_url: c.detailsUrl,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.startedAt,
      completed_at: c.completedAt,
      output: {
        title: c.title,
        summary: c.summary,
        text: null,
        annotations_count: 0,
        annotations_url: `${api}/check-runs/${c.id}/annotations`,
      },
      name: c.name,
      check_suite: { id: c.id },
      app: {
        id: app.id,
        slug: app.slug,
        node_id: nodeId('Integration', app.id),
        owner: this.base.user(model.org),
        name: app.name,
        description: null,
        external_url: this.web,
        html_url: `${this.web}/apps/${app.slug}`,
        created_at: c.startedAt ?? '2025-01-01T00:00:00Z',
        updated_at: c.startedAt ?? '2025-01-01T00:00:00Z',
        permissions: { checks: 'write', metadata: 'read', statuses: 'write' },
        events: [],
      },
      pull_requests: pulls.map(p => ({
        id: p.id,
        number: p.number,
        url: `${api}/pulls/${p.number}`,
        head: { ref: p.head, sha: c.headSha, repo: repoRef },
        base: { ref: p.base, sha: p.baseSha ?? '', repo: repoRef },
      })),
    };
  }

  release(r: ForgeRepo, rel: StoredRelease): S['release'] {
    const api = `${this.api}/repos/${r.fullName}`;
    const draftTag = rel.draft ? `untagged-${rel.id}` : rel.tagName;
    return {
      url: `${api}/releases/${rel.id}`,
      html_url: `${this.web}/${r.fullName}/releases/tag/${draftTag}`,
      assets_url: `${api}/releases/${rel.id}/assets`,
      upload_url: `${api}/releases/${rel.id}/assets{?name,label}`,
      tarball_url: rel.draft ? null : `${api}/tarball/${rel.tagName}`,
      zipball_url: rel.draft ? null : `${api}/zipball/${rel.tagName}`,
      id: rel.id,
      node_id: nodeId('Release', rel.id),
      tag_name: rel.tagName,
      target_commitish: rel.targetCommitish,
      name: rel.name || null,
      body: rel.body || null,
      draft: rel.draft,
      prerelease: rel.prerelease,
      created_at: rel.createdAt,
      published_at: rel.publishedAt,
      author: this.person(rel.author),
      assets: [],
    };
  }

  tag(r: ForgeRepo, name: string, sha: string): S['tag'] {
    const api = `${this.api}/repos/${r.fullName}`;
    return {
      name,
      commit: { sha, url: `${api}/commits/${sha}` },
      zipball_url: `${api}/zipball/refs/tags/${name}`,
      tarball_url: `${api}/tarball/refs/tags/${name}`,
      node_id: nodeId('Ref', `${r.id}:refs/tags/${name}`),
    };
  }

  comparison(
    r: ForgeRepo,
    spec: string,
    facts: {
      base: S['commit'];
      mergeBase: S['commit'];
      aheadBy: number;
      behindBy: number;
      commits: GitCommit[];
      files: S['diff-entry'][];
    },
  ): S['commit-comparison'] {
    const web = `${this.web}/${r.fullName}/compare/${spec}`;
    let status: S['commit-comparison']['status'] = 'identical';
    if (facts.aheadBy && facts.behindBy) status = 'diverged';
    else if (facts.aheadBy) status = 'ahead';
    else if (facts.behindBy) status = 'behind';
    return {
      url: `${this.api}/repos/${r.fullName}/compare/${spec}`,
      html_url: web,
      permalink_url: web,
      diff_url: `${web}.diff`,
      patch_url: `${web}.patch`,
      base_commit: facts.base,
      merge_base_commit: facts.mergeBase,
      status,
      ahead_by: facts.aheadBy,
      behind_by: facts.behindBy,
      total_commits: facts.aheadBy,
      // Oldest first, as GitHub lists them.
      commits: [...facts.commits].reverse().map(c => this.base.commit(r, c)),
      files: facts.files,
    };
  }
}

export function latestPerContext(all: StoredStatus[]): StoredStatus[] {
  const byContext = new Map<string, StoredStatus>();
  for (const st of [...all].sort((a, b) => b.id - a.id)) {
    if (!byContext.has(st.context)) byContext.set(st.context, st);
  }
  return [...byContext.values()];
}

export function combinedState(
  latest: StoredStatus[],
): 'failure' | 'pending' | 'success' {
  if (latest.some(s => ['error', 'failure', 'warning'].includes(s.state)))
    return 'failure';
  if (!latest.length || latest.some(s => s.state === 'pending'))
    return 'pending';
  return 'success';
}
