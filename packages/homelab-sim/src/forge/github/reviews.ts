import { ReviewState } from '../store/ActivityStore';
import { ActivityShapes } from './activityShapes';
import { githubError, notFound } from './errors';
import { GithubRoutes } from './GithubRoutes';
import { field, oneOf, paginate, readJson, send } from './http';

const EVENTS = ['APPROVE', 'REQUEST_CHANGES', 'COMMENT'] as const;
const STATE_OF: Record<(typeof EVENTS)[number], ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

/** Pull request reviews (docs: rest/pulls/reviews). */
export function registerReviews(gh: GithubRoutes, shapes: ActivityShapes) {
  const { forge, model, pulls } = gh;
  const { activity } = forge;

  gh.repoRoute(
    'GET',
    '/pulls/:number/reviews',
    { docs: 'rest/pulls/reviews#list-reviews-for-a-pull-request' },
    ({ req, res, repo, caller }) => {
      const pull = gh.pullOr404(
        repo,
        req.params.number,
        'rest/pulls/reviews#list-reviews-for-a-pull-request',
      );
      // A pending review is visible to its author only.
      const list = activity.list(
        'reviews',
        repo.fullName,
        v =>
          v.number === pull.number &&
          (v.state !== 'PENDING' || v.user === caller?.account.login),
      );
      const { items, headers } = paginate(req, model.baseUrl, list);
      send(
        res,
        200,
        items.map(v => shapes.review(repo, v)),
        headers,
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/pulls/:number/reviews/:id',
    { docs: 'rest/pulls/reviews#get-a-review-for-a-pull-request' },
    ({ req, res, repo }) => {
      const docs = 'rest/pulls/reviews#get-a-review-for-a-pull-request';
      const pull = gh.pullOr404(repo, req.params.number, docs);
      const v = activity.get('reviews', repo.fullName, Number(req.params.id));
      if (!v || v.number !== pull.number) throw notFound(docs);
      send(res, 200, shapes.review(repo, v));
    },
  );

  gh.repoRoute(
    'POST',
    '/pulls/:number/reviews',
    {
      write: true,
      docs: 'rest/pulls/reviews#create-a-review-for-a-pull-request',
    },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/pulls/reviews#create-a-review-for-a-pull-request';
      const pull = gh.pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const event = oneOf(body, 'event', EVENTS, docs);
      const text = field<string>(body, 'body', 'string', docs) ?? '';
      const commitId = field<string>(body, 'commit_id', 'string', docs);
      const me = caller!.account.login;
      const refuse = (message: string) => {
        throw githubError(422, 'Unprocessable Entity', docs, [
          { resource: 'PullRequestReview', code: 'custom', message },
        ]);
      };
      if (event === 'APPROVE' && pull.user === me)
        refuse('Can not approve your own pull request');
      if (event === 'REQUEST_CHANGES' && pull.user === me)
        refuse('Can not request changes on your own pull request');
      if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !text.trim())
        refuse(
          `Body is required when the event is ${
            event === 'COMMENT' ? 'COMMENT' : 'REQUEST_CHANGES'
          }`,
        );
      if (
        activity.list(
          'reviews',
          repo.fullName,
          v =>
            v.number === pull.number && v.user === me && v.state === 'PENDING',
        ).length
      )
        refuse('User can only have one pending review per pull request');
      const view = await pulls.view(repo, pull, { mergeability: false });
      if (commitId && !(await repo.git.resolveCommit(commitId)))
        refuse('Commit ID is not part of the pull request');
      const review = await activity.add('reviews', {
        repo: repo.fullName,
        number: pull.number,
        user: me,
        body: text,
        state: event ? STATE_OF[event] : 'PENDING',
        commitId: commitId ?? view.headSha,
        submittedAt: event ? forge.stamp() : undefined,
      });
      send(res, 200, shapes.review(repo, review));
    },
  );
}
