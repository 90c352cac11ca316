import { PullError } from '../pulls/PullService';
import { sendPlain } from './commits';
import { GiteaRoutes, send } from './GiteaRoutes';

/** Pull requests: list, open, read, edit, merge, and find by base and head. */
export function registerPulls(g: GiteaRoutes) {
  const {
    model,
    pulls,
    err,
    notFound,
    readJson,
    repoRoute,
    stats,
    pullJson,
    pageOf,
    pullByIndex,
  } = g;

  repoRoute('GET', '/pulls', async ctx => {
    const { req, res, repo } = ctx;
    const state = req.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state))
      throw err(422, '[State]: In');
    const list = pulls
      .list(repo)
      .filter(p => state === 'all' || p.state === state)
      .sort((a, b) => {
        switch (req.query.get('sort')) {
          case 'oldest':
            return a.number - b.number;
          case 'recentupdate':
            return b.updatedAt.localeCompare(a.updatedAt);
          case 'leastupdate':
            return a.updatedAt.localeCompare(b.updatedAt);
          default:
            return b.number - a.number;
        }
      });
    const { limit, page } = pageOf(req);
    const out = [];
    const known = await stats(repo);
    for (const p of list.slice((page - 1) * limit, page * limit))
      out.push(await pullJson(ctx, p, known));
    send(res, 200, out, { 'x-total-count': String(list.length) });
  });

  repoRoute(
    'POST',
    '/pulls',
    async ctx => {
      const { req, res, repo, caller } = ctx;
      const body = await readJson(req);
      const head = typeof body.head === 'string' ? body.head : '';
      const base = typeof body.base === 'string' ? body.base : '';
      const title = typeof body.title === 'string' ? body.title : '';
      if (!title) throw err(422, '[Title]: Required');
      if (head === base)
        throw err(
          422,
          'Invalid PullRequest: There are no changes between the head and the base',
        );
      try {
        const pull = await pulls.create(repo, {
          title,
          body: typeof body.body === 'string' ? body.body : '',
          head,
          base,
          draft: false,
          user: caller!.account,
          allowEmpty: true,
        });
        const assignees = [
          ...(typeof body.assignee === 'string' && body.assignee
            ? [body.assignee]
            : []),
          ...(Array.isArray(body.assignees) ? body.assignees.map(String) : []),
        ];
        for (const a of assignees) {
          if (!model.account(a) || model.account(a)?.type !== 'User')
            throw err(
              422,
              `Assignee does not exist: [name: user does not exist [uid: 0, name: ${a}]]`,
            );
        }
        const saved = assignees.length
          ? await pulls.addPeople(
              repo,
              pull.number,
              'assignees',
              assignees.map(a => model.account(a)!.login),
            )
          : pull;
        send(res, 201, await pullJson(ctx, saved));
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'exists' && e.existing) {
            const x = e.existing;
            throw err(
              409,
              `pull request already exists for these targets [id: ${x.id}, issue_id: ${x.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${x.head}, base_branch: ${x.base}]`,
            );
          }
          if (e.code === 'head-missing' || e.code === 'base-missing')
            throw notFound();
          if (e.code === 'same-branch')
            throw err(
              422,
              'Invalid PullRequest: There are no changes between the head and the base',
            );
          throw err(422, e.message);
        }
        throw e;
      }
    },
    { write: true },
  );

  // `/pulls/{index}.diff` and `.patch` (repoDownloadPullDiffOrPatch) share
  // the path segment with the index.
  repoRoute('GET', '/pulls/:index', async ctx => {
    const m = /^(\d+)\.(diff|patch)$/.exec(ctx.req.params.index);
    if (m) {
      const view = await pulls.view(ctx.repo, pullByIndex(ctx.repo, m[1]), {
        mergeability: false,
      });
      const from = view.mergeBase ?? view.baseSha;
      sendPlain(
        ctx.res,
        m[2] === 'patch'
          ? await ctx.repo.git.formatPatch(from, view.headSha)
          : await ctx.repo.git.diffPatch(from, view.headSha),
      );
      return;
    }
    send(
      ctx.res,
      200,
      await pullJson(ctx, pullByIndex(ctx.repo, ctx.req.params.index)),
    );
  });

  repoRoute(
    'PATCH',
    '/pulls/:index',
    async ctx => {
      const { req, res, repo } = ctx;
      const pull = pullByIndex(repo, req.params.index);
      const body = await readJson(req);
      const state = typeof body.state === 'string' ? body.state : undefined;
      if (state !== undefined && state !== 'open' && state !== 'closed')
        throw err(422, '[State]: In');
      try {
        const updated = await pulls.update(repo, pull.number, {
          title:
            typeof body.title === 'string' && body.title
              ? body.title
              : undefined,
          body: typeof body.body === 'string' ? body.body : undefined,
          state: state as 'open' | 'closed' | undefined,
          base:
            typeof body.base === 'string' &&
            body.base &&
            body.base !== pull.base
              ? body.base
              : undefined,
        });
        // Gitea answers an edit with 201 (a known quirk, "TODO this should be 200").
        send(res, 201, await pullJson(ctx, updated));
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'merged') throw err(412, e.message);
          if (e.code === 'base-missing') throw err(404, e.message);
          if (e.code === 'exists' && e.existing) {
            const x = e.existing;
            throw err(
              409,
              `pull request already exists for these targets [id: ${x.id}, issue_id: ${x.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${x.head}, base_branch: ${x.base}]`,
            );
          }
          throw err(422, e.message);
        }
        throw e;
      }
    },
    { write: true },
  );

  repoRoute('GET', '/pulls/:index/merge', ({ req, res, repo }) => {
    const pull = pullByIndex(repo, req.params.index);
    if (!pull.merged) throw notFound();
    res.writeHead(204).end();
  });

  repoRoute(
    'POST',
    '/pulls/:index/merge',
    async ({ req, res, repo, caller }) => {
      const pull = pullByIndex(repo, req.params.index);
      const body = await readJson(req);
      const styles = [
        'merge',
        'rebase',
        'rebase-merge',
        'squash',
        'fast-forward-only',
        'manually-merged',
      ];
      const style = typeof body.Do === 'string' ? body.Do : '';
      if (!style) throw err(422, '[Do]: Required');
      if (!styles.includes(style)) throw err(422, '[Do]: In');
      if (pull.merged) throw err(405, '');
      if (pull.state !== 'open') throw notFound();
      try {
        await pulls.merge(repo, pull.number, {
          method: style as 'merge',
          user: caller!.account,
          title:
            typeof body.MergeTitleField === 'string'
              ? body.MergeTitleField
              : undefined,
          message:
            typeof body.MergeMessageField === 'string'
              ? body.MergeMessageField.trim() || undefined
              : undefined,
          expectedHeadSha:
            typeof body.head_commit_id === 'string' && body.head_commit_id
              ? body.head_commit_id
              : undefined,
          deleteBranch: body.delete_branch_after_merge === true,
          defaultTitle: p =>
            style === 'squash'
              ? `${p.title} (#${p.number})`
              : `Merge pull request '${p.title}' (#${p.number}) from ${p.head} into ${p.base}`,
          defaultMessage: () => '',
        });
        res.writeHead(200).end();
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'method-not-allowed')
            throw err(
              405,
              `${style} is not allowed an allowed merge style for this repository`,
            );
          if (e.code === 'sha-mismatch') throw err(409, 'head out of date');
          if (e.code === 'base-moved') throw err(409, 'merge push out of date');
          if (e.code === 'conflict') {
            // Gitea serialises its ErrMergeConflicts struct as it is.
            send(res, 409, {
              Style: style,
              StdOut: '',
              StdErr: e.message,
              Err: {},
            });
            return;
          }
          throw err(405, 'Please try again later');
        }
        throw e;
      }
    },
    { write: true },
  );

  // After /pulls/:index/merge, which this pattern would also match.
  repoRoute('GET', '/pulls/:base/*head', async ctx => {
    const { req, repo } = ctx;
    const head = pulls.headBranch(repo, req.params.head);
    const found = pulls
      .list(repo)
      .filter(p => p.base === req.params.base && p.head === head)
      .sort(
        (a, b) =>
          Number(b.state === 'open') - Number(a.state === 'open') ||
          b.number - a.number,
      )[0];
    if (!found) throw notFound();
    send(ctx.res, 200, await pullJson(ctx, found));
  });
}
