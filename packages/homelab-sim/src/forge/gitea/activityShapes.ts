import { RepoStats } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import { GitCommit, isoTime } from '../git/GitRepository';
import {
  StoredComment,
  StoredRelease,
  StoredReview,
  StoredStatus,
} from '../store/ActivityStore';
import { GiteaShapes } from './shapes';

type Json = Record<string, unknown>;

/** Go's zero time, which Gitea prints for times it never set. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** GitHub's review states (the forge's own) in Gitea's words. */
export const GITEA_REVIEW_STATE: Record<string, string> = {
  APPROVED: 'APPROVED',
  CHANGES_REQUESTED: 'REQUEST_CHANGES',
  COMMENTED: 'COMMENT',
  PENDING: 'PENDING',
  DISMISSED: 'COMMENT',
};

/** Gitea's combined state: the worst of the latest status per context (error > failure > warning > pending > success). */
export function giteaCombinedState(latest: StoredStatus[]): string {
  const order = ['error', 'failure', 'warning', 'pending', 'success'];
  let worst = '';
  for (const s of latest) {
    if (!worst || order.indexOf(s.state) < order.indexOf(worst))
      worst = s.state;
  }
  return worst;
}

/**
 * Gitea 1.22's shapes for commits, diffs, reviews, comments, statuses, tags
 * and releases, from the `definitions` of the swagger (the tests validate
 * them against it).
 */
export class GiteaActivityShapes {
  constructor(private readonly base: GiteaShapes) {}

  private get api() {
    return this.base.api;
  }

  private get web() {
    return this.base.web;
  }

  private person(login: string, created: string) {
    const model = this.base.model;
    return this.base.user(model.account(login) ?? model.tokenUser, created);
  }

  /** A commit as the commit list and pull request commits show it (`Commit`). */
  commit(
    r: ForgeRepo,
    c: GitCommit,
    created: string,
    files?: {
      status: string;
      path: string;
      additions: number;
      deletions: number;
    }[],
  ): Json {
    const who = (p: GitCommit['author']) => ({
      name: p.name,
      email: p.email,
      date: isoTime(p),
    });
    const account = (p: GitCommit['author']) => {
      const a = this.base.model.accountByEmail(p.email);
      return a ? this.base.user(a, created) : null;
    };
    const repoApi = `${this.api}/repos/${r.fullName}`;
    const additions = files?.reduce((n, f) => n + f.additions, 0) ?? 0;
    const deletions = files?.reduce((n, f) => n + f.deletions, 0) ?? 0;
    return {
      url: `${repoApi}/git/commits/${c.sha}`,
      sha: c.sha,
      created: isoTime(c.committer),
      html_url: `${this.web}/${r.fullName}/commit/${c.sha}`,
      commit: {
        url: `${repoApi}/git/commits/${c.sha}`,
        author: who(c.author),
        committer: who(c.committer),
        message: c.message,
        tree: {
          url: `${repoApi}/git/trees/${c.tree}`,
          sha: c.tree,
          created: isoTime(c.committer),
        },
        verification: {
          verified: false,
          reason: 'gpg.error.not_signed_commit',
          signature: '',
          signer: null,
          payload: '',
        },
      },
      author: account(c.author),
      committer: account(c.committer),
      parents: c.parents.map(p => ({
        url: `${repoApi}/git/commits/${p}`,
        sha: p,
        created: ZERO_TIME,
      })),
      files: files
        ? files.map(f => ({ filename: f.path, status: fileStatus(f.status) }))
        : null,
      stats: files
        ? { total: additions + deletions, additions, deletions }
        : null,
    };
  }

  changedFile(
    r: ForgeRepo,
    headSha: string,
    f: { status: string; path: string; additions: number; deletions: number },
  ): Json {
    const path = f.path.split('/').map(encodeURIComponent).join('/');
    return {
      filename: f.path,
      status: fileStatus(f.status),
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      html_url: `${this.web}/${r.fullName}/src/commit/${headSha}/${path}`,
      contents_url: `${this.api}/repos/${r.fullName}/contents/${path}?ref=${headSha}`,
      raw_url: `${this.web}/${r.fullName}/raw/commit/${headSha}/${path}`,
    };
  }

  review(r: ForgeRepo, v: StoredReview, created: string): Json {
    const html = `${this.web}/${r.fullName}/pulls/${v.number}`;
    const at = v.submittedAt ?? created;
    return {
      id: v.id,
      user: this.person(v.user, created),
      team: null,
      state: GITEA_REVIEW_STATE[v.state],
      body: v.body,
      commit_id: v.commitId,
      stale: false,
      official: v.state === 'APPROVED' || v.state === 'CHANGES_REQUESTED',
      dismissed: v.state === 'DISMISSED',
      comments_count: 0,
      submitted_at: at,
      updated_at: at,
      html_url: `${html}#issuecomment-${v.id}`,
      pull_request_url: html,
    };
  }

  comment(
    r: ForgeRepo,
    c: StoredComment,
    isPull: boolean,
    created: string,
  ): Json {
    const html = `${this.web}/${r.fullName}/${isPull ? 'pulls' : 'issues'}/${
      c.number
    }`;
    return {
      id: c.id,
      html_url: `${html}#issuecomment-${c.id}`,
      pull_request_url: isPull ? html : '',
      issue_url: isPull ? '' : html,
      user: this.person(c.user, created),
      original_author: '',
      original_author_id: 0,
      body: c.body,
      assets: [],
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    };
  }

  status(r: ForgeRepo, s: StoredStatus, created: string): Json {
    return {
      id: s.id,
      status: s.state,
      target_url: s.targetUrl ?? '',
      description: s.description ?? '',
      url: `${this.api}/repos/${r.fullName}/statuses/${s.sha}`,
      context: s.context,
      creator: this.person(s.creator, created),
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  }

  combinedStatus(
    r: ForgeRepo,
    sha: string,
    latest: StoredStatus[],
    caller: Caller | undefined,
    stats: RepoStats,
  ): Json {
    const api = `${this.api}/repos/${r.fullName}`;
    return {
      state: giteaCombinedState(latest),
      sha,
      total_count: latest.length,
      statuses: latest.map(s => this.status(r, s, stats.createdAt)),
      repository: this.base.repository(r, caller, stats),
      commit_url: `${api}/commits/${sha}`,
      url: `${api}/commits/${sha}/status`,
    };
  }

  tag(
    r: ForgeRepo,
    name: string,
    id: string,
    commit: GitCommit,
    message: string,
  ): Json {
    const api = `${this.api}/repos/${r.fullName}`;
    return {
      name,
      message,
      id,
      commit: {
        url: `${api}/git/commits/${commit.sha}`,
        sha: commit.sha,
        created: isoTime(commit.committer),
      },
      zipball_url: `${this.web}/${r.fullName}/archive/${encodeURIComponent(
        name,
      )}.zip`,
      tarball_url: `${this.web}/${r.fullName}/archive/${encodeURIComponent(
        name,
      )}.tar.gz`,
    };
  }

  reference(r: ForgeRepo, ref: string, sha: string, type: string): Json {
    const api = `${this.api}/repos/${r.fullName}`;
    return {
      ref,
      url: `${api}/git/${ref}`,
      object: {
        type,
        sha,
        url: `${api}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}`,
      },
    };
  }

  release(r: ForgeRepo, rel: StoredRelease, created: string): Json {
    const api = `${this.api}/repos/${r.fullName}`;
    const tag = encodeURIComponent(rel.tagName);
    return {
      id: rel.id,
      tag_name: rel.tagName,
      target_commitish: rel.targetCommitish,
      name: rel.name,
      body: rel.body,
      url: `${api}/releases/${rel.id}`,
      html_url: `${this.web}/${r.fullName}/releases/tag/${tag}`,
      tarball_url: `${this.web}/${r.fullName}/archive/${tag}.tar.gz`,
      zipball_url: `${this.web}/${r.fullName}/archive/${tag}.zip`,
      upload_url: `${api}/releases/${rel.id}/assets`,
      draft: rel.draft,
      prerelease: rel.prerelease,
      created_at: rel.createdAt,
      published_at: rel.publishedAt ?? rel.createdAt,
      author: this.person(rel.author, created),
      assets: [],
    };
  }
}

/** Gitea's words for a diff status letter (services/convert ToChangedFile). */
function fileStatus(letter: string) {
  if (letter.startsWith('A')) return 'added';
  if (letter.startsWith('D')) return 'deleted';
  return 'changed';
}
