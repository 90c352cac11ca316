import { PullError, MergeMethod } from '../pulls/PullService';
import { StoredPull } from '../pulls/PullStore';
import { ForgeRepo } from '../ForgeModel';
import { githubError, notFound, validationFailed } from './errors';
import { GithubRoutes } from './GithubRoutes';
import { field, mediaType, paginate, readJson, send } from './http';
import { sendDiffOrPatch } from './repos';

/**
 * Pull requests: list, open, read (JSON, diff or patch), edit, files,
 * commits, merge, reviewers. A new head/base pair answers `mergeable:
 * null` first, as GitHub does while its mergeability job runs.
 */
export function registerPulls(gh: GithubRoutes) {
  const { model, pulls, shapes } = gh;

  // --- pull requests -----------------------------------------------------------
  /** GitHub's answer for a refused pull request operation. */
  const pullErrors = (
    error: unknown,
    repo: ForgeRepo,
    docs: string,
    head?: string,
  ): unknown => {
    if (error instanceof PullError) {
      switch (error.code) {
        case 'head-missing':
          return validationFailed(docs, [
            { resource: 'PullRequest', field: 'head', code: 'invalid' },
          ]);
        case 'base-missing':
          return validationFailed(docs, [
            { resource: 'PullRequest', field: 'base', code: 'invalid' },
          ]);
        case 'same-branch':
        case 'no-commits':
          return validationFailed(docs, [
            { resource: 'PullRequest', code: 'custom', message: error.message },
          ]);
        case 'exists':
          return validationFailed(docs, [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${repo.owner.login}:${
                error.existing?.head ?? head
              }.`,
            },
          ]);
        case 'not-found':
          return notFound(docs);
        case 'merged':
          return validationFailed(docs, [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: 'Cannot change state of a merged pull request',
            },
          ]);
        default:
          return githubError(422, error.message, docs);
      }
    }
    return error;
  };

  gh.repoRoute(
    'GET',
    '/pulls',
    { docs: 'rest/pulls/pulls#list-pull-requests' },
    async ctx => {
      const { req, res, repo } = ctx;
      const state = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      const base = req.query.get('base');
      const sort = req.query.get('sort') ?? 'created';
      // GitHub: desc by default when sorting by creation, asc otherwise.
      const direction =
        req.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
      let list = pulls
        .list(repo)
        .filter(p => state === 'all' || p.state === state);
      if (head) {
        const branch = pulls.headBranch(repo, head);
        list = list.filter(p => p.head === branch);
      }
      if (base) list = list.filter(p => p.base === base);
      list.sort((a, b) =>
        sort === 'updated'
          ? a.updatedAt.localeCompare(b.updatedAt)
          : a.number - b.number,
      );
      if (direction === 'desc') list.reverse();
      const { items, headers } = paginate(req, model.baseUrl, list);
      const out = [];
      const known = await gh.stats(repo);
      for (const p of items)
        out.push(
          shapes.pullRequestSimple(
            repo,
            await pulls.view(repo, p, { mergeability: false }),
            ctx.caller,
            known,
          ),
        );
      send(res, 200, out, headers);
    },
  );

  gh.repoRoute(
    'POST',
    '/pulls',
    { write: true, docs: 'rest/pulls/pulls#create-a-pull-request' },
    async ctx => {
      const { req, res, repo, caller } = ctx;
      const docs = 'rest/pulls/pulls#create-a-pull-request';
      const body = await readJson(req, docs);
      const head = field<string>(body, 'head', 'string', docs, true)!;
      const base = field<string>(body, 'base', 'string', docs, true)!;
      const title = field<string>(body, 'title', 'string', docs);
      if (!title)
        throw validationFailed(docs, [
          { resource: 'Issue', field: 'title', code: 'missing_field' },
        ]);
      const draft = field<boolean>(body, 'draft', 'boolean', docs) ?? false;
      let pull: StoredPull;
      try {
        pull = await pulls.create(repo, {
          title,
          body: field<string>(body, 'body', 'string', docs) ?? '',
          head,
          base,
          draft,
          user: caller!.account,
          allowEmpty: false,
        });
      } catch (error) {
        throw pullErrors(
          error,
          repo,
          docs,
          pulls.headBranch(repo, head) ?? head,
        );
      }
      const json = await gh.pullJson(ctx, pull);
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'GET',
    '/pulls/:number',
    { docs: 'rest/pulls/pulls#get-a-pull-request' },
    async ctx => {
      const { req, res, repo } = ctx;
      const pull = gh.pullOr404(
        repo,
        req.params.number,
        'rest/pulls/pulls#get-a-pull-request',
      );
      const kind = mediaType(req);
      if (kind === 'diff' || kind === 'patch') {
        // What `gh pr diff` asks for: the changes since the merge base.
        const view = await pulls.view(repo, pull, { mergeability: false });
        await sendDiffOrPatch(
          res,
          repo,
          kind,
          view.mergeBase ?? view.baseSha,
          view.headSha,
        );
        return;
      }
      send(res, 200, await gh.pullJson(ctx, pull));
    },
  );

  gh.repoRoute(
    'GET',
    '/pulls/:number/commits',
    { docs: 'rest/pulls/pulls#list-commits-on-a-pull-request' },
    async ({ req, res, repo }) => {
      const pull = gh.pullOr404(
        repo,
        req.params.number,
        'rest/pulls/pulls#list-commits-on-a-pull-request',
      );
      const view = await pulls.view(repo, pull, { mergeability: false });
      const commits = view.mergeBase
        ? await repo.git.log(`${view.mergeBase}..${view.headSha}`, {
            max: 250,
          })
        : [];
      // Oldest first, at most 250, as GitHub lists them.
      const { items, headers } = paginate(
        req,
        model.baseUrl,
        commits.reverse().map(c => shapes.commit(repo, c)),
      );
      send(res, 200, items, headers);
    },
  );

  gh.repoRoute(
    'PATCH',
    '/pulls/:number',
    { write: true, docs: 'rest/pulls/pulls#update-a-pull-request' },
    async ctx => {
      const { req, res, repo } = ctx;
      const docs = 'rest/pulls/pulls#update-a-pull-request';
      const pull = gh.pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const state = field<string>(body, 'state', 'string', docs);
      if (state !== undefined && state !== 'open' && state !== 'closed')
        throw validationFailed(docs, [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      try {
        const updated = await pulls.update(repo, pull.number, {
          title: field<string>(body, 'title', 'string', docs),
          body: field<string>(body, 'body', 'string', docs),
          state: state as 'open' | 'closed' | undefined,
          base: field<string>(body, 'base', 'string', docs),
        });
        send(res, 200, await gh.pullJson(ctx, updated));
      } catch (error) {
        throw pullErrors(error, repo, docs, pull.head);
      }
    },
  );

  gh.repoRoute(
    'GET',
    '/pulls/:number/files',
    { docs: 'rest/pulls/pulls#list-pull-requests-files' },
    async ({ req, res, repo }) => {
      const pull = gh.pullOr404(
        repo,
        req.params.number,
        'rest/pulls/pulls#list-pull-requests-files',
      );
      const view = await pulls.view(repo, pull);
      send(
        res,
        200,
        view.files.map(f =>
          shapes.diffEntry(repo, view.headSha, {
            ...f,
            sha: f.status === 'D' ? f.oldSha : f.newSha,
          }),
        ),
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/pulls/:number/merge',
    { docs: 'rest/pulls/pulls#check-if-a-pull-request-has-been-merged' },
    ({ req, res, repo }) => {
      const pull = gh.pullOr404(
        repo,
        req.params.number,
        'rest/pulls/pulls#check-if-a-pull-request-has-been-merged',
      );
      if (!pull.merged)
        throw notFound(
          'rest/pulls/pulls#check-if-a-pull-request-has-been-merged',
        );
      res.writeHead(204).end();
    },
  );

  gh.repoRoute(
    'PUT',
    '/pulls/:number/merge',
    { write: true, docs: 'rest/pulls/pulls#merge-a-pull-request' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/pulls/pulls#merge-a-pull-request';
      const pull = gh.pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const method = (field<string>(body, 'merge_method', 'string', docs) ??
        'merge') as MergeMethod;
      if (!['merge', 'squash', 'rebase'].includes(method))
        throw validationFailed(docs, [
          { resource: 'PullRequest', field: 'merge_method', code: 'invalid' },
        ]);
      try {
        const { sha } = await pulls.merge(repo, pull.number, {
          method,
          user: caller!.account,
          title: field<string>(body, 'commit_title', 'string', docs),
          message: field<string>(body, 'commit_message', 'string', docs),
          expectedHeadSha: field<string>(body, 'sha', 'string', docs),
          defaultTitle: p =>
            method === 'squash'
              ? `${p.title} (#${p.number})`
              : `Merge pull request #${p.number} from ${repo.owner.login}/${p.head}`,
          defaultMessage: p => (method === 'squash' ? '' : p.title),
        });
        send(res, 200, {
          sha,
          merged: true,
          message: 'Pull Request successfully merged',
        });
      } catch (error) {
        if (error instanceof PullError) {
          if (error.code === 'sha-mismatch' || error.code === 'base-moved')
            throw githubError(409, error.message, docs);
          if (error.code === 'method-not-allowed')
            throw githubError(
              405,
              'Rebase merges are not allowed on this repository.',
              docs,
            );
          throw githubError(405, 'Pull Request is not mergeable', docs);
        }
        throw error;
      }
    },
  );

  gh.repoRoute(
    'POST',
    '/pulls/:number/requested_reviewers',
    {
      write: true,
      docs: 'rest/pulls/review-requests#request-reviewers-for-a-pull-request',
    },
    async ctx => {
      const { req, res, repo } = ctx;
      const docs =
        'rest/pulls/review-requests#request-reviewers-for-a-pull-request';
      const pull = gh.pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const reviewers = (
        field<string[]>(body, 'reviewers', 'array', docs) ?? []
      ).map(String);
      const teams =
        field<string[]>(body, 'team_reviewers', 'array', docs) ?? [];
      if (reviewers.includes(pull.user))
        throw validationFailed(docs, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'Review cannot be requested from pull request author.',
          },
        ]);
      if (
        teams.length ||
        reviewers.some(
          r => !model.account(r) || model.account(r)?.type !== 'User',
        )
      )
        throw githubError(
          422,
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`,
          docs,
        );
      const updated = await pulls.addPeople(
        repo,
        pull.number,
        'requestedReviewers',
        reviewers.map(r => model.account(r)!.login),
      );
      send(res, 201, await gh.pullJson(ctx, updated));
    },
  );
}
