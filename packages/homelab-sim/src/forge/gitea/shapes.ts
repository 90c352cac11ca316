import { Caller, ForgeAccount, ForgeModel, ForgeRepo } from '../ForgeModel';
import { GitCommit, isoTime, TreeEntry } from '../git/GitRepository';
import { PullView } from '../pulls/PullService';
import { RepoStats } from '../ForgeContext';

/** Go's zero time, which Gitea prints for times it never set. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

type Json = Record<string, unknown>;

/**
 * Gitea 1.22's JSON shapes, field for field from the `definitions` of
 * `reference/gitea/gitea-swagger-v1.22.0.json` (the tests validate every
 * answer against them).
 */
export class GiteaShapes {
  constructor(readonly model: ForgeModel) {}

  get web() {
    return this.model.baseUrl;
  }

  get api() {
    return `${this.model.baseUrl}/api/v1`;
  }

  user(a: ForgeAccount, created: string): Json {
    return {
      id: a.id,
      login: a.login,
      login_name: '',
      source_id: 0,
      full_name: a.type === 'Organization' ? '' : a.name,
      email: a.type === 'Organization' ? '' : a.email,
      avatar_url: `${this.web}/avatars/${a.login}`,
      html_url: `${this.web}/${a.login}`,
      language: '',
      is_admin: a.admin,
      last_login: ZERO_TIME,
      created,
      restricted: false,
      active: a.type === 'User',
      prohibit_login: false,
      location: '',
      website: '',
      description: '',
      visibility: a.type === 'Organization' ? 'private' : 'public',
      followers_count: 0,
      following_count: 0,
      starred_repos_count: 0,
      // Gitea's User.MarshalJSON adds this for backward compatibility; the
      // swagger does not list it, real servers send it.
      username: a.login,
    };
  }

  repository(r: ForgeRepo, caller: Caller | undefined, stats: RepoStats): Json {
    const html = `${this.web}/${r.fullName}`;
    const write = caller?.scope === 'write';
    return {
      id: r.id,
      owner: this.user(r.owner, stats.createdAt),
      name: r.name,
      full_name: r.fullName,
      description: r.description,
      empty: false,
      private: true,
      fork: false,
      template: false,
      parent: null,
      mirror: false,
      size: stats.sizeKb,
      language: '',
      languages_url: `${this.api}/repos/${r.fullName}/languages`,
      html_url: html,
      url: `${this.api}/repos/${r.fullName}`,
      link: '',
      ssh_url: `git@${new URL(this.web).hostname}:${r.fullName}.git`,
      clone_url: `${html}.git`,
      original_url: '',
      website: '',
      stars_count: 0,
      forks_count: 0,
      watchers_count: 1,
      open_issues_count: 0,
      open_pr_counter: stats.openPulls,
      release_counter: 0,
      default_branch: r.defaultBranch,
      archived: false,
      created_at: stats.createdAt,
      updated_at: stats.pushedAt,
      archived_at: '1970-01-01T00:00:00Z',
      permissions: { admin: false, push: write, pull: true },
      has_issues: true,
      internal_tracker: {
        enable_time_tracker: false,
        allow_only_contributors_to_track_time: true,
        enable_issue_dependencies: true,
      },
      has_wiki: false,
      has_pull_requests: true,
      has_projects: false,
      projects_mode: 'all',
      has_releases: false,
      has_packages: false,
      has_actions: true,
      ignore_whitespace_conflicts: false,
      allow_merge_commits: true,
      allow_rebase: false,
      allow_rebase_explicit: false,
      allow_squash_merge: true,
      allow_fast_forward_only_merge: true,
      allow_rebase_update: true,
      default_delete_branch_after_merge: false,
      default_merge_style: 'merge',
      default_allow_maintainer_edit: false,
      avatar_url: '',
      internal: false,
      mirror_interval: '',
      object_format_name: 'sha1',
      mirror_updated: ZERO_TIME,
      repo_transfer: null,
    };
  }

  private payloadUser(p: GitCommit['author']): Json {
    const account = this.model.accountByEmail(p.email);
    return { name: p.name, email: p.email, username: account?.login ?? '' };
  }

  payloadCommit(r: ForgeRepo, c: GitCommit): Json {
    return {
      id: c.sha,
      message: c.message,
      url: `${this.web}/${r.fullName}/commit/${c.sha}`,
      author: this.payloadUser(c.author),
      committer: this.payloadUser(c.committer),
      verification: {
        verified: false,
        reason: 'gpg.error.not_signed_commit',
        signature: '',
        signer: null,
        payload: '',
      },
      timestamp: isoTime(c.committer),
      added: null,
      removed: null,
      modified: null,
    };
  }

  branch(
    r: ForgeRepo,
    name: string,
    c: GitCommit,
    caller: Caller | undefined,
  ): Json {
    const write = caller?.scope === 'write';
    return {
      name,
      commit: this.payloadCommit(r, c),
      protected: false,
      required_approvals: 0,
      enable_status_check: false,
      status_check_contexts: [],
      user_can_push: write,
      user_can_merge: write,
      effective_branch_protection_name: '',
    };
  }

  /** Where a ref shows up in Gitea's web UI: `branch/main`, `commit/<sha>` or `tag/v1`. */
  private refPath(ref: string, isBranch: boolean) {
    if (isBranch) return `branch/${ref}`;
    if (/^[0-9a-f]{40}$/.test(ref)) return `commit/${ref}`;
    return `tag/${ref}`;
  }

  contents(
    r: ForgeRepo,
    e: TreeEntry,
    filePath: string,
    ref: string,
    isBranch: boolean,
    lastCommit: string,
    content?: Buffer,
  ): Json {
    const type = contentType(e);
    const enc = filePath.split('/').map(encodeURIComponent).join('/');
    const self = `${this.api}/repos/${
      r.fullName
    }/contents/${enc}?ref=${encodeURIComponent(ref)}`;
    const git = `${this.api}/repos/${r.fullName}/git/${
      e.type === 'tree' ? 'trees' : 'blobs'
    }/${e.sha}`;
    const html = `${this.web}/${r.fullName}/src/${this.refPath(
      ref,
      isBranch,
    )}/${enc}`;
    return {
      name: filePath.split('/').pop() ?? filePath,
      path: filePath,
      sha: e.sha,
      last_commit_sha: lastCommit,
      type,
      size: e.type === 'blob' ? e.size ?? content?.length ?? 0 : 0,
      encoding: content && type === 'file' ? 'base64' : null,
      content: content && type === 'file' ? content.toString('base64') : null,
      target: type === 'symlink' && content ? content.toString('utf8') : null,
      url: self,
      html_url: html,
      git_url: git,
      download_url:
        type === 'file'
          ? `${this.web}/${r.fullName}/raw/${this.refPath(
              ref,
              isBranch,
            )}/${enc}`
          : null,
      submodule_git_url: null,
      _links: { self, git, html },
    };
  }

  fileCommit(r: ForgeRepo, c: GitCommit): Json {
    const person = (p: GitCommit['author']) => ({
      name: p.name,
      email: p.email,
      date: isoTime(p),
    });
    return {
      url: `${this.api}/repos/${r.fullName}/git/commits/${c.sha}`,
      sha: c.sha,
      created: isoTime(c.committer),
      html_url: `${this.web}/${r.fullName}/commit/${c.sha}`,
      author: person(c.author),
      committer: person(c.committer),
      parents: c.parents.map(p => ({
        url: `${this.api}/repos/${r.fullName}/git/commits/${p}`,
        sha: p,
        created: ZERO_TIME,
      })),
      message: c.message,
      tree: {
        url: `${this.api}/repos/${r.fullName}/git/trees/${c.tree}`,
        sha: c.tree,
        created: ZERO_TIME,
      },
    };
  }

  pullRequest(
    r: ForgeRepo,
    p: PullView,
    caller: Caller | undefined,
    stats: RepoStats,
  ): Json {
    const html = `${this.web}/${r.fullName}/pulls/${p.number}`;
    const author = this.model.account(p.user) ?? this.model.tokenUser;
    const mergedBy = p.mergedBy ? this.model.account(p.mergedBy) : undefined;
    const repo = this.repository(r, caller, stats);
    const people = (logins: string[]) =>
      logins
        .map(l => this.model.account(l))
        .filter((a): a is ForgeAccount => !!a)
        .map(a => this.user(a, stats.createdAt));
    const assignees = people(p.assignees);
    const reviewers = people(p.requestedReviewers);
    const branchInfo = (ref: string, sha: string) => ({
      label: ref,
      ref,
      sha,
      repo_id: r.id,
      repo,
    });
    return {
      id: p.id,
      url: html,
      number: p.number,
      user: this.user(author, stats.createdAt),
      title: p.title,
      body: p.body,
      labels: [],
      milestone: null,
      assignee: assignees[0] ?? null,
      assignees: assignees.length ? assignees : null,
      requested_reviewers: reviewers.length ? reviewers : null,
      state: p.state,
      draft: /^\s*(WIP:|\[WIP\])/i.test(p.title),
      is_locked: false,
      comments: 0,
      review_comments: 0,
      additions: p.additions,
      deletions: p.deletions,
      changed_files: p.files.length,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      mergeable: p.mergeable ?? false,
      merged: p.merged,
      merged_at: p.mergedAt ?? null,
      merge_commit_sha: p.mergeCommitSha ?? null,
      merged_by: mergedBy ? this.user(mergedBy, stats.createdAt) : null,
      allow_maintainer_edit: false,
      base: branchInfo(p.base, p.baseSha),
      head: branchInfo(p.head, p.headSha),
      merge_base: p.mergeBase ?? '',
      due_date: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt ?? null,
      pin_order: 0,
    };
  }
}

/** Gitea's `type` of a contents entry. */
function contentType(e: TreeEntry): 'dir' | 'submodule' | 'symlink' | 'file' {
  if (e.type === 'tree') return 'dir';
  if (e.type === 'commit') return 'submodule';
  return e.mode === '120000' ? 'symlink' : 'file';
}
