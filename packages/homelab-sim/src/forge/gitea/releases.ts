import { Caller, ForgeRepo } from '../ForgeModel';
import { StoredRelease } from '../store/ActivityStore';
import { GiteaActivityShapes } from './activityShapes';
import { GiteaRoutes, send } from './GiteaRoutes';

/** Releases; publishing one whose tag is missing creates the tag at `target_commitish`. */
export function registerReleases(g: GiteaRoutes, shapes: GiteaActivityShapes) {
  const { forge, err, notFound, readJson, repoRoute, stats } = g;
  const { activity } = forge;

  const visible = (repo: ForgeRepo, caller: Caller | undefined) =>
    activity
      .list(
        'releases',
        repo.fullName,
        r => !r.draft || caller?.scope === 'write',
      )
      .sort((a, b) => b.id - a.id);
  const json = async (repo: ForgeRepo, r: StoredRelease) =>
    shapes.release(repo, r, (await stats(repo)).createdAt);

  repoRoute('GET', '/releases', async ({ req, res, repo, caller }) => {
    const draft = req.query.get('draft');
    const pre = req.query.get('pre-release');
    const list = visible(repo, caller).filter(
      r =>
        (draft === null || String(r.draft) === draft) &&
        (pre === null || String(r.prerelease) === pre),
    );
    const { items, headers } = g.paginate(req, list);
    const out = [];
    for (const r of items) out.push(await json(repo, r));
    send(res, 200, out, headers);
  });

  repoRoute('GET', '/releases/latest', async ({ res, repo, caller }) => {
    const latest = visible(repo, caller).find(r => !r.draft && !r.prerelease);
    if (!latest) throw notFound();
    send(res, 200, await json(repo, latest));
  });

  repoRoute(
    'GET',
    '/releases/tags/*tag',
    async ({ req, res, repo, caller }) => {
      const found = visible(repo, caller).find(
        r => r.tagName === req.params.tag,
      );
      if (!found) throw notFound();
      send(res, 200, await json(repo, found));
    },
  );

  const byId = (repo: ForgeRepo, caller: Caller | undefined, id: string) => {
    const found = visible(repo, caller).find(r => r.id === Number(id));
    if (!found) throw notFound();
    return found;
  };

  repoRoute('GET', '/releases/:id', async ({ req, res, repo, caller }) => {
    send(res, 200, await json(repo, byId(repo, caller, req.params.id)));
  });

  const ensureTag = async (repo: ForgeRepo, r: Omit<StoredRelease, 'id'>) => {
    if (r.draft || (await repo.git.refSha(`refs/tags/${r.tagName}`))) return;
    const sha = await repo.git.resolveCommit(r.targetCommitish);
    if (!sha) throw err(404, `target not found: ${r.targetCommitish}`);
    if (!(await repo.git.isValidRefName(`refs/tags/${r.tagName}`)))
      throw err(422, '[TagName]: GitRefName');
    await repo.git.updateRef(`refs/tags/${r.tagName}`, sha, '', 'release');
  };

  repoRoute(
    'POST',
    '/releases',
    async ({ req, res, repo, caller }) => {
      const body = await readJson(req);
      const tagName = g.requireString(body, 'tag_name', 'TagName');
      if (
        activity.list('releases', repo.fullName, r => r.tagName === tagName)
          .length
      )
        throw err(409, `Release is has no Tag [tag_name: ${tagName}]`);
      const draft = body.draft === true;
      const at = forge.stamp();
      const candidate = {
        repo: repo.fullName,
        tagName,
        targetCommitish:
          typeof body.target_commitish === 'string' && body.target_commitish
            ? body.target_commitish
            : repo.defaultBranch,
        name: typeof body.name === 'string' ? body.name : '',
        body: typeof body.body === 'string' ? body.body : '',
        draft,
        prerelease: body.prerelease === true,
        author: caller!.account.login,
        createdAt: at,
        publishedAt: draft ? null : at,
      };
      await ensureTag(repo, candidate);
      send(
        res,
        201,
        await json(repo, await activity.add('releases', candidate)),
      );
    },
    { write: true },
  );

  repoRoute(
    'PATCH',
    '/releases/:id',
    async ({ req, res, repo, caller }) => {
      const current = byId(repo, caller, req.params.id);
      const body = await readJson(req);
      const str = (k: string) =>
        typeof body[k] === 'string' ? (body[k] as string) : undefined;
      const bool = (k: string) =>
        typeof body[k] === 'boolean' ? (body[k] as boolean) : undefined;
      const next: StoredRelease = {
        ...current,
        tagName: str('tag_name') || current.tagName,
        targetCommitish: str('target_commitish') || current.targetCommitish,
        name: str('name') ?? current.name,
        body: str('body') ?? current.body,
        draft: bool('draft') ?? current.draft,
        prerelease: bool('prerelease') ?? current.prerelease,
      };
      if (current.draft && !next.draft) next.publishedAt = forge.stamp();
      await ensureTag(repo, next);
      const saved = await activity.update(
        'releases',
        repo.fullName,
        current.id,
        r => Object.assign(r, next),
      );
      send(res, 200, await json(repo, saved!));
    },
    { write: true },
  );

  repoRoute(
    'DELETE',
    '/releases/:id',
    async ({ req, res, repo, caller }) => {
      const current = byId(repo, caller, req.params.id);
      await activity.remove('releases', repo.fullName, current.id);
      res.writeHead(204).end();
    },
    { write: true },
  );
}
