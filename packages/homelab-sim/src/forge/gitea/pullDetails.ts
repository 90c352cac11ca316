import { EMPTY_TREE } from '../git/GitRepository';
import { ReviewState } from '../store/ActivityStore';
import { GiteaActivityShapes } from './activityShapes';
import { GiteaRoutes, pageHeaders, send } from './GiteaRoutes';

/** Gitea's review events (ReviewStateType) in the forge's own states. */
const EVENTS: Record<string, ReviewState> = {
  APPROVED: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
  PENDING: 'PENDING',
};

/** A pull request's changed files, commits and reviews. */
export function registerPullDetails(
  g: GiteaRoutes,
  shapes: GiteaActivityShapes,
) {
  const { forge, pulls, err, notFound, readJson, repoRoute, stats, pageOf } = g;
  const { activity } = forge;

  repoRoute('GET', '/pulls/:index/files', async ({ req, res, repo }) => {
    const view = await pulls.view(repo, g.pullByIndex(repo, req.params.index), {
      mergeability: false,
    });
    const { items, headers } = g.paginate(req, view.files);
    send(
      res,
      200,
      items.map(f => shapes.changedFile(repo, view.headSha, f)),
      headers,
    );
  });

  repoRoute('GET', '/pulls/:index/commits', async ({ req, res, repo }) => {
    const view = await pulls.view(repo, g.pullByIndex(repo, req.params.index), {
      mergeability: false,
    });
    const commits = view.mergeBase
      ? await repo.git.log(`${view.mergeBase}..${view.headSha}`)
      : [];
    const { limit, page } = pageOf(req);
    const created = (await stats(repo)).createdAt;
    const out = [];
    for (const c of commits.slice((page - 1) * limit, page * limit))
      out.push(
        shapes.commit(
          repo,
          c,
          created,
          req.query.get('files') === 'false'
            ? undefined
            : await repo.git.diffFiles(c.parents[0] ?? EMPTY_TREE, c.sha),
        ),
      );
    send(res, 200, out, pageHeaders(commits.length, limit, page));
  });

  repoRoute(
    'GET',
    '/pulls/:index/reviews',
    async ({ req, res, repo, caller }) => {
      const pull = g.pullByIndex(repo, req.params.index);
      const created = (await stats(repo)).createdAt;
      const list = activity.list(
        'reviews',
        repo.fullName,
        v =>
          v.number === pull.number &&
          (v.state !== 'PENDING' || v.user === caller?.account.login),
      );
      const { items, headers } = g.paginate(req, list);
      send(
        res,
        200,
        items.map(v => shapes.review(repo, v, created)),
        headers,
      );
    },
  );

  repoRoute('GET', '/pulls/:index/reviews/:id', async ({ req, res, repo }) => {
    const pull = g.pullByIndex(repo, req.params.index);
    const v = activity.get('reviews', repo.fullName, Number(req.params.id));
    if (!v || v.number !== pull.number) throw notFound();
    send(res, 200, shapes.review(repo, v, (await stats(repo)).createdAt));
  });

  repoRoute(
    'POST',
    '/pulls/:index/reviews',
    async ({ req, res, repo, caller }) => {
      const pull = g.pullByIndex(repo, req.params.index);
      const body = await readJson(req);
      const event = typeof body.event === 'string' ? body.event : '';
      const text = typeof body.body === 'string' ? body.body : '';
      const state = event ? EVENTS[event] : 'PENDING';
      if (!state) throw err(422, `review event ${event} is not supported`);
      const me = caller!.account.login;
      // services/pull/review.go: the poster may comment but not judge.
      if (
        pull.user === me &&
        (state === 'APPROVED' || state === 'CHANGES_REQUESTED')
      )
        throw err(
          422,
          `${
            state === 'APPROVED' ? 'approve' : 'reject'
          } your own pull is not allowed`,
        );
      if (state === 'CHANGES_REQUESTED' && !text.trim())
        throw err(422, 'review event REQUEST_CHANGES needs a body');
      const view = await pulls.view(repo, pull, { mergeability: false });
      const commitId =
        typeof body.commit_id === 'string' && body.commit_id
          ? body.commit_id
          : view.headSha;
      const v = await activity.add('reviews', {
        repo: repo.fullName,
        number: pull.number,
        user: me,
        body: text,
        state,
        commitId,
        submittedAt: state === 'PENDING' ? undefined : forge.stamp(),
      });
      send(res, 200, shapes.review(repo, v, (await stats(repo)).createdAt));
    },
    { write: true },
  );
}
