import { ForgeRepo } from '../ForgeModel';
import { GiteaActivityShapes } from './activityShapes';
import { GiteaRoutes, send } from './GiteaRoutes';

/** The conversation of an issue or pull request (`/issues/{index}/comments`). */
export function registerComments(g: GiteaRoutes, shapes: GiteaActivityShapes) {
  const { forge, err, notFound, readJson, repoRoute, stats } = g;
  const { activity, issues } = forge;

  const itemOr404 = (repo: ForgeRepo, index: string) => {
    const found = /^\d+$/.test(index)
      ? issues.find(repo, Number(index))
      : undefined;
    if (!found) throw notFound();
    return found;
  };

  repoRoute('GET', '/issues/:index/comments', async ({ req, res, repo }) => {
    const item = itemOr404(repo, req.params.index);
    const n = Number(req.params.index);
    const at = (await stats(repo)).createdAt;
    send(
      res,
      200,
      activity
        .list('comments', repo.fullName, c => c.number === n)
        .map(c => shapes.comment(repo, c, item.kind === 'pull', at)),
    );
  });

  repoRoute(
    'POST',
    '/issues/:index/comments',
    async ({ req, res, repo, caller }) => {
      const item = itemOr404(repo, req.params.index);
      const body = await readJson(req);
      const text = g.requireString(body, 'body', 'Body');
      const at = forge.stamp();
      const c = await activity.add('comments', {
        repo: repo.fullName,
        number: Number(req.params.index),
        body: text,
        user: caller!.account.login,
        createdAt: at,
        updatedAt: at,
      });
      send(
        res,
        201,
        shapes.comment(
          repo,
          c,
          item.kind === 'pull',
          (await stats(repo)).createdAt,
        ),
      );
    },
    { write: true },
  );

  const commentOr404 = (repo: ForgeRepo, id: string) => {
    const c = activity.get('comments', repo.fullName, Number(id));
    if (!c) throw notFound();
    return c;
  };
  const isPull = (repo: ForgeRepo, n: number) => !!g.pulls.get(repo, n);

  repoRoute('GET', '/issues/comments/:id', async ({ req, res, repo }) => {
    const c = commentOr404(repo, req.params.id);
    send(
      res,
      200,
      shapes.comment(
        repo,
        c,
        isPull(repo, c.number),
        (await stats(repo)).createdAt,
      ),
    );
  });

  repoRoute(
    'PATCH',
    '/issues/comments/:id',
    async ({ req, res, repo, caller }) => {
      const c = commentOr404(repo, req.params.id);
      if (c.user !== caller!.account.login)
        throw err(403, 'user should be the poster');
      const text = g.requireString(await readJson(req), 'body', 'Body');
      const saved = await activity.update(
        'comments',
        repo.fullName,
        c.id,
        x => {
          x.body = text;
          x.updatedAt = forge.stamp();
        },
      );
      send(
        res,
        200,
        shapes.comment(
          repo,
          saved!,
          isPull(repo, c.number),
          (await stats(repo)).createdAt,
        ),
      );
    },
    { write: true },
  );

  repoRoute(
    'DELETE',
    '/issues/comments/:id',
    async ({ req, res, repo }) => {
      const c = commentOr404(repo, req.params.id);
      await activity.remove('comments', repo.fullName, c.id);
      res.writeHead(204).end();
    },
    { write: true },
  );
}
