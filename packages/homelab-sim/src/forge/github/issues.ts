import { ForgeRepo } from '../ForgeModel';
import { IssueOrPull } from '../issues/IssueService';
import { ActivityShapes } from './activityShapes';
import { notFound, validationFailed } from './errors';
import { GithubRoutes, RepoCtx } from './GithubRoutes';
import { field, oneOf, paginate, readJson, send } from './http';

/** Logins of `values` that are people of the forge (GitHub ignores the others when assigning). */
function assignable(gh: GithubRoutes, values: unknown[] | undefined) {
  return (values ?? [])
    .map(a => gh.model.account(String(a)))
    .filter(a => a?.type === 'User')
    .map(a => a!.login)
    .slice(0, 10);
}

/** Label names from `["a"]` or `[{"name": "a"}]`. */
function labelNames(values: unknown[] | undefined) {
  return (values ?? []).map(l =>
    typeof l === 'object' && l !== null
      ? String((l as { name?: unknown }).name)
      : String(l),
  );
}

/**
 * Issues and their conversation (docs: rest/issues). GitHub's issues API
 * also answers for pull requests (same numbers), so labels, assignees and
 * comments work on both.
 */
export function registerIssues(
  gh: GithubRoutes,
  activityShapes: ActivityShapes,
) {
  const { forge, model, pulls, shapes } = gh;
  const { issues, activity } = forge;

  const itemOr404 = (repo: ForgeRepo, n: string, docs: string) => {
    const item = /^\d+$/.test(n) ? issues.find(repo, Number(n)) : undefined;
    if (!item) throw notFound(docs);
    return item;
  };
  const commentCount = (repo: ForgeRepo, number: number) =>
    activity.list('comments', repo.fullName, c => c.number === number).length;
  const issueJson = (repo: ForgeRepo, item: IssueOrPull) =>
    shapes.issue(
      repo,
      item,
      commentCount(
        repo,
        item.kind === 'pull' ? item.pull.number : item.issue.number,
      ),
    );

  gh.repoRoute(
    'GET',
    '/issues',
    { docs: 'rest/issues/issues#list-repository-issues' },
    ({ req, res, repo }) => {
      const state = req.query.get('state') ?? 'open';
      const labels = (req.query.get('labels') ?? '')
        .split(',')
        .map(l => l.trim())
        .filter(Boolean);
      const direction = req.query.get('direction') ?? 'desc';
      const all: IssueOrPull[] = [
        ...issues.list(repo).map(issue => ({ kind: 'issue' as const, issue })),
        ...pulls.list(repo).map(pull => ({ kind: 'pull' as const, pull })),
      ];
      const of = (i: IssueOrPull) => (i.kind === 'pull' ? i.pull : i.issue);
      const list = all
        .filter(i => state === 'all' || of(i).state === state)
        .filter(i => labels.every(l => of(i).labels.includes(l)))
        .sort((a, b) =>
          direction === 'asc'
            ? of(a).number - of(b).number
            : of(b).number - of(a).number,
        );
      const { items, headers } = paginate(req, model.baseUrl, list);
      send(
        res,
        200,
        items.map(i => issueJson(repo, i)),
        headers,
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/issues/:number',
    { docs: 'rest/issues/issues#get-an-issue' },
    ({ req, res, repo }) => {
      const item = itemOr404(
        repo,
        req.params.number,
        'rest/issues/issues#get-an-issue',
      );
      send(res, 200, issueJson(repo, item));
    },
  );

  gh.repoRoute(
    'POST',
    '/issues',
    { write: true, docs: 'rest/issues/issues#create-an-issue' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/issues/issues#create-an-issue';
      const body = await readJson(req, docs);
      const title = field<string>(body, 'title', 'string', docs, true)!;
      if (!title.trim())
        throw validationFailed(docs, [
          { resource: 'Issue', field: 'title', code: 'missing_field' },
        ]);
      const issue = await issues.create(repo, {
        title,
        body: field<string>(body, 'body', 'string', docs) ?? '',
        user: caller!.account,
        labels: labelNames(field<unknown[]>(body, 'labels', 'array', docs)),
        assignees: assignable(
          gh,
          field<unknown[]>(body, 'assignees', 'array', docs),
        ),
      });
      const json = issueJson(repo, { kind: 'issue', issue });
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'PATCH',
    '/issues/:number',
    { write: true, docs: 'rest/issues/issues#update-an-issue' },
    async ({ req, res, repo }) => {
      const docs = 'rest/issues/issues#update-an-issue';
      const item = itemOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const state = oneOf(body, 'state', ['open', 'closed'] as const, docs);
      const stateReason = oneOf(
        body,
        'state_reason',
        ['completed', 'not_planned', 'reopened'] as const,
        docs,
      );
      const change = {
        title: field<string>(body, 'title', 'string', docs),
        body: field<string>(body, 'body', 'string', docs),
        labels:
          body.labels === undefined
            ? undefined
            : labelNames(field<unknown[]>(body, 'labels', 'array', docs)),
        assignees:
          body.assignees === undefined
            ? undefined
            : assignable(
                gh,
                field<unknown[]>(body, 'assignees', 'array', docs),
              ),
      };
      if (item.kind === 'pull') {
        const updated = await pulls.update(repo, item.pull.number, {
          title: change.title,
          body: change.body,
          state,
        });
        send(res, 200, issueJson(repo, { kind: 'pull', pull: updated }));
        return;
      }
      const updated = await issues.update(repo, item.issue.number, {
        ...change,
        state,
        stateReason,
      });
      send(res, 200, issueJson(repo, { kind: 'issue', issue: updated! }));
    },
  );

  /** Adds people or labels to an issue or a pull request. */
  const addTo = async (
    { repo }: RepoCtx,
    item: IssueOrPull,
    field_: 'assignees' | 'labels',
    values: string[],
  ): Promise<IssueOrPull> => {
    if (item.kind === 'pull')
      return {
        kind: 'pull',
        pull: await pulls.addPeople(repo, item.pull.number, field_, values),
      };
    const issue = await issues.update(repo, item.issue.number, {
      [field_]: [...item.issue[field_], ...values],
    });
    return { kind: 'issue', issue: issue! };
  };

  gh.repoRoute(
    'POST',
    '/issues/:number/assignees',
    { write: true, docs: 'rest/issues/assignees#add-assignees-to-an-issue' },
    async ctx => {
      const docs = 'rest/issues/assignees#add-assignees-to-an-issue';
      const item = itemOr404(ctx.repo, ctx.req.params.number, docs);
      const body = await readJson(ctx.req, docs);
      const updated = await addTo(
        ctx,
        item,
        'assignees',
        assignable(gh, field<unknown[]>(body, 'assignees', 'array', docs)),
      );
      send(ctx.res, 201, issueJson(ctx.repo, updated));
    },
  );

  gh.repoRoute(
    'POST',
    '/issues/:number/labels',
    { write: true, docs: 'rest/issues/labels#add-labels-to-an-issue' },
    async ctx => {
      const docs = 'rest/issues/labels#add-labels-to-an-issue';
      const item = itemOr404(ctx.repo, ctx.req.params.number, docs);
      const body = await readJson(ctx.req, docs);
      const updated = await addTo(
        ctx,
        item,
        'labels',
        labelNames(field<unknown[]>(body, 'labels', 'array', docs)),
      );
      const now = updated.kind === 'pull' ? updated.pull : updated.issue;
      send(
        ctx.res,
        200,
        now.labels.map(l => shapes.label(ctx.repo, l)),
      );
    },
  );

  // --- comments ----------------------------------------------------------------
  gh.repoRoute(
    'GET',
    '/issues/:number/comments',
    { docs: 'rest/issues/comments#list-issue-comments' },
    ({ req, res, repo }) => {
      const item = itemOr404(
        repo,
        req.params.number,
        'rest/issues/comments#list-issue-comments',
      );
      const n = item.kind === 'pull' ? item.pull.number : item.issue.number;
      const { items, headers } = paginate(
        req,
        model.baseUrl,
        activity.list('comments', repo.fullName, c => c.number === n),
      );
      send(
        res,
        200,
        items.map(c =>
          activityShapes.issueComment(repo, c, item.kind === 'pull'),
        ),
        headers,
      );
    },
  );

  gh.repoRoute(
    'POST',
    '/issues/:number/comments',
    { write: true, docs: 'rest/issues/comments#create-an-issue-comment' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/issues/comments#create-an-issue-comment';
      const item = itemOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const text = field<string>(body, 'body', 'string', docs, true)!;
      if (!text.trim())
        throw validationFailed(docs, [
          { resource: 'IssueComment', field: 'body', code: 'missing_field' },
        ]);
      const at = forge.stamp();
      const comment = await activity.add('comments', {
        repo: repo.fullName,
        number: item.kind === 'pull' ? item.pull.number : item.issue.number,
        body: text,
        user: caller!.account.login,
        createdAt: at,
        updatedAt: at,
      });
      const json = activityShapes.issueComment(
        repo,
        comment,
        item.kind === 'pull',
      );
      send(res, 201, json, { location: json.url });
    },
  );

  const commentOr404 = (repo: ForgeRepo, id: string, docs: string) => {
    const c = activity.get('comments', repo.fullName, Number(id));
    if (!c) throw notFound(docs);
    return c;
  };
  const isPull = (repo: ForgeRepo, n: number) => !!pulls.get(repo, n);

  gh.repoRoute(
    'GET',
    '/issues/comments/:id',
    { docs: 'rest/issues/comments#get-an-issue-comment' },
    ({ req, res, repo }) => {
      const c = commentOr404(
        repo,
        req.params.id,
        'rest/issues/comments#get-an-issue-comment',
      );
      send(
        res,
        200,
        activityShapes.issueComment(repo, c, isPull(repo, c.number)),
      );
    },
  );

  gh.repoRoute(
    'PATCH',
    '/issues/comments/:id',
    { write: true, docs: 'rest/issues/comments#update-an-issue-comment' },
    async ({ req, res, repo }) => {
      const docs = 'rest/issues/comments#update-an-issue-comment';
      commentOr404(repo, req.params.id, docs);
      const body = await readJson(req, docs);
      const text = field<string>(body, 'body', 'string', docs, true)!;
      const updated = await activity.update(
        'comments',
        repo.fullName,
        Number(req.params.id),
        c => {
          c.body = text;
          c.updatedAt = forge.stamp();
        },
      );
      send(
        res,
        200,
        activityShapes.issueComment(
          repo,
          updated!,
          isPull(repo, updated!.number),
        ),
      );
    },
  );

  gh.repoRoute(
    'DELETE',
    '/issues/comments/:id',
    { write: true, docs: 'rest/issues/comments#delete-an-issue-comment' },
    async ({ req, res, repo }) => {
      const docs = 'rest/issues/comments#delete-an-issue-comment';
      commentOr404(repo, req.params.id, docs);
      await activity.remove('comments', repo.fullName, Number(req.params.id));
      res.writeHead(204).end();
    },
  );
}
