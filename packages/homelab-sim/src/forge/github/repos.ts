import type { ServerResponse } from 'node:http';
import { ForgeRepo } from '../ForgeModel';
import { EMPTY_TREE, GitCommit } from '../git/GitRepository';
import { ActivityShapes } from './activityShapes';
import { githubError, notFound } from './errors';
import { GithubRoutes, RepoCtx } from './GithubRoutes';
import {
  linkHeader,
  mediaType,
  pageOf,
  paginate,
  send,
  sendBody,
} from './http';

/** A diff or patch answer (`Accept: application/vnd.github.diff|patch`). */
export function sendText(res: ServerResponse, kind: string, text: string) {
  res.setHeader('x-github-media-type', `github.v3; param=${kind}`);
  sendBody(res, 200, text, { 'content-type': 'text/plain; charset=utf-8' });
}

/** The unified diff or the mbox of patches between two commits, as asked by `Accept`. */
export async function sendDiffOrPatch(
  res: ServerResponse,
  repo: ForgeRepo,
  kind: string,
  from: string,
  to: string,
) {
  sendText(
    res,
    kind,
    kind === 'patch'
      ? await repo.git.formatPatch(from, to)
      : await repo.git.diffPatch(from, to),
  );
}

/**
 * The repository, its branches, commits, comparisons, contents, archives
 * and tags.
 */
export function registerRepos(gh: GithubRoutes, activity: ActivityShapes) {
  const { model, shapes } = gh;

  gh.repoRoute(
    'GET',
    '',
    { docs: 'rest/repos/repos#get-a-repository' },
    async ({ res, caller, repo }) => {
      send(res, 200, shapes.fullRepository(repo, caller, await gh.stats(repo)));
    },
  );

  gh.repoRoute(
    'GET',
    '/branches',
    { docs: 'rest/branches/branches#list-branches' },
    async ({ req, res, repo }) => {
      const { items, headers } = paginate(
        req,
        model.baseUrl,
        await repo.git.refs('refs/heads/'),
      );
      send(
        res,
        200,
        items.map(b => ({
          name: b.ref.slice('refs/heads/'.length),
          commit: {
            sha: b.sha,
            url: `${shapes.api}/repos/${repo.fullName}/commits/${b.sha}`,
          },
          protected: false,
        })),
        headers,
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/branches/*branch',
    { docs: 'rest/branches/branches#get-a-branch' },
    async ({ req, res, repo }) => {
      const name = req.params.branch;
      const sha = await repo.git.branchSha(name);
      if (!sha)
        throw githubError(
          404,
          'Branch not found',
          'rest/branches/branches#get-a-branch',
        );
      const commit = (await repo.git.commit(sha))!;
      const url = `${shapes.api}/repos/${repo.fullName}/branches/${name}`;
      send(res, 200, {
        name,
        commit: shapes.commit(repo, commit),
        _links: {
          self: url,
          html: `${model.baseUrl}/${repo.fullName}/tree/${name}`,
        },
        protected: false,
        protection: {
          enabled: false,
          required_status_checks: {
            enforcement_level: 'off',
            contexts: [],
            checks: [],
          },
        },
        protection_url: `${url}/protection`,
      });
    },
  );

  gh.repoRoute(
    'GET',
    '/commits',
    { docs: 'rest/commits/commits#list-commits' },
    async ({ req, res, repo }) => {
      const sha = await gh.resolveRef(repo, req.query.get('sha'));
      if (!sha) throw notFound('rest/commits/commits#list-commits');
      const { perPage, page } = pageOf(req);
      const commits = await repo.git.log(sha, {
        max: perPage + 1,
        skip: (page - 1) * perPage,
        path: req.query.get('path') ?? undefined,
      });
      send(
        res,
        200,
        commits.slice(0, perPage).map(c => shapes.commit(repo, c)),
        linkHeader(req, model.baseUrl, page, commits.length > perPage),
      );
    },
  );

  const filesBetween = async (repo: ForgeRepo, from: string, to: string) =>
    (await repo.git.diffFiles(from, to)).map(f =>
      shapes.diffEntry(repo, to, {
        ...f,
        sha: f.status === 'D' ? f.oldSha : f.newSha,
      }),
    );

  gh.repoRoute(
    'GET',
    '/commits/*ref',
    { docs: 'rest/commits/commits#get-a-commit' },
    async ({ req, res, repo }) => {
      const docs = 'rest/commits/commits#get-a-commit';
      const sha = await gh.commitOr422(repo, req.params.ref, docs);
      const c = (await repo.git.commit(sha))!;
      const parent = c.parents[0] ?? EMPTY_TREE;
      const kind = mediaType(req);
      if (kind === 'sha') {
        sendText(res, kind, c.sha);
        return;
      }
      if (kind === 'diff' || kind === 'patch') {
        if (kind === 'patch' && !c.parents.length)
          sendText(
            res,
            kind,
            await repo.git
              .git(['format-patch', '--stdout', '--root', c.sha])
              .then(b => b.toString()),
          );
        else await sendDiffOrPatch(res, repo, kind, parent, c.sha);
        return;
      }
      send(
        res,
        200,
        shapes.commit(repo, c, {
          files: await filesBetween(repo, parent, c.sha),
        }),
      );
    },
  );

  // `base...head` (three dots: from their merge base), as GitHub compares.
  gh.repoRoute(
    'GET',
    '/compare/*basehead',
    { docs: 'rest/commits/commits#compare-two-commits' },
    async ({ req, res, repo }) => {
      const docs = 'rest/commits/commits#compare-two-commits';
      const spec = req.params.basehead;
      const m = /^(.+?)\.\.\.?(.+)$/.exec(spec);
      if (!m) throw notFound(docs);
      const side = (s: string) => gh.pulls.headBranch(repo, s) ?? s;
      const base = await repo.git.resolveCommit(side(m[1]));
      const head = await repo.git.resolveCommit(side(m[2]));
      if (!base || !head) throw notFound(docs);
      const mergeBase = await repo.git.mergeBase(base, head);
      if (!mergeBase)
        throw githubError(
          404,
          `No common ancestor between ${m[1]} and ${m[2]}.`,
          docs,
        );
      const kind = mediaType(req);
      if (kind === 'diff' || kind === 'patch') {
        await sendDiffOrPatch(res, repo, kind, mergeBase, head);
        return;
      }
      const { perPage, page } = pageOf(req);
      const aheadBy = await repo.git.countBetween(mergeBase, head);
      const commits: GitCommit[] = await repo.git.log(`${mergeBase}..${head}`, {
        max: Math.min(250, perPage * page),
      });
      send(
        res,
        200,
        activity.comparison(repo, spec, {
          base: shapes.commit(repo, (await repo.git.commit(base))!),
          mergeBase: shapes.commit(repo, (await repo.git.commit(mergeBase))!),
          aheadBy,
          behindBy: await repo.git.countBetween(mergeBase, base),
          commits,
          files: await filesBetween(repo, mergeBase, head),
        }),
      );
    },
  );

  const contents = async ({ req, res, repo }: RepoCtx) => {
    const docs = 'rest/repos/contents#get-repository-content';
    const ref = req.query.get('ref') || repo.defaultBranch;
    const sha = await repo.git.resolveCommit(ref);
    if (!sha)
      throw githubError(404, `No commit found for the ref ${ref}`, docs);
    const filePath = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const entry = await repo.git.entryAt(sha, filePath);
    if (!entry) throw notFound(docs);
    if (entry.type === 'tree') {
      send(
        res,
        200,
        shapes.contentDirectory(
          repo,
          filePath,
          ref,
          await repo.git.lsTree(entry.sha),
        ),
      );
      return;
    }
    const blob =
      entry.type === 'blob'
        ? await repo.git.readBlob(entry.sha)
        : Buffer.alloc(0);
    if (mediaType(req) === 'raw') {
      res.setHeader('x-github-media-type', 'github.v3; param=raw');
      sendBody(res, 200, blob, { 'content-type': 'text/plain; charset=utf-8' });
      return;
    }
    send(res, 200, shapes.contentFile(repo, entry, filePath, ref, blob));
  };
  for (const p of ['/contents', '/contents/*path'])
    gh.repoRoute(
      'GET',
      p,
      { docs: 'rest/repos/contents#get-repository-content' },
      contents,
    );

  for (const format of ['tarball', 'zipball'] as const)
    gh.repoRoute(
      'GET',
      `/${format}/*ref`,
      {
        docs: `rest/repos/contents#download-a-repository-archive-${
          format === 'tarball' ? 'tar' : 'zip'
        }`,
      },
      async ({ req, res, repo }) => {
        const sha = await repo.git.resolveCommit(req.params.ref);
        if (!sha) throw notFound('rest/repos/contents');
        const prefix = `${repo.owner.login}-${repo.name}-${sha.slice(0, 7)}`;
        const body =
          format === 'tarball'
            ? await repo.git.archive(sha, `${prefix}/`)
            : await repo.git.git([
                'archive',
                '--format=zip',
                `--prefix=${prefix}/`,
                sha,
              ]);
        res.writeHead(200, {
          'content-type':
            format === 'tarball' ? 'application/x-gzip' : 'application/zip',
          'content-length': body.length,
          'content-disposition': `attachment; filename=${prefix}.${
            format === 'tarball' ? 'tar.gz' : 'zip'
          }`,
        });
        res.end(body);
      },
    );

  // Newest tag first by name, like GitHub's reverse version sort.
  gh.repoRoute(
    'GET',
    '/tags',
    { docs: 'rest/repos/repos#list-repository-tags' },
    async ({ req, res, repo }) => {
      const tags = await repo.git.refs('refs/tags/');
      const out = [];
      for (const t of tags) {
        const sha = await repo.git.resolveCommit(t.sha);
        if (sha) out.push(activity.tag(repo, t.ref.slice(10), sha));
      }
      out.sort((a, b) => b.name.localeCompare(a.name, 'en', { numeric: true }));
      const { items, headers } = paginate(req, model.baseUrl, out);
      send(res, 200, items, headers);
    },
  );
}
