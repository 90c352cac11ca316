import type { ServerResponse } from 'node:http';
import { ForgeRepo } from '../ForgeModel';
import { EMPTY_TREE } from '../git/GitRepository';
import { latestPerContext } from '../github/activityShapes';
import { StatusState } from '../store/ActivityStore';
import { GiteaActivityShapes } from './activityShapes';
import { Ctx, GiteaRoutes, pageHeaders, send } from './GiteaRoutes';

/** `.diff` / `.patch` answers: plain text, as Gitea serves them. */
export function sendPlain(res: ServerResponse, text: string) {
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const STATES: StatusState[] = [
  'pending',
  'success',
  'error',
  'failure',
  'warning',
];

/**
 * Commits (one, a list, a comparison, as diff or patch), references, tags
 * and commit statuses.
 */
export function registerCommits(g: GiteaRoutes, shapes: GiteaActivityShapes) {
  const { forge, err, notFound, readJson, repoRoute, stats, paginate } = g;
  const { activity } = forge;
  const created = async (repo: ForgeRepo) => (await stats(repo)).createdAt;

  repoRoute('GET', '/git/commits/*sha', async ({ req, res, repo }) => {
    const m = /^(.+?)(?:\.(diff|patch))?$/.exec(req.params.sha)!;
    const sha = await repo.git.resolveCommit(m[1]);
    const c = sha ? await repo.git.commit(sha) : undefined;
    if (!c) throw notFound(`object does not exist [id: ${m[1]}, rel_path: ]`);
    const parent = c.parents[0] ?? EMPTY_TREE;
    if (m[2] === 'diff') {
      sendPlain(res, await repo.git.diffPatch(parent, c.sha));
      return;
    }
    if (m[2] === 'patch') {
      sendPlain(
        res,
        (
          await repo.git.git(
            c.parents.length
              ? ['format-patch', '--stdout', '-1', c.sha]
              : ['format-patch', '--stdout', '--root', c.sha],
          )
        ).toString(),
      );
      return;
    }
    const json = shapes.commit(repo, c, await created(repo));
    // repoGetSingleCommit leaves out files and stats unless asked.
    send(res, 200, { ...json, files: null, stats: null });
  });

  // Newest first; `stat` and `files` default to true as in Gitea.
  repoRoute('GET', '/commits', async ({ req, res, repo }) => {
    const ref = req.query.get('sha') || repo.defaultBranch;
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw notFound(`object does not exist [id: ${ref}, rel_path: ]`);
    const { limit, page } = g.pageOf(req);
    const path = req.query.get('path') ?? undefined;
    const all = await repo.git.log(sha, { path });
    const withFiles = req.query.get('files') !== 'false';
    const out = [];
    for (const c of all.slice((page - 1) * limit, page * limit)) {
      const files = withFiles
        ? await repo.git.diffFiles(c.parents[0] ?? EMPTY_TREE, c.sha)
        : undefined;
      out.push(shapes.commit(repo, c, await created(repo), files));
    }
    send(res, 200, out, {
      ...pageHeaders(all.length, limit, page),
      'x-page': String(page),
      'x-perpage': String(limit),
      'x-pagecount': String(Math.ceil(all.length / limit)),
    });
  });

  repoRoute('GET', '/compare/*basehead', async ({ req, res, repo }) => {
    const m = /^(.+?)\.\.\.?(.+)$/.exec(req.params.basehead);
    const base = m ? await repo.git.resolveCommit(m[1]) : undefined;
    const head = m ? await repo.git.resolveCommit(m[2]) : undefined;
    if (!base || !head) throw notFound();
    const mergeBase = (await repo.git.mergeBase(base, head)) ?? base;
    const commits = await repo.git.log(`${mergeBase}..${head}`);
    const out = [];
    for (const c of commits)
      out.push(
        shapes.commit(
          repo,
          c,
          await created(repo),
          await repo.git.diffFiles(c.parents[0] ?? EMPTY_TREE, c.sha),
        ),
      );
    send(res, 200, { total_commits: out.length, commits: out });
  });

  // --- references and tags -------------------------------------------------------------
  const listRefs = async ({ req, res, repo }: Ctx) => {
    const prefix = req.params.ref ? `refs/${req.params.ref}` : 'refs/';
    const refs = (await repo.git.refs('refs/')).filter(r =>
      r.ref.startsWith(prefix),
    );
    if (!refs.length) throw notFound();
    send(
      res,
      200,
      refs.map(r => shapes.reference(repo, r.ref, r.sha, r.type)),
    );
  };
  repoRoute('GET', '/git/refs', listRefs);
  repoRoute('GET', '/git/refs/*ref', listRefs);

  const tagJson = async (repo: ForgeRepo, name: string) => {
    const full = `refs/tags/${name}`;
    const found = (await repo.git.refs(full)).find(r => r.ref === full);
    const commitSha = found && (await repo.git.resolveCommit(found.sha));
    if (!found || !commitSha) return undefined;
    const message =
      found.type === 'tag'
        ? (await repo.git.git(['tag', '-l', '--format=%(contents)', name]))
            .toString()
            .trim()
        : '';
    return shapes.tag(
      repo,
      name,
      found.sha,
      (await repo.git.commit(commitSha))!,
      message,
    );
  };

  repoRoute('GET', '/tags', async ({ req, res, repo }) => {
    const names = (await repo.git.refs('refs/tags/'))
      .map(r => r.ref.slice('refs/tags/'.length))
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    const { items, headers } = paginate(req, names);
    const out = [];
    for (const n of items) out.push(await tagJson(repo, n));
    send(res, 200, out, headers);
  });

  repoRoute('GET', '/tags/*tag', async ({ req, res, repo }) => {
    const json = await tagJson(repo, req.params.tag);
    if (!json) throw notFound();
    send(res, 200, json);
  });

  repoRoute(
    'POST',
    '/tags',
    async ({ req, res, repo, caller }) => {
      const body = await readJson(req);
      const name = g.requireString(body, 'tag_name', 'TagName');
      const target =
        typeof body.target === 'string' && body.target
          ? body.target
          : repo.defaultBranch;
      const sha = await repo.git.resolveCommit(target);
      if (!sha) throw err(404, `target not found: ${target}`);
      if (!(await repo.git.isValidRefName(`refs/tags/${name}`)))
        throw err(422, '[TagName]: GitRefName');
      if (await repo.git.refSha(`refs/tags/${name}`))
        throw err(409, `tag already exists [name: ${name}]`);
      const message = typeof body.message === 'string' ? body.message : '';
      if (message) {
        // An annotated tag object, signed off by the caller.
        const tagObject = (
          await repo.git.git(['mktag'], {
            input: `object ${sha}\ntype commit\ntag ${name}\ntagger ${
              caller!.account.name
            } <${caller!.account.email}> ${Math.floor(
              forge.now() / 1000,
            )} +0000\n\n${message}\n`,
          })
        )
          .toString()
          .trim();
        await repo.git.updateRef(`refs/tags/${name}`, tagObject, '', 'tag');
      } else {
        await repo.git.updateRef(`refs/tags/${name}`, sha, '', 'tag');
      }
      send(res, 201, await tagJson(repo, name));
    },
    { write: true },
  );

  repoRoute(
    'DELETE',
    '/tags/*tag',
    async ({ req, res, repo }) => {
      const ref = `refs/tags/${req.params.tag}`;
      if (!(await repo.git.refSha(ref))) throw notFound();
      if (
        activity.list(
          'releases',
          repo.fullName,
          r => r.tagName === req.params.tag,
        ).length
      )
        throw err(
          409,
          'a tag attached to a release cannot be deleted directly',
        );
      await repo.git.deleteRef(ref);
      res.writeHead(204).end();
    },
    { write: true },
  );

  // --- statuses ----------------------------------------------------------------------
  repoRoute(
    'POST',
    '/statuses/:sha',
    async ({ req, res, repo, caller }) => {
      const body = await readJson(req);
      const state = body.state as StatusState;
      if (!STATES.includes(state))
        throw err(400, `invalid state: ${body.state}`);
      const sha = await repo.git.resolveCommit(req.params.sha);
      if (!sha || sha !== req.params.sha) throw notFound();
      const at = forge.stamp();
      const saved = await activity.add('statuses', {
        repo: repo.fullName,
        sha,
        state,
        context:
          typeof body.context === 'string' && body.context
            ? body.context
            : 'default',
        description:
          typeof body.description === 'string' ? body.description : null,
        targetUrl: typeof body.target_url === 'string' ? body.target_url : null,
        creator: caller!.account.login,
        createdAt: at,
        updatedAt: at,
      });
      send(res, 201, shapes.status(repo, saved, await created(repo)));
    },
    { write: true },
  );

  const statusesOf = async (repo: ForgeRepo, ref: string) => {
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw notFound();
    return {
      sha,
      list: activity
        .list('statuses', repo.fullName, s => s.sha === sha)
        .sort((a, b) => b.id - a.id),
    };
  };

  const listStatuses = async ({ req, res, repo }: Ctx) => {
    const { list } = await statusesOf(repo, req.params.ref);
    const state = req.query.get('state');
    const { items, headers } = paginate(
      req,
      list.filter(s => !state || s.state === state),
    );
    const at = await created(repo);
    send(
      res,
      200,
      items.map(s => shapes.status(repo, s, at)),
      headers,
    );
  };
  repoRoute('GET', '/statuses/:ref', listStatuses);
  repoRoute('GET', '/commits/*ref/statuses', listStatuses);

  repoRoute(
    'GET',
    '/commits/*ref/status',
    async ({ req, res, repo, caller }) => {
      const { sha, list } = await statusesOf(repo, req.params.ref);
      send(
        res,
        200,
        shapes.combinedStatus(
          repo,
          sha,
          latestPerContext(list),
          caller,
          await stats(repo),
        ),
      );
    },
  );
}
