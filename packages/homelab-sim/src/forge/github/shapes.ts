import type { components } from '@octokit/openapi-types';
import { Caller, ForgeAccount, ForgeModel, ForgeRepo } from '../ForgeModel';
import { GitCommit, isoTime, TreeEntry } from '../git/GitRepository';
import { IssueOrPull } from '../issues/IssueService';
import { PullView } from '../pulls/PullService';

/**
 * GitHub's JSON shapes, typed with GitHub's own OpenAPI description
 * (`@octokit/openapi-types`, generated from github/rest-api-description), so
 * the compiler checks every required field of what the sim answers.
 */
type S = components['schemas'];

/** What a repository object shows of the repository's activity. */
export type RepoCounts = {
  pushedAt: string;
  createdAt: string;
  openPulls: number;
  openIssues?: number;
};

/** Legacy GraphQL global ids (`MDQ6VXNlcjE=` = base64 `04:User1`), still accepted by GitHub. */
export function nodeId(type: string, id: string | number): string {
  return Buffer.from(
    `${String(type.length).padStart(2, '0')}:${type}${id}`,
  ).toString('base64');
}

/** Base64 the way GitHub sends file and blob content: wrapped at 60 characters. */
export function wrapBase64(content: Buffer): string {
  return `${(content.toString('base64').match(/.{1,60}/g) ?? ['']).join(
    '\n',
  )}\n`;
}

function mergeableState(p: PullView): string {
  if (p.mergeable === null) return 'unknown';
  if (!p.mergeable) return 'dirty';
  return p.draft ? 'draft' : 'clean';
}

export class GithubShapes {
  constructor(readonly model: ForgeModel) {}

  get web() {
    return this.model.baseUrl;
  }

  get api() {
    return `${this.model.baseUrl}/api/v3`;
  }

  user(a: ForgeAccount): S['simple-user'] {
    const url = `${this.api}/users/${a.login}`;
    return {
      login: a.login,
      id: a.id,
      node_id: nodeId(a.type, a.id),
      avatar_url: `${this.web}/avatars/${a.login}`,
      gravatar_id: '',
      url,
      html_url: `${this.web}/${a.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: a.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  privateUser(a: ForgeAccount, created: string): S['private-user'] {
    return {
      ...this.user(a),
      name: a.name,
      company: null,
      blog: '',
      location: null,
      email: a.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: created,
      updated_at: created,
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: false,
    };
  }

  publicUser(a: ForgeAccount, created: string): S['public-user'] {
    return {
      ...this.user(a),
      name: a.name,
      company: null,
      blog: '',
      location: null,
      email: a.type === 'User' ? a.email : null,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: created,
      updated_at: created,
    };
  }

  organization(
    a: ForgeAccount,
    privateRepos: number,
    created: string,
  ): S['organization-full'] {
    const url = `${this.api}/orgs/${a.login}`;
    return {
      login: a.login,
      id: a.id,
      node_id: nodeId('Organization', a.id),
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: `${this.web}/avatars/${a.login}`,
      description: null,
      name: a.name,
      has_organization_projects: false,
      has_repository_projects: false,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      html_url: `${this.web}/${a.login}`,
      type: 'Organization',
      total_private_repos: privateRepos,
      owned_private_repos: privateRepos,
      created_at: created,
      updated_at: created,
      archived_at: null,
    };
  }

  permissions(caller: Caller | undefined) {
    const write = caller?.scope === 'write';
    return {
      admin: false,
      maintain: write,
      push: write,
      triage: write,
      pull: true,
    };
  }

  repository(
    r: ForgeRepo,
    caller: Caller | undefined,
    stats: RepoCounts,
  ): S['repository'] {
    const url = `${this.api}/repos/${r.fullName}`;
    const html = `${this.web}/${r.fullName}`;
    return {
      id: r.id,
      node_id: nodeId('Repository', r.id),
      name: r.name,
      full_name: r.fullName,
      license: null,
      forks: 0,
      permissions: this.permissions(caller),
      owner: this.user(r.owner),
      private: true,
      html_url: html,
      description: r.description || null,
      fork: false,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      assignees_url: `${url}/assignees{/user}`,
      blobs_url: `${url}/git/blobs{/sha}`,
      branches_url: `${url}/branches{/branch}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      comments_url: `${url}/comments{/number}`,
      commits_url: `${url}/commits{/sha}`,
      compare_url: `${url}/compare/{base}...{head}`,
      contents_url: `${url}/contents/{+path}`,
      contributors_url: `${url}/contributors`,
      deployments_url: `${url}/deployments`,
      downloads_url: `${url}/downloads`,
      events_url: `${url}/events`,
      forks_url: `${url}/forks`,
      git_commits_url: `${url}/git/commits{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_url: `git://${this.model.host}/${r.fullName}.git`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      issue_events_url: `${url}/issues/events{/number}`,
      issues_url: `${url}/issues{/number}`,
      keys_url: `${url}/keys{/key_id}`,
      labels_url: `${url}/labels{/name}`,
      languages_url: `${url}/languages`,
      merges_url: `${url}/merges`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      pulls_url: `${url}/pulls{/number}`,
      releases_url: `${url}/releases{/id}`,
      ssh_url: `git@${new URL(this.web).hostname}:${r.fullName}.git`,
      stargazers_url: `${url}/stargazers`,
      statuses_url: `${url}/statuses/{sha}`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      tags_url: `${url}/tags`,
      teams_url: `${url}/teams`,
      trees_url: `${url}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${url}/hooks`,
      svn_url: html,
      homepage: null,
      language: null,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: r.defaultBranch,
      open_issues_count: stats.openPulls + (stats.openIssues ?? 0),
      is_template: false,
      topics: ['flux', 'gitops', 'kubernetes', 'homelab'],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: 'private',
      pushed_at: stats.pushedAt,
      created_at: stats.createdAt,
      updated_at: stats.pushedAt,
      allow_rebase_merge: false,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_forking: false,
      web_commit_signoff_required: false,
      open_issues: stats.openPulls + (stats.openIssues ?? 0),
      watchers: 0,
    };
  }

  fullRepository(
    r: ForgeRepo,
    caller: Caller | undefined,
    stats: {
      pushedAt: string;
      createdAt: string;
      openPulls: number;
      sizeKb: number;
    },
  ): S['full-repository'] {
    const { pushed_at, created_at, updated_at, ...repo } = this.repository(
      r,
      caller,
      stats,
    );
    return {
      ...repo,
      size: stats.sizeKb,
      pushed_at: pushed_at ?? stats.pushedAt,
      created_at: created_at ?? stats.createdAt,
      updated_at: updated_at ?? stats.pushedAt,
      has_discussions: false,
      subscribers_count: 1,
      network_count: 0,
      organization: this.user(r.owner),
      temp_clone_token: null,
      merge_commit_title: 'MERGE_MESSAGE',
      merge_commit_message: 'PR_TITLE',
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      squash_merge_commit_message: 'COMMIT_MESSAGES',
      use_squash_pr_title_as_default: false,
      allow_update_branch: false,
    };
  }

  private gitUser(p: GitCommit['author']) {
    return { name: p.name, email: p.email, date: isoTime(p) };
  }

  private unsigned() {
    return {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    };
  }

  gitCommit(r: ForgeRepo, c: GitCommit): S['git-commit'] {
    const url = `${this.api}/repos/${r.fullName}`;
    return {
      sha: c.sha,
      node_id: nodeId('Commit', `${r.id}:${c.sha}`),
      url: `${url}/git/commits/${c.sha}`,
      html_url: `${this.web}/${r.fullName}/commit/${c.sha}`,
      author: this.gitUser(c.author),
      committer: this.gitUser(c.committer),
      message: c.message.replace(/\n$/, ''),
      tree: { sha: c.tree, url: `${url}/git/trees/${c.tree}` },
      parents: c.parents.map(p => ({
        sha: p,
        url: `${url}/git/commits/${p}`,
        html_url: `${this.web}/${r.fullName}/commit/${p}`,
      })),
      verification: this.unsigned(),
    };
  }

  commit(
    r: ForgeRepo,
    c: GitCommit,
    detail?: { files: S['diff-entry'][] },
  ): S['commit'] {
    const url = `${this.api}/repos/${r.fullName}`;
    const author = this.model.accountByEmail(c.author.email);
    const committer = this.model.accountByEmail(c.committer.email);
    const out: S['commit'] = {
      url: `${url}/commits/${c.sha}`,
      sha: c.sha,
      node_id: nodeId('Commit', `${r.id}:${c.sha}`),
      html_url: `${this.web}/${r.fullName}/commit/${c.sha}`,
      comments_url: `${url}/commits/${c.sha}/comments`,
      commit: {
        url: `${url}/git/commits/${c.sha}`,
        author: this.gitUser(c.author),
        committer: this.gitUser(c.committer),
        message: c.message.replace(/\n$/, ''),
        comment_count: 0,
        tree: { sha: c.tree, url: `${url}/git/trees/${c.tree}` },
        verification: this.unsigned(),
      },
      author: author ? this.user(author) : null,
      committer: committer ? this.user(committer) : null,
      parents: c.parents.map(p => ({
        sha: p,
        url: `${url}/commits/${p}`,
        html_url: `${this.web}/${r.fullName}/commit/${p}`,
      })),
    };
    if (detail) {
      const additions = detail.files.reduce((s, f) => s + f.additions, 0);
      const deletions = detail.files.reduce((s, f) => s + f.deletions, 0);
      out.stats = { additions, deletions, total: additions + deletions };
      out.files = detail.files;
    }
    return out;
  }

  diffEntry(
    r: ForgeRepo,
    commitSha: string,
    f: {
      status: string;
      path: string;
      additions: number;
      deletions: number;
      sha: string;
    },
  ): S['diff-entry'] {
    const status =
      ({ A: 'added', D: 'removed', M: 'modified', T: 'changed' } as const)[
        f.status[0] as 'A' | 'D' | 'M' | 'T'
      ] ?? 'modified';
    const path = f.path.split('/').map(encodeURIComponent).join('/');
    return {
      sha: f.sha,
      filename: f.path,
      status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `${this.web}/${r.fullName}/blob/${commitSha}/${path}`,
      raw_url: `${this.web}/${r.fullName}/raw/${commitSha}/${path}`,
      contents_url: `${this.api}/repos/${r.fullName}/contents/${path}?ref=${commitSha}`,
    };
  }

  gitRef(r: ForgeRepo, ref: string, sha: string, type: string): S['git-ref'] {
    const url = `${this.api}/repos/${r.fullName}`;
    return {
      ref,
      node_id: nodeId('Ref', `${r.id}:${ref}`),
      url: `${url}/git/${ref}`,
      object: {
        sha,
        type,
        url: `${url}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}`,
      },
    };
  }

  treeEntry(r: ForgeRepo, e: TreeEntry) {
    const url = `${this.api}/repos/${r.fullName}`;
    return {
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob'
        ? { size: e.size ?? 0, url: `${url}/git/blobs/${e.sha}` }
        : {}),
      ...(e.type === 'tree' ? { url: `${url}/git/trees/${e.sha}` } : {}),
    };
  }

  gitTree(r: ForgeRepo, sha: string, entries: TreeEntry[]): S['git-tree'] {
    return {
      sha,
      url: `${this.api}/repos/${r.fullName}/git/trees/${sha}`,
      tree: entries.map(e => this.treeEntry(r, e)),
      truncated: false,
    };
  }

  contentLinks(r: ForgeRepo, e: TreeEntry, filePath: string, ref: string) {
    const path = filePath.split('/').map(encodeURIComponent).join('/');
    const self = `${this.api}/repos/${
      r.fullName
    }/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const kind = e.type === 'tree' ? 'tree' : 'blob';
    const git =
      e.type === 'commit'
        ? null
        : `${this.api}/repos/${r.fullName}/git/${kind}s/${e.sha}`;
    const html = `${this.web}/${r.fullName}/${kind}/${ref}/${path}`;
    return {
      url: self,
      git_url: git,
      html_url: html,
      download_url:
        e.type === 'blob'
          ? `${this.web}/${r.fullName}/raw/${ref}/${path}`
          : null,
      _links: { self, git, html },
    };
  }

  contentType(e: TreeEntry): 'file' | 'dir' | 'symlink' | 'submodule' {
    if (e.type === 'tree') return 'dir';
    if (e.type === 'commit') return 'submodule';
    return e.mode === '120000' ? 'symlink' : 'file';
  }

  contentFile(
    r: ForgeRepo,
    e: TreeEntry,
    filePath: string,
    ref: string,
    content: Buffer,
  ): S['content-file'] {
    return {
      type: 'file',
      encoding: 'base64',
      size: content.length,
      name: filePath.split('/').pop() ?? filePath,
      path: filePath,
      // GitHub wraps base64 content at 60 characters.
      content: wrapBase64(content),
      sha: e.sha,
      ...this.contentLinks(r, e, filePath, ref),
    };
  }

  contentDirectory(
    r: ForgeRepo,
    dirPath: string,
    ref: string,
    entries: TreeEntry[],
  ): S['content-directory'] {
    return entries.map(e => {
      const p = dirPath ? `${dirPath}/${e.path}` : e.path;
      return {
        type: this.contentType(e),
        size: e.type === 'blob' ? e.size ?? 0 : 0,
        name: e.path,
        path: p,
        sha: e.sha,
        ...this.contentLinks(r, e, p, ref),
      };
    });
  }

  label(r: ForgeRepo, name: string): S['label'] {
    let h = 0;
    for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    const palette = [
      '0e8a16',
      '1d76db',
      'd93f0b',
      'fbca04',
      '5319e7',
      'b60205',
      '006b75',
    ];
    return {
      id: 1000 + (h % 1_000_000),
      node_id: nodeId('Label', h),
      url: `${this.api}/repos/${r.fullName}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: palette[h % palette.length],
      default: false,
    };
  }

  accounts(logins: string[]) {
    return logins
      .map(l => this.model.account(l))
      .filter((a): a is ForgeAccount => !!a)
      .map(a => this.user(a));
  }

  /** The list form (`GET /pulls`): no mergeability, no counts. */
  pullRequestSimple(
    r: ForgeRepo,
    p: PullView,
    caller: Caller | undefined,
    repoStats: RepoCounts,
  ): S['pull-request-simple'] {
    const common = this.pullCommon(r, p, caller, repoStats);
    return {
      ...common,
      // GitHub sends `description: null` for labels without one; the list
      // type declares a string there.
      labels: common.labels as S['pull-request-simple']['labels'],
    };
  }

  /** What the list and the single pull request share. */
  private pullCommon(
    r: ForgeRepo,
    p: PullView,
    caller: Caller | undefined,
    repoStats: RepoCounts,
  ) {
    const api = `${this.api}/repos/${r.fullName}`;
    const url = `${api}/pulls/${p.number}`;
    const html = `${this.web}/${r.fullName}/pull/${p.number}`;
    const author = this.model.account(p.user) ?? this.model.tokenUser;
    const repo = this.repository(r, caller, repoStats);
    const owner = this.user(r.owner);
    const assignees = this.accounts(p.assignees);
    const link = (href: string) => ({ href });
    return {
      url,
      id: p.id,
      node_id: nodeId('PullRequest', p.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${p.number}`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${p.number}/comments`,
      statuses_url: `${api}/statuses/${p.headSha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: this.user(author),
      body: p.body || null,
      labels: p.labels.map(l => this.label(r, l)),
      milestone: null,
      active_lock_reason: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt ?? null,
      merged_at: p.mergedAt ?? null,
      merge_commit_sha: p.mergeCommitSha ?? null,
      assignee: assignees[0] ?? null,
      assignees,
      requested_reviewers: this.accounts(p.requestedReviewers),
      requested_teams: [],
      head: {
        label: `${r.owner.login}:${p.head}`,
        ref: p.head,
        sha: p.headSha,
        user: owner,
        repo,
      },
      base: {
        label: `${r.owner.login}:${p.base}`,
        ref: p.base,
        sha: p.baseSha,
        user: owner,
        repo,
      },
      _links: {
        self: link(url),
        html: link(html),
        issue: link(`${api}/issues/${p.number}`),
        comments: link(`${api}/issues/${p.number}/comments`),
        review_comments: link(`${url}/comments`),
        review_comment: link(`${api}/pulls/comments{/number}`),
        commits: link(`${url}/commits`),
        statuses: link(`${api}/statuses/${p.headSha}`),
      },
      author_association: (author.type === 'User'
        ? 'MEMBER'
        : 'NONE') as S['author-association'],
      auto_merge: null,
      draft: p.draft,
    };
  }

  pullRequest(
    r: ForgeRepo,
    p: PullView,
    caller: Caller | undefined,
    repoStats: RepoCounts,
    counts: { comments: number; reviewComments: number } = {
      comments: 0,
      reviewComments: 0,
    },
  ): S['pull-request'] {
    const mergedBy = p.mergedBy ? this.model.account(p.mergedBy) : undefined;
    return {
      ...this.pullCommon(r, p, caller, repoStats),
      merged: p.merged,
      mergeable: p.mergeable,
      rebaseable: false,
      mergeable_state: mergeableState(p),
      merged_by: mergedBy ? this.user(mergedBy) : null,
      comments: counts.comments,
      review_comments: counts.reviewComments,
      maintainer_can_modify: false,
      commits: p.commits,
      additions: p.additions,
      deletions: p.deletions,
      changed_files: p.files.length,
    };
  }

  /** An issue, or a pull request seen through the issues API (with `pull_request`). */
  issue(r: ForgeRepo, item: IssueOrPull, comments = 0): S['issue'] {
    const p = item.kind === 'pull' ? item.pull : item.issue;
    const api = `${this.api}/repos/${r.fullName}`;
    const html = `${this.web}/${r.fullName}/${
      item.kind === 'pull' ? 'pull' : 'issues'
    }/${p.number}`;
    const author = this.model.account(p.user) ?? this.model.tokenUser;
    const assignees = this.accounts(p.assignees);
    return {
      id: p.id,
      node_id: nodeId(item.kind === 'pull' ? 'PullRequest' : 'Issue', p.id),
      url: `${api}/issues/${p.number}`,
      repository_url: api,
      labels_url: `${api}/issues/${p.number}/labels{/name}`,
      comments_url: `${api}/issues/${p.number}/comments`,
      events_url: `${api}/issues/${p.number}/events`,
      html_url: html,
      number: p.number,
      state: p.state,
      state_reason:
        item.kind === 'issue' ? item.issue.stateReason ?? null : null,
      title: p.title,
      body: p.body || null,
      user: this.user(author),
      labels: p.labels.map(l => this.label(r, l)),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      locked: false,
      comments,
      ...(item.kind === 'pull'
        ? {
            pull_request: {
              url: `${api}/pulls/${p.number}`,
              html_url: html,
              diff_url: `${html}.diff`,
              patch_url: `${html}.patch`,
              merged_at: item.pull.mergedAt ?? null,
            },
            draft: item.pull.draft,
          }
        : {}),
      closed_at: p.closedAt ?? null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      author_association: author.type === 'User' ? 'MEMBER' : 'NONE',
    };
  }
}
