import { ForgeRepo } from '../ForgeModel';
import { Ctx, GiteaRoutes, GITEA_VERSION, send } from './GiteaRoutes';

/**
 * Meta routes, the repository, its branches (list, read, create, delete),
 * contents, raw files and archives.
 */
export function registerRepos(g: GiteaRoutes) {
  const {
    model,
    forge,
    shapes,
    err,
    notFound,
    readJson,
    requireString,
    identify,
    repoRoute,
    stats,
    pageOf,
    contentsOf,
  } = g;

  // --- meta ------------------------------------------------------------------------
  g.router.get(`${g.api}/version`, (_req, res) =>
    send(res, 200, { version: GITEA_VERSION }),
  );

  g.router.get(`${g.api}/user`, async (req, res) => {
    const caller = identify(req);
    if (!caller) throw err(401, 'token is required');
    const created = model.repos[0]
      ? (await stats(model.repos[0])).createdAt
      : new Date(forge.now()).toISOString();
    send(res, 200, shapes.user(caller.account, created));
  });

  // --- repository and branches ---------------------------------------------------------
  repoRoute('GET', '', async ({ res, repo, caller }) => {
    send(res, 200, shapes.repository(repo, caller, await stats(repo)));
  });

  repoRoute('GET', '/branches', async ({ req, res, repo, caller }) => {
    const { limit, page } = pageOf(req);
    const all = await repo.git.refs('refs/heads/');
    const out = [];
    for (const b of all.slice((page - 1) * limit, page * limit)) {
      out.push(
        shapes.branch(
          repo,
          b.ref.slice('refs/heads/'.length),
          (await repo.git.commit(b.sha))!,
          caller,
        ),
      );
    }
    send(res, 200, out, { 'x-total-count': String(all.length) });
  });

  repoRoute('GET', '/branches/*branch', async ({ req, res, repo, caller }) => {
    const name = req.params.branch;
    const sha = await repo.git.branchSha(name);
    if (!sha)
      throw notFound('GetBranch', [`branch does not exist [name: ${name}]`]);
    send(
      res,
      200,
      shapes.branch(repo, name, (await repo.git.commit(sha))!, caller),
    );
  });

  repoRoute(
    'POST',
    '/branches',
    async ({ req, res, repo, caller }) => {
      const body = await readJson(req);
      const name = requireString(body, 'new_branch_name', 'NewBranchName');
      const oldRef =
        typeof body.old_ref_name === 'string' && body.old_ref_name
          ? body.old_ref_name
          : undefined;
      const oldBranch =
        typeof body.old_branch_name === 'string' && body.old_branch_name
          ? body.old_branch_name
          : undefined;
      let from: string | undefined;
      if (oldRef) from = await repo.git.resolveCommit(oldRef);
      else if (oldBranch) from = await repo.git.branchSha(oldBranch);
      else from = await repo.git.branchSha(repo.defaultBranch);
      if (!from) throw err(404, 'The old branch does not exist');
      const ref = `refs/heads/${name}`;
      if (!(await repo.git.isValidRefName(ref)))
        throw err(422, `[NewBranchName]: GitRefName`);
      if (await repo.git.refSha(ref))
        throw err(409, 'The branch already exists.');
      const clash = (await repo.git.refs('refs/heads/')).some(
        r => r.ref.startsWith(`${ref}/`) || ref.startsWith(`${r.ref}/`),
      );
      if (clash)
        throw err(409, 'The branch with a conflicting name already exists.');
      try {
        await repo.git.updateRef(ref, from, '', 'create branch');
      } catch {
        throw err(409, 'The branch already exists.');
      }
      send(
        res,
        201,
        shapes.branch(repo, name, (await repo.git.commit(from))!, caller),
      );
    },
    { write: true },
  );

  // Gitea refuses to delete the default branch (403) and answers 404 for a
  // branch that does not exist (routers/api/v1/repo/branch.go DeleteBranch).
  repoRoute(
    'DELETE',
    '/branches/*branch',
    async ({ req, res, repo }) => {
      const name = req.params.branch;
      if (name === repo.defaultBranch)
        throw err(403, 'can not delete default branch');
      const sha = await repo.git.branchSha(name);
      if (!sha) throw notFound();
      await repo.git
        .updateRef(`refs/heads/${name}`, sha, sha, 'delete branch')
        .catch(() => undefined);
      await repo.git.deleteRef(`refs/heads/${name}`);
      res.writeHead(204).end();
    },
    { write: true },
  );

  // --- contents ------------------------------------------------------------------------
  const refOf = async (repo: ForgeRepo, ref: string) => {
    const isBranch = !!(await repo.git.branchSha(ref));
    const sha = await repo.git.resolveCommit(ref);
    return { sha, isBranch };
  };

  const getContents = async ({ req, res, repo }: Ctx) => {
    const ref = req.query.get('ref') || repo.defaultBranch;
    const filePath = (req.params.filepath ?? '').replace(/^\/+|\/+$/g, '');
    const { sha, isBranch } = await refOf(repo, ref);
    if (!sha)
      throw notFound('GetContentsOrList', [
        `object does not exist [id: ${ref}, rel_path: ]`,
      ]);
    const out = await contentsOf(repo, sha, filePath, ref, isBranch);
    if (!out)
      throw notFound('GetContentsOrList', [
        `object does not exist [id: ${sha}, rel_path: ${filePath}]`,
      ]);
    send(res, 200, out);
  };
  repoRoute('GET', '/contents', getContents);
  repoRoute('GET', '/contents/*filepath', getContents);

  repoRoute('GET', '/raw/*filepath', async ({ req, res, repo }) => {
    const ref = req.query.get('ref') || repo.defaultBranch;
    const { sha } = await refOf(repo, ref);
    const entry = sha
      ? await repo.git.entryAt(sha, req.params.filepath)
      : undefined;
    if (!entry || entry.type !== 'blob')
      throw notFound('GetBlobByPath', [
        `object does not exist [id: ${sha ?? ref}, rel_path: ${
          req.params.filepath
        }]`,
      ]);
    const blob = await repo.git.readBlob(entry.sha);
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': blob.length,
    });
    res.end(blob);
  });

  // repoGetArchive: what Backstage's Gitea URL reader downloads for readTree.
  repoRoute('GET', '/archive/*archive', async ({ req, res, repo }) => {
    const m = /^(.+)\.(tar\.gz|zip)$/.exec(req.params.archive);
    const sha = m ? await repo.git.resolveCommit(m[1]) : undefined;
    if (!m || !sha) throw notFound();
    const prefix = `${repo.name}/`;
    const body =
      m[2] === 'zip'
        ? await repo.git.git([
            'archive',
            '--format=zip',
            `--prefix=${prefix}`,
            sha,
          ])
        : await repo.git.archive(sha, prefix);
    res.writeHead(200, {
      'content-type': m[2] === 'zip' ? 'application/zip' : 'application/gzip',
      'content-length': body.length,
      'content-disposition': `attachment; filename="${repo.name}-${m[1].replace(
        /\//g,
        '-',
      )}.${m[2]}"`,
    });
    res.end(body);
  });
}
