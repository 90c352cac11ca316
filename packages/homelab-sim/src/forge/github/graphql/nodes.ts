import { ForgeContext } from '../../ForgeContext';
import { Caller, ForgeAccount, ForgeRepo } from '../../ForgeModel';
import { GitCommit, isoTime } from '../../git/GitRepository';
import { PullView } from '../../pulls/PullService';
import { StoredIssue, StoredPull } from '../../pulls/PullStore';
import {
  StoredCheckRun,
  StoredComment,
  StoredReview,
  StoredStatus,
} from '../../store/ActivityStore';
import { combinedState, latestPerContext } from '../activityShapes';
import { nodeId } from '../shapes';
import { connection, ConnectionArgs, TypedError } from './connection';

type Args = ConnectionArgs & Record<string, unknown>;
/** A GraphQL object: field values, or functions of the field's arguments. */
type GraphObject = Record<string, unknown>;
type PullStates = { states?: string[] | null };

const FAILED = new Set([
  'failure',
  'timed_out',
  'cancelled',
  'action_required',
]);

/** The node id's type and key, for `Query.node(id:)`. */
export function parseNodeId(
  id: string,
): { type: string; key: string } | undefined {
  const m = /^\d{2}:([A-Za-z]+?)(\d.*)$/.exec(
    Buffer.from(id, 'base64').toString('utf8'),
  );
  return m ? { type: m[1], key: m[2] } : undefined;
}

/**
 * GraphQL objects for the forge's data. Each is a plain object whose
 * properties (or functions of the field arguments) graphql-js reads;
 * interfaces and unions resolve through `__typename`.
 */
export class GraphNodes {
  constructor(
    private readonly forge: ForgeContext,
    private readonly caller: Caller,
  ) {}

  private get web() {
    return this.forge.model.baseUrl;
  }

  account(a: ForgeAccount): GraphObject {
    const typename = a.type;
    const login = a.type === 'Bot' ? a.login.replace(/\[bot\]$/, '') : a.login;
    return {
      __typename: typename,
      id: nodeId(typename, a.id),
      databaseId: a.id,
      login,
      name: a.name,
      email: a.type === 'User' ? a.email : '',
      url: `${this.web}/${a.login}`,
      resourcePath: `/${a.login}`,
      avatarUrl: `${this.web}/avatars/${a.login}`,
      isViewer: a.login === this.caller.account.login,
      company: null,
      location: null,
      bio: null,
      websiteUrl: null,
      createdAt: '2025-01-01T00:00:00Z',
    };
  }

  actor(login: string) {
    const a = this.forge.model.account(login);
    return a ? this.account(a) : null;
  }

  private association(login: string) {
    return this.forge.model.account(login)?.type === 'User' ? 'MEMBER' : 'NONE';
  }

  repository(repo: ForgeRepo): GraphObject {
    const { pulls, issues } = this.forge;
    return {
      __typename: 'Repository',
      id: nodeId('Repository', repo.id),
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: repo.fullName,
      description: repo.description || null,
      url: `${this.web}/${repo.fullName}`,
      resourcePath: `/${repo.fullName}`,
      sshUrl: `git@${new URL(this.web).hostname}:${repo.fullName}.git`,
      isPrivate: true,
      visibility: 'PRIVATE',
      isFork: false,
      isArchived: false,
      isEmpty: false,
      isTemplate: false,
      isMirror: false,
      hasIssuesEnabled: true,
      hasWikiEnabled: false,
      hasProjectsEnabled: false,
      mergeCommitAllowed: true,
      squashMergeAllowed: true,
      rebaseMergeAllowed: false,
      deleteBranchOnMerge: false,
      viewerPermission: this.caller.scope === 'write' ? 'WRITE' : 'READ',
      viewerCanAdminister: false,
      owner: this.account(repo.owner),
      defaultBranchRef: () =>
        this.ref(repo, `refs/heads/${repo.defaultBranch}`),
      ref: ({ qualifiedName }: { qualifiedName: string }) =>
        this.refByName(repo, qualifiedName),
      refs: async (args: Args & { refPrefix: string }) =>
        connection(
          await Promise.all(
            (
              await repo.git.refs(args.refPrefix)
            ).map(r => this.ref(repo, r.ref)),
          ),
          args,
          'refs',
        ),
      pullRequest: ({ number }: { number: number }) => {
        const p = pulls.get(repo, number);
        if (!p)
          throw new TypedError(
            'NOT_FOUND',
            `Could not resolve to a PullRequest with the number of ${number}.`,
          );
        return this.pullRequest(repo, p);
      },
      pullRequests: (
        args: Args &
          PullStates & {
            headRefName?: string;
            baseRefName?: string;
            labels?: string[];
            orderBy?: { field: string; direction: string };
          },
      ) => {
        let list = pulls
          .list(repo)
          .filter(
            p =>
              this.statesMatch(p, args.states) &&
              (!args.headRefName || p.head === args.headRefName) &&
              (!args.baseRefName || p.base === args.baseRefName) &&
              (!args.labels?.length ||
                args.labels.every(l => p.labels.includes(l))),
          );
        const byUpdated = args.orderBy?.field === 'UPDATED_AT';
        list = list.sort((a, b) =>
          byUpdated
            ? a.updatedAt.localeCompare(b.updatedAt)
            : a.number - b.number,
        );
        if (args.orderBy?.direction === 'DESC') list.reverse();
        return connection(
          list.map(p => this.pullRequest(repo, p)),
          args,
          'pullRequests',
        );
      },
      issue: ({ number }: { number: number }) => {
        const i = issues.get(repo, number);
        if (!i)
          throw new TypedError(
            'NOT_FOUND',
            `Could not resolve to an Issue with the number of ${number}.`,
          );
        return this.issue(repo, i);
      },
      issues: (args: Args & { states?: string[] | null }) =>
        connection(
          issues
            .list(repo)
            .filter(
              i =>
                !args.states?.length ||
                args.states.includes(i.state.toUpperCase()),
            )
            .map(i => this.issue(repo, i)),
          args,
          'issues',
        ),
      issueOrPullRequest: ({ number }: { number: number }) => {
        const found = issues.find(repo, number);
        if (!found)
          throw new TypedError(
            'NOT_FOUND',
            `Could not resolve to an issue or pull request with the number of ${number}.`,
          );
        return found.kind === 'pull'
          ? this.pullRequest(repo, found.pull)
          : this.issue(repo, found.issue);
      },
      object: async ({
        oid,
        expression,
      }: {
        oid?: string;
        expression?: string;
      }) => {
        const sha = await repo.git.resolveCommit(oid ?? expression ?? '');
        return sha ? this.commit(repo, sha) : null;
      },
      labels: (args: Args) =>
        connection(
          [
            ...new Set(
              [...pulls.list(repo), ...issues.list(repo)].flatMap(
                p => p.labels,
              ),
            ),
          ].map(l => this.label(repo, l)),
          args,
          'labels',
          { unbounded: true },
        ),
    };
  }

  private statesMatch(p: StoredPull, states: string[] | null | undefined) {
    return !states?.length || states.includes(pullState(p));
  }

  private async refByName(repo: ForgeRepo, qualifiedName: string) {
    const candidates = qualifiedName.startsWith('refs/')
      ? [qualifiedName]
      : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
    for (const full of candidates) {
      if ((await repo.git.refs(full)).some(r => r.ref === full))
        return this.ref(repo, full);
    }
    return null;
  }

  async ref(repo: ForgeRepo, full: string): Promise<GraphObject | null> {
    const sha = await repo.git.refSha(full);
    if (!sha) return null;
    const prefix = `${full.split('/').slice(0, 2).join('/')}/`;
    const name = full.slice(prefix.length);
    return {
      __typename: 'Ref',
      id: nodeId('Ref', `${repo.id}:${full}`),
      name,
      prefix,
      repository: () => this.repository(repo),
      target: async () => {
        const commit = await repo.git.resolveCommit(sha);
        return commit ? this.commit(repo, commit) : null;
      },
      associatedPullRequests: (args: Args & PullStates) =>
        connection(
          prefix === 'refs/heads/'
            ? this.forge.pulls
                .list(repo)
                .filter(
                  p => p.head === name && this.statesMatch(p, args.states),
                )
                .map(p => this.pullRequest(repo, p))
            : [],
          args,
          'associatedPullRequests',
        ),
    };
  }

  async commit(repo: ForgeRepo, sha: string): Promise<GraphObject | null> {
    const c = await repo.git.commit(sha);
    if (!c) return null;
    return this.commitOf(repo, c);
  }

  private gitActor(p: GitCommit['author']) {
    const account = this.forge.model.accountByEmail(p.email);
    return {
      name: p.name,
      email: p.email,
      date: isoTime(p),
      user: account ? this.account(account) : null,
      avatarUrl: `${this.web}/avatars/${account?.login ?? 'ghost'}`,
    };
  }

  commitOf(repo: ForgeRepo, c: GitCommit): GraphObject {
    const [headline, ...rest] = c.message.replace(/\n$/, '').split('\n');
    const url = `${this.web}/${repo.fullName}/commit/${c.sha}`;
    const statuses = () =>
      this.forge.activity.list('statuses', repo.fullName, s => s.sha === c.sha);
    const runs = () =>
      latestRuns(
        this.forge.activity.list(
          'checkRuns',
          repo.fullName,
          r => r.headSha === c.sha,
        ),
      );
    return {
      __typename: 'Commit',
      id: nodeId('Commit', `${repo.id}:${c.sha}`),
      oid: c.sha,
      abbreviatedOid: c.sha.slice(0, 7),
      message: c.message.replace(/\n$/, ''),
      messageHeadline: headline,
      messageBody: rest.join('\n').trim(),
      committedDate: isoTime(c.committer),
      authoredDate: isoTime(c.author),
      pushedDate: null,
      url,
      commitUrl: url,
      resourcePath: `/${repo.fullName}/commit/${c.sha}`,
      author: this.gitActor(c.author),
      committer: this.gitActor(c.committer),
      authors: (args: Args) =>
        connection([this.gitActor(c.author)], args, 'authors', {
          unbounded: true,
        }),
      tree: { oid: c.tree, id: nodeId('Tree', `${repo.id}:${c.tree}`) },
      repository: () => this.repository(repo),
      parents: (args: Args) =>
        connection(
          c.parents.map(p => ({
            __typename: 'Commit',
            oid: p,
            abbreviatedOid: p.slice(0, 7),
            url: `${this.web}/${repo.fullName}/commit/${p}`,
          })),
          args,
          'parents',
          { unbounded: true },
        ),
      signature: null,
      status: () => {
        const latest = latestPerContext(statuses());
        if (!latest.length) return null;
        return {
          id: nodeId('Status', `${repo.id}:${c.sha}`),
          state: combinedState(latest).toUpperCase(),
          contexts: latest.map(s => this.statusContext(s)),
          combinedContexts: (args: Args) =>
            connection(
              latest.map(s => this.statusContext(s)),
              args,
              'combinedContexts',
            ),
        };
      },
      statusCheckRollup: () => {
        const latest = latestPerContext(statuses());
        const checks = runs();
        if (!latest.length && !checks.length) return null;
        const contexts = [
          ...checks.map(r => this.checkRun(repo, r)),
          ...latest.map(s => this.statusContext(s)),
        ];
        return {
          id: nodeId('StatusCheckRollup', `${repo.id}:${c.sha}`),
          state: rollupState(latest, checks),
          commit: () => this.commitOf(repo, c),
          contexts: (args: Args) => connection(contexts, args, 'contexts'),
        };
      },
    };
  }

  private statusContext(s: StoredStatus): GraphObject {
    return {
      __typename: 'StatusContext',
      id: nodeId('StatusContext', s.id),
      context: s.context,
      state: s.state.toUpperCase(),
      description: s.description,
      targetUrl: s.targetUrl,
      avatarUrl: `${this.web}/avatars/${s.creator}`,
      createdAt: s.createdAt,
      creator: this.actor(s.creator),
      // No branch protection here, so nothing is required.
      isRequired: () => false,
    };
  }

  private checkRun(repo: ForgeRepo, r: StoredCheckRun) {
    return {
      __typename: 'CheckRun',
      id: nodeId('CheckRun', r.id),
      databaseId: r.id,
      name: r.name,
      status: r.status.toUpperCase(),
      conclusion: r.conclusion?.toUpperCase() ?? null,
      startedAt: r.startedAt,
      completedAt: r.completedAt,
      detailsUrl: r.detailsUrl,
      externalId: r.externalId,
      title: r.title,
      summary: r.summary,
      text: null,
      url: `${this.web}/${repo.fullName}/runs/${r.id}`,
      permalink: `${this.web}/${repo.fullName}/runs/${r.id}`,
      resourcePath: `/${repo.fullName}/runs/${r.id}`,
      checkSuite: {
        id: nodeId('CheckSuite', r.id),
        workflowRun: null,
        app: {
          name: this.forge.model.ciApp.name,
          slug: this.forge.model.ciApp.slug,
        },
      },
      isRequired: () => false,
    };
  }

  label(repo: ForgeRepo, name: string) {
    let h = 0;
    for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    return {
      __typename: 'Label',
      id: nodeId('Label', h),
      name,
      description: null,
      color: ['0e8a16', '1d76db', 'd93f0b', 'fbca04', '5319e7'][h % 5],
      url: `${this.web}/${repo.fullName}/labels/${encodeURIComponent(name)}`,
      isDefault: false,
    };
  }

  private people(logins: string[]) {
    return logins
      .map(l => this.forge.model.account(l))
      .filter((a): a is ForgeAccount => !!a)
      .map(a => this.account(a));
  }

  private comment(repo: ForgeRepo, c: StoredComment, kind: 'pull' | 'issues') {
    return {
      __typename: 'IssueComment',
      id: nodeId('IssueComment', c.id),
      databaseId: c.id,
      body: c.body,
      bodyText: c.body,
      author: this.actor(c.user),
      authorAssociation: this.association(c.user),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastEditedAt: c.updatedAt === c.createdAt ? null : c.updatedAt,
      includesCreatedEdit: c.updatedAt !== c.createdAt,
      isMinimized: false,
      minimizedReason: null,
      reactionGroups: [],
      url: `${this.web}/${repo.fullName}/${kind}/${c.number}#issuecomment-${c.id}`,
      viewerDidAuthor: c.user === this.caller.account.login,
    };
  }

  private review(repo: ForgeRepo, v: StoredReview) {
    return {
      __typename: 'PullRequestReview',
      id: nodeId('PullRequestReview', v.id),
      databaseId: v.id,
      author: this.actor(v.user),
      authorAssociation: this.association(v.user),
      body: v.body,
      state: v.state,
      submittedAt: v.submittedAt ?? null,
      createdAt: v.submittedAt ?? null,
      commit: () => this.commit(repo, v.commitId),
      reactionGroups: [],
      url: `${this.web}/${repo.fullName}/pull/${v.number}#pullrequestreview-${v.id}`,
    };
  }

  private conversation(
    repo: ForgeRepo,
    number: number,
    kind: 'pull' | 'issues',
  ) {
    return (args: Args) =>
      connection(
        this.forge.activity
          .list('comments', repo.fullName, c => c.number === number)
          .map(c => this.comment(repo, c, kind)),
        args,
        'comments',
      );
  }

  issue(repo: ForgeRepo, i: StoredIssue): GraphObject {
    return {
      __typename: 'Issue',
      id: nodeId('Issue', i.id),
      databaseId: i.id,
      number: i.number,
      title: i.title,
      body: i.body,
      bodyText: i.body,
      state: i.state.toUpperCase(),
      stateReason: i.stateReason?.toUpperCase() ?? null,
      closed: i.state === 'closed',
      closedAt: i.closedAt ?? null,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      url: `${this.web}/${repo.fullName}/issues/${i.number}`,
      author: this.actor(i.user),
      authorAssociation: this.association(i.user),
      repository: () => this.repository(repo),
      labels: (args: Args) =>
        connection(
          i.labels.map(l => this.label(repo, l)),
          args,
          'labels',
        ),
      assignees: (args: Args) =>
        connection(this.people(i.assignees), args, 'assignees'),
      comments: this.conversation(repo, i.number, 'issues'),
      milestone: null,
      reactionGroups: [],
      projectCards: (args: Args) => connection([], args, 'projectCards'),
    };
  }

  pullRequest(repo: ForgeRepo, p: StoredPull): GraphObject {
    const { pulls, activity } = this.forge;
    // Mergeability is asked for separately: only a look at `mergeable`
    // starts (or waits for) the forge's mergeability job.
    let viewed: Promise<PullView> | undefined;
    let mergeView: Promise<PullView> | undefined;
    const view = () =>
      (viewed ??= pulls.view(repo, p, { mergeability: false }));
    const withMergeability = () => (mergeView ??= pulls.view(repo, p));
    const url = `${this.web}/${repo.fullName}/pull/${p.number}`;
    const reviews = () =>
      activity.list(
        'reviews',
        repo.fullName,
        v =>
          v.number === p.number &&
          (v.state !== 'PENDING' || v.user === this.caller.account.login),
      );
    const latestByAuthor = () => {
      const out = new Map<string, StoredReview>();
      for (const v of reviews())
        if (v.state !== 'PENDING' && v.state !== 'COMMENTED')
          out.set(v.user, v);
      return [...out.values()];
    };
    const headCommit = async () => {
      const v = await view();
      return this.commit(repo, v.headSha);
    };
    return {
      __typename: 'PullRequest',
      id: nodeId('PullRequest', p.id),
      databaseId: p.id,
      number: p.number,
      url,
      permalink: url,
      resourcePath: `/${repo.fullName}/pull/${p.number}`,
      title: p.title,
      body: p.body,
      bodyText: p.body,
      state: pullState(p),
      closed: p.state === 'closed',
      merged: p.merged,
      mergedAt: p.mergedAt ?? null,
      mergedBy: p.mergedBy ? this.actor(p.mergedBy) : null,
      closedAt: p.closedAt ?? null,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      publishedAt: p.createdAt,
      lastEditedAt: null,
      isDraft: p.draft,
      locked: false,
      author: this.actor(p.user),
      authorAssociation: this.association(p.user),
      includesCreatedEdit: false,
      headRefName: p.head,
      baseRefName: p.base,
      headRefOid: async () => (await view()).headSha,
      baseRefOid: async () => (await view()).baseSha,
      headRef: () => this.ref(repo, `refs/heads/${p.head}`),
      baseRef: () => this.ref(repo, `refs/heads/${p.base}`),
      headRepository: () => this.repository(repo),
      baseRepository: () => this.repository(repo),
      repository: () => this.repository(repo),
      headRepositoryOwner: this.account(repo.owner),
      isCrossRepository: false,
      maintainerCanModify: false,
      mergeable: async () => {
        const m = (await withMergeability()).mergeable;
        if (m === null) return 'UNKNOWN';
        return m ? 'MERGEABLE' : 'CONFLICTING';
      },
      mergeStateStatus: async () => {
        const v = await withMergeability();
        if (v.mergeable === null) return 'UNKNOWN';
        if (!v.mergeable) return 'DIRTY';
        const rollup = rollupState(
          latestPerContext(
            activity.list('statuses', repo.fullName, s => s.sha === v.headSha),
          ),
          latestRuns(
            activity.list(
              'checkRuns',
              repo.fullName,
              r => r.headSha === v.headSha,
            ),
          ),
        );
        return rollup === 'SUCCESS' || rollup === null ? 'CLEAN' : 'UNSTABLE';
      },
      // No branch protection requires reviews here: GitHub answers null then,
      // unless someone already reviewed.
      reviewDecision: () => {
        const latest = latestByAuthor();
        if (latest.some(v => v.state === 'CHANGES_REQUESTED'))
          return 'CHANGES_REQUESTED';
        return latest.some(v => v.state === 'APPROVED') ? 'APPROVED' : null;
      },
      additions: async () => (await view()).additions,
      deletions: async () => (await view()).deletions,
      changedFiles: async () => (await view()).files.length,
      files: async (args: Args) =>
        connection(
          (await view()).files.map(f => ({
            path: f.path,
            additions: f.additions,
            deletions: f.deletions,
            changeType:
              (
                { A: 'ADDED', D: 'DELETED', M: 'MODIFIED' } as Record<
                  string,
                  string
                >
              )[f.status[0]] ?? 'CHANGED',
            viewerViewedState: 'UNVIEWED',
          })),
          args,
          'files',
          { unbounded: true },
        ),
      commits: async (args: Args) => {
        const v = await view();
        const list = v.mergeBase
          ? (
              await repo.git.log(`${v.mergeBase}..${v.headSha}`, { max: 250 })
            ).reverse()
          : [];
        return connection(
          list.map(c => ({
            __typename: 'PullRequestCommit',
            id: nodeId('PullRequestCommit', `${p.id}:${c.sha}`),
            url: `${url}/commits/${c.sha}`,
            resourcePath: `/${repo.fullName}/pull/${p.number}/commits/${c.sha}`,
            commit: this.commitOf(repo, c),
          })),
          args,
          'commits',
          { unbounded: true },
        );
      },
      potentialMergeCommit: null,
      mergeCommit: () =>
        p.mergeCommitSha ? this.commit(repo, p.mergeCommitSha) : null,
      labels: (args: Args) =>
        connection(
          p.labels.map(l => this.label(repo, l)),
          args,
          'labels',
        ),
      assignees: (args: Args) =>
        connection(this.people(p.assignees), args, 'assignees'),
      reviewRequests: (args: Args) =>
        connection(
          this.people(p.requestedReviewers).map(r => ({
            id: nodeId('ReviewRequest', `${p.id}:${r.login}`),
            asCodeOwner: false,
            requestedReviewer: r,
          })),
          args,
          'reviewRequests',
        ),
      reviews: (args: Args & { states?: string[] | null; author?: string }) =>
        connection(
          reviews()
            .filter(
              v =>
                (!args.states?.length || args.states.includes(v.state)) &&
                (!args.author || v.user === args.author),
            )
            .map(v => this.review(repo, v)),
          args,
          'reviews',
        ),
      latestReviews: (args: Args) =>
        connection(
          latestByAuthor().map(v => this.review(repo, v)),
          args,
          'latestReviews',
        ),
      latestOpinionatedReviews: (args: Args) =>
        connection(
          latestByAuthor().map(v => this.review(repo, v)),
          args,
          'latestOpinionatedReviews',
        ),
      comments: this.conversation(repo, p.number, 'pull'),
      totalCommentsCount: () =>
        activity.list('comments', repo.fullName, c => c.number === p.number)
          .length,
      reactionGroups: [],
      projectCards: (args: Args) => connection([], args, 'projectCards'),
      projectItems: (args: Args) => connection([], args, 'projectItems'),
      closingIssuesReferences: (args: Args) =>
        connection([], args, 'closingIssuesReferences'),
      milestone: null,
      autoMergeRequest: null,
      viewerDidAuthor: p.user === this.caller.account.login,
      viewerCanUpdate: this.caller.scope === 'write',
      headCommit,
    };
  }
}

function pullState(p: StoredPull) {
  if (p.merged) return 'MERGED';
  return p.state === 'open' ? 'OPEN' : 'CLOSED';
}

/** The newest run of each check name. */
function latestRuns(runs: StoredCheckRun[]) {
  const byName = new Map<string, StoredCheckRun>();
  for (const r of [...runs].sort((a, b) => b.id - a.id))
    if (!byName.has(r.name)) byName.set(r.name, r);
  return [...byName.values()];
}

/** The rollup of statuses and check runs: FAILURE, PENDING or SUCCESS (null when there is nothing). */
function rollupState(statuses: StoredStatus[], runs: StoredCheckRun[]) {
  if (!statuses.length && !runs.length) return null;
  const status = statuses.length ? combinedState(statuses) : 'success';
  if (
    status === 'failure' ||
    runs.some(r => r.status === 'completed' && FAILED.has(r.conclusion ?? ''))
  )
    return 'FAILURE';
  if (status === 'pending' || runs.some(r => r.status !== 'completed'))
    return 'PENDING';
  return 'SUCCESS';
}
