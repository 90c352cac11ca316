import { Caller, ForgeRepo } from '../ForgeModel';
import { StoredRelease } from '../store/ActivityStore';
import { ActivityShapes } from './activityShapes';
import { githubError, notFound, validationFailed } from './errors';
import { GithubRoutes } from './GithubRoutes';
import { field, paginate, readJson, send } from './http';

/**
 * Releases (docs: rest/releases/releases). Publishing a release whose tag
 * does not exist creates the tag at `target_commitish`, as GitHub does.
 */
export function registerReleases(gh: GithubRoutes, shapes: ActivityShapes) {
  const { forge, model } = gh;
  const { activity } = forge;

  // Drafts are visible to people with push access only.
  const visible = (repo: ForgeRepo, caller: Caller | undefined) =>
    activity
      .list(
        'releases',
        repo.fullName,
        r => !r.draft || caller?.scope === 'write',
      )
      .sort((a, b) => b.id - a.id);

  gh.repoRoute(
    'GET',
    '/releases',
    { docs: 'rest/releases/releases#list-releases' },
    ({ req, res, repo, caller }) => {
      const { items, headers } = paginate(
        req,
        model.baseUrl,
        visible(repo, caller),
      );
      send(
        res,
        200,
        items.map(r => shapes.release(repo, r)),
        headers,
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/releases/latest',
    { docs: 'rest/releases/releases#get-the-latest-release' },
    ({ res, repo, caller }) => {
      const latest = visible(repo, caller).find(r => !r.draft && !r.prerelease);
      if (!latest)
        throw notFound('rest/releases/releases#get-the-latest-release');
      send(res, 200, shapes.release(repo, latest));
    },
  );

  gh.repoRoute(
    'GET',
    '/releases/tags/*tag',
    { docs: 'rest/releases/releases#get-a-release-by-tag-name' },
    ({ req, res, repo, caller }) => {
      const found = visible(repo, caller).find(
        r => !r.draft && r.tagName === req.params.tag,
      );
      if (!found)
        throw notFound('rest/releases/releases#get-a-release-by-tag-name');
      send(res, 200, shapes.release(repo, found));
    },
  );

  const releaseOr404 = (
    repo: ForgeRepo,
    caller: Caller | undefined,
    id: string,
    docs: string,
  ) => {
    const found = visible(repo, caller).find(r => r.id === Number(id));
    if (!found) throw notFound(docs);
    return found;
  };

  gh.repoRoute(
    'GET',
    '/releases/:id',
    { docs: 'rest/releases/releases#get-a-release' },
    ({ req, res, repo, caller }) => {
      send(
        res,
        200,
        shapes.release(
          repo,
          releaseOr404(
            repo,
            caller,
            req.params.id,
            'rest/releases/releases#get-a-release',
          ),
        ),
      );
    },
  );

  /** Creates the tag a published release names, if it is missing. */
  const ensureTag = async (
    repo: ForgeRepo,
    rel: StoredRelease,
    docs: string,
  ) => {
    if (rel.draft || (await repo.git.refSha(`refs/tags/${rel.tagName}`)))
      return;
    const target = await repo.git.resolveCommit(rel.targetCommitish);
    if (!target)
      throw validationFailed(docs, [
        { resource: 'Release', field: 'target_commitish', code: 'invalid' },
      ]);
    if (!(await repo.git.isValidRefName(`refs/tags/${rel.tagName}`)))
      throw validationFailed(docs, [
        { resource: 'Release', field: 'tag_name', code: 'invalid' },
      ]);
    await repo.git.updateRef(`refs/tags/${rel.tagName}`, target, '', 'release');
  };

  gh.repoRoute(
    'POST',
    '/releases',
    { write: true, docs: 'rest/releases/releases#create-a-release' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/releases/releases#create-a-release';
      const body = await readJson(req, docs);
      const tagName = field<string>(body, 'tag_name', 'string', docs, true)!;
      if (
        activity.list('releases', repo.fullName, r => r.tagName === tagName)
          .length
      )
        throw validationFailed(docs, [
          { resource: 'Release', code: 'already_exists', field: 'tag_name' },
        ]);
      const draft = field<boolean>(body, 'draft', 'boolean', docs) ?? false;
      const at = forge.stamp();
      const candidate = {
        repo: repo.fullName,
        tagName,
        targetCommitish:
          field<string>(body, 'target_commitish', 'string', docs) ??
          repo.defaultBranch,
        name: field<string>(body, 'name', 'string', docs) ?? '',
        body: field<string>(body, 'body', 'string', docs) ?? '',
        draft,
        prerelease:
          field<boolean>(body, 'prerelease', 'boolean', docs) ?? false,
        author: caller!.account.login,
        createdAt: at,
        publishedAt: draft ? null : at,
      };
      await ensureTag(repo, { ...candidate, id: 0 }, docs);
      const rel = await activity.add('releases', candidate);
      const json = shapes.release(repo, rel);
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'PATCH',
    '/releases/:id',
    { write: true, docs: 'rest/releases/releases#update-a-release' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/releases/releases#update-a-release';
      const current = releaseOr404(repo, caller, req.params.id, docs);
      const body = await readJson(req, docs);
      const next: StoredRelease = {
        ...current,
        tagName:
          field<string>(body, 'tag_name', 'string', docs) ?? current.tagName,
        targetCommitish:
          field<string>(body, 'target_commitish', 'string', docs) ??
          current.targetCommitish,
        name: field<string>(body, 'name', 'string', docs) ?? current.name,
        body: field<string>(body, 'body', 'string', docs) ?? current.body,
        draft: field<boolean>(body, 'draft', 'boolean', docs) ?? current.draft,
        prerelease:
          field<boolean>(body, 'prerelease', 'boolean', docs) ??
          current.prerelease,
      };
      if (current.draft && !next.draft) next.publishedAt = forge.stamp();
      await ensureTag(repo, next, docs);
      const saved = await activity.update(
        'releases',
        repo.fullName,
        current.id,
        r => Object.assign(r, next),
      );
      send(res, 200, shapes.release(repo, saved!));
    },
  );

  gh.repoRoute(
    'DELETE',
    '/releases/:id',
    { write: true, docs: 'rest/releases/releases#delete-a-release' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/releases/releases#delete-a-release';
      const current = releaseOr404(repo, caller, req.params.id, docs);
      if (!(await activity.remove('releases', repo.fullName, current.id)))
        throw githubError(404, 'Not Found', docs);
      res.writeHead(204).end();
    },
  );
}
