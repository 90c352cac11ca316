import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Router, sendJson, SimRequest } from '../../http/Router';
import { authenticate } from '../auth';
import { ForgeContext, RepoStats } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import { personAt, TreeChange, TreeEditError } from '../git/GitRepository';
import { MergeMethod, PullError } from '../pulls/PullService';
import { StoredPull } from '../pulls/PullStore';
import {
  docsUrl,
  GHES_VERSION,
  githubError,
  notFound,
  validationFailed,
} from './errors';
import { GithubShapes, wrapBase64 } from './shapes';
import { executeGraphql } from './graphql';

type Ctx = {
  req: SimRequest;
  res: ServerResponse;
  caller?: Caller;
  repo: ForgeRepo;
};

type Options = {
  /** Needs push access (the read-only token gets 403). */
  write?: boolean;
  /** Docs page for errors of this endpoint. */
  docs: string;
};

/** Per token, per hour, like github.com's primary rate limit. */
class RateLimits {
  private readonly windows = new Map<string, { reset: number; used: number }>();

  constructor(private readonly now: () => number) {}

  take(key: string, limit: number) {
    const nowS = Math.floor(this.now() / 1000);
    let w = this.windows.get(key);
    if (!w || w.reset <= nowS) {
      w = { reset: nowS + 3600, used: 0 };
      this.windows.set(key, w);
    }
    w.used++;
    return {
      limit,
      used: w.used,
      remaining: Math.max(0, limit - w.used),
      reset: w.reset,
    };
  }

  peek(key: string, limit: number) {
    const nowS = Math.floor(this.now() / 1000);
    const w = this.windows.get(key);
    const used = w && w.reset > nowS ? w.used : 0;
    return {
      limit,
      used,
      remaining: limit - used,
      reset: w?.reset ?? nowS + 3600,
    };
  }
}

/** JSON with GitHub's exact content-type. */
function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, body, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

async function readJson(
  req: SimRequest,
  docs: string,
): Promise<Record<string, unknown>> {
  const text = (await req.body()).toString('utf8');
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error();
    return value;
  } catch {
    throw githubError(400, 'Problems parsing JSON', docs);
  }
}

/** GitHub's wording for a missing or mistyped request field. */
function field<T>(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'boolean' | 'array' | 'object',
  docs: string,
  required = false,
): T | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required)
      throw githubError(
        422,
        `Invalid request.\n\n"${name}" wasn't supplied.`,
        docs,
      );
    return undefined;
  }
  let ok = typeof v === type;
  if (type === 'array') ok = Array.isArray(v);
  if (type === 'object') ok = typeof v === 'object' && !Array.isArray(v);
  if (!ok)
    throw githubError(
      422,
      `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(
        v,
      )} is not a${type === 'array' || type === 'object' ? 'n' : ''} ${type}.`,
      docs,
    );
  return v as T;
}

function pageOf(req: SimRequest) {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.query.get('per_page') ?? 30) || 30),
  );
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  return { perPage, page };
}

function linkHeader(
  req: SimRequest,
  base: string,
  page: number,
  hasNext: boolean,
  last?: number,
): Record<string, string> {
  const links: string[] = [];
  const at = (n: number) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(n));
    return `<${base}${req.pathname}?${q}>`;
  };
  if (page > 1)
    links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (hasNext) {
    links.push(`${at(page + 1)}; rel="next"`);
    if (last) links.push(`${at(last)}; rel="last"`);
  }
  const out: Record<string, string> = {};
  if (links.length) out.link = links.join(', ');
  return out;
}

/** One page of a list, and the Link header GitHub sends with it. */
function paginate<T>(req: SimRequest, base: string, all: T[]) {
  const { perPage, page } = pageOf(req);
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    headers: linkHeader(
      req,
      base,
      page,
      all.length > page * perPage,
      Math.ceil(all.length / perPage),
    ),
  };
}

/**
 * The GitHub REST subset under `/api/v3` (GitHub Enterprise style, so
 * Backstage's `integrations.github[].apiBaseUrl` can point here) and GraphQL
 * at `/api/graphql`. Covers what upstream `publish:github:pull-request` and
 * the GitHub URL reader call; see forge-github-subset.md.
 */
export function registerGithubApi(router: Router, forge: ForgeContext) {
  const { model, pulls } = forge;
  const shapes = new GithubShapes(model);
  const limits = new RateLimits(forge.now);
  const P = '/api/v3';

  const standardHeaders = (res: ServerResponse, caller: Caller | undefined) => {
    const key = caller
      ? `${caller.account.login}:${caller.scope}`
      : 'anonymous';
    const rl = limits.take(key, caller ? 5000 : 60);
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    res.setHeader('x-github-media-type', 'github.v3; format=json');
    res.setHeader('x-github-enterprise-version', GHES_VERSION);
    res.setHeader(
      'x-github-request-id',
      randomBytes(8).toString('hex').toUpperCase(),
    );
    res.setHeader('x-ratelimit-limit', String(rl.limit));
    res.setHeader('x-ratelimit-remaining', String(rl.remaining));
    res.setHeader('x-ratelimit-reset', String(rl.reset));
    res.setHeader('x-ratelimit-used', String(rl.used));
    res.setHeader('x-ratelimit-resource', 'core');
    if (caller?.scope === 'write') {
      // A classic token: the create-pull-request library reads this header to
      // tell a user token from an app token.
      res.setHeader('x-oauth-scopes', 'repo, workflow');
      res.setHeader('x-accepted-oauth-scopes', 'repo');
    }
  };

  /** Authentication as GitHub does it: bad token 401, no token on a private repo 404. */
  const identify = (req: SimRequest, res: ServerResponse) => {
    const auth = authenticate(model, req);
    if (auth.kind === 'invalid') {
      standardHeaders(res, undefined);
      throw githubError(401, 'Bad credentials', 'rest');
    }
    const caller = auth.kind === 'caller' ? auth.caller : undefined;
    standardHeaders(res, caller);
    return caller;
  };

  const repoRoute = (
    method: string,
    path: string,
    options: Options,
    handler: (ctx: Ctx) => Promise<void> | void,
  ) => {
    router.add(method, `${P}/repos/:owner/:repo${path}`, async (req, res) => {
      const caller = identify(req, res);
      const repo = model.repo(req.params.owner, req.params.repo);
      // Private repositories do not exist for anonymous callers.
      if (!repo || !caller || req.params.repo.endsWith('.git'))
        throw notFound(options.docs);
      if (options.write && caller.scope !== 'write')
        throw githubError(
          403,
          'Resource not accessible by personal access token',
          options.docs,
        );
      await handler({ req, res, caller, repo });
    });
  };

  const stats = (repo: ForgeRepo) => forge.repoStats(repo);

  const pullJson = async (ctx: Ctx, pull: StoredPull, known?: RepoStats) =>
    shapes.pullRequest(
      ctx.repo,
      await pulls.view(ctx.repo, pull),
      ctx.caller,
      known ?? (await stats(ctx.repo)),
    );

  const resolveRef = async (repo: ForgeRepo, ref: string | null | undefined) =>
    repo.git.resolveCommit(ref || repo.defaultBranch);

  // --- user and meta -------------------------------------------------------
  router.get(`${P}/user`, async (req, res) => {
    const caller = identify(req, res);
    if (!caller)
      throw githubError(
        401,
        'Requires authentication',
        'rest/users/users#get-the-authenticated-user',
      );
    const first = model.repos[0];
    const created = first
      ? (await stats(first)).createdAt
      : new Date(forge.now()).toISOString();
    send(
      res,
      200,
      shapes.privateUser(caller.account, created.replace(/\.\d{3}Z$/, 'Z')),
    );
  });

  router.get(`${P}/rate_limit`, (req, res) => {
    const auth = authenticate(model, req);
    if (auth.kind === 'invalid')
      throw githubError(401, 'Bad credentials', 'rest');
    const caller = auth.kind === 'caller' ? auth.caller : undefined;
    const key = caller
      ? `${caller.account.login}:${caller.scope}`
      : 'anonymous';
    const core = limits.peek(key, caller ? 5000 : 60);
    const other = {
      limit: caller ? 5000 : 60,
      used: 0,
      remaining: caller ? 5000 : 60,
      reset: core.reset,
    };
    // Checking the rate limit does not count against it.
    send(res, 200, {
      resources: {
        core,
        graphql: other,
        search: { ...other, limit: 30, remaining: 30 },
      },
      rate: core,
    });
  });

  // --- repository ------------------------------------------------------------
  repoRoute(
    'GET',
    '',
    { docs: 'rest/repos/repos#get-a-repository' },
    async ({ res, caller, repo }) => {
      send(res, 200, shapes.fullRepository(repo, caller, await stats(repo)));
    },
  );

  repoRoute(
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

  repoRoute(
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

  repoRoute(
    'GET',
    '/commits',
    { docs: 'rest/commits/commits#list-commits' },
    async ({ req, res, repo }) => {
      const sha = await resolveRef(repo, req.query.get('sha'));
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

  // Combined commit status: the GitHub URL reader's readTree asks it for the
  // commit and the repository's archive_url. No CI here, so no statuses.
  repoRoute(
    'GET',
    '/commits/*ref/status',
    {
      docs: 'rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
    },
    async ({ req, res, repo, caller }) => {
      const sha = await repo.git.resolveCommit(req.params.ref);
      if (!sha)
        throw githubError(
          422,
          `No commit found for SHA: ${req.params.ref}`,
          'rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
        );
      const url = `${shapes.api}/repos/${repo.fullName}`;
      send(res, 200, {
        state: 'pending',
        statuses: [],
        sha,
        total_count: 0,
        repository: shapes.repository(repo, caller, await stats(repo)),
        commit_url: `${url}/commits/${sha}`,
        url: `${url}/commits/${sha}/status`,
      });
    },
  );

  repoRoute(
    'GET',
    '/commits/*ref',
    { docs: 'rest/commits/commits#get-a-commit' },
    async ({ req, res, repo }) => {
      const sha = await repo.git.resolveCommit(req.params.ref);
      if (!sha)
        throw githubError(
          422,
          `No commit found for SHA: ${req.params.ref}`,
          'rest/commits/commits#get-a-commit',
        );
      const c = (await repo.git.commit(sha))!;
      const from = c.parents[0] ?? '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
      const files = (await repo.git.diffFiles(from, c.sha)).map(f =>
        shapes.diffEntry(repo, c.sha, {
          ...f,
          sha: f.status === 'D' ? f.oldSha : f.newSha,
        }),
      );
      send(res, 200, shapes.commit(repo, c, { files }));
    },
  );

  const contents = async ({ req, res, repo }: Ctx) => {
    const docs = 'rest/repos/contents#get-repository-content';
    const ref = req.query.get('ref') || repo.defaultBranch;
    const sha = await repo.git.resolveCommit(ref);
    if (!sha)
      throw githubError(404, `No commit found for the ref ${ref}`, docs);
    const filePath = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const entry = await repo.git.entryAt(sha, filePath);
    if (!entry) throw notFound(docs);
    const accept = String(req.headers.accept ?? '');
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
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': blob.length,
        etag: `"${entry.sha}"`,
      });
      res.end(blob);
      return;
    }
    send(res, 200, shapes.contentFile(repo, entry, filePath, ref, blob), {
      etag: `"${entry.sha}"`,
    });
  };
  repoRoute(
    'GET',
    '/contents',
    { docs: 'rest/repos/contents#get-repository-content' },
    contents,
  );
  repoRoute(
    'GET',
    '/contents/*path',
    { docs: 'rest/repos/contents#get-repository-content' },
    contents,
  );

  repoRoute(
    'GET',
    '/tarball/*ref',
    { docs: 'rest/repos/contents#download-a-repository-archive-tar' },
    async ({ req, res, repo }) => {
      const sha = await repo.git.resolveCommit(req.params.ref);
      if (!sha)
        throw notFound('rest/repos/contents#download-a-repository-archive-tar');
      const prefix = `${repo.owner.login}-${repo.name}-${sha.slice(0, 7)}`;
      const body = await repo.git.archive(sha, `${prefix}/`);
      res.writeHead(200, {
        'content-type': 'application/x-gzip',
        'content-length': body.length,
        'content-disposition': `attachment; filename=${prefix}.tar.gz`,
      });
      res.end(body);
    },
  );

  // --- git database: refs ----------------------------------------------------
  const refJson = async (repo: ForgeRepo, ref: string, sha: string) =>
    shapes.gitRef(repo, ref, sha, (await repo.git.objectType(sha)) ?? 'commit');

  repoRoute(
    'GET',
    '/git/ref/*ref',
    { docs: 'rest/git/refs#get-a-reference' },
    async ({ req, res, repo }) => {
      const full = `refs/${req.params.ref}`;
      const found = (await repo.git.refs(full)).find(r => r.ref === full);
      if (!found) throw notFound('rest/git/refs#get-a-reference');
      send(res, 200, shapes.gitRef(repo, found.ref, found.sha, found.type));
    },
  );

  repoRoute(
    'GET',
    '/git/matching-refs/*ref',
    { docs: 'rest/git/refs#list-matching-references' },
    async ({ req, res, repo }) => {
      const prefix = `refs/${req.params.ref}`;
      const all = (await repo.git.refs('refs/')).filter(r =>
        r.ref.startsWith(prefix),
      );
      send(
        res,
        200,
        all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
      );
    },
  );

  repoRoute(
    'GET',
    '/git/refs',
    { docs: 'rest/git/refs#list-matching-references' },
    async ({ res, repo }) => {
      const all = await repo.git.refs('refs/');
      send(
        res,
        200,
        all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
      );
    },
  );

  repoRoute(
    'GET',
    '/git/refs/*ref',
    { docs: 'rest/git/refs#get-a-reference' },
    async ({ req, res, repo }) => {
      const full = `refs/${req.params.ref}`;
      const all = (await repo.git.refs('refs/')).filter(r =>
        r.ref.startsWith(full),
      );
      const exact = all.find(r => r.ref === full);
      if (exact)
        send(res, 200, shapes.gitRef(repo, exact.ref, exact.sha, exact.type));
      else if (all.length)
        send(
          res,
          200,
          all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
        );
      else throw notFound('rest/git/refs#get-a-reference');
    },
  );

  repoRoute(
    'POST',
    '/git/refs',
    { write: true, docs: 'rest/git/refs#create-a-reference' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/refs#create-a-reference';
      const body = await readJson(req, docs);
      const ref = field<string>(body, 'ref', 'string', docs, true)!;
      const sha = field<string>(body, 'sha', 'string', docs, true)!;
      if (
        !ref.startsWith('refs/') ||
        ref.split('/').length < 3 ||
        !(await repo.git.isValidRefName(ref))
      )
        throw githubError(422, 'Reference update failed', docs);
      const type = await repo.git.objectType(sha);
      if (!type || sha.length !== 40)
        throw githubError(422, 'Object does not exist', docs);
      if (await repo.git.refSha(ref))
        throw githubError(422, 'Reference already exists', docs);
      try {
        await repo.git.updateRef(ref, sha, '', 'create reference');
      } catch {
        throw githubError(422, 'Reference already exists', docs);
      }
      const json = shapes.gitRef(repo, ref, sha, type);
      send(res, 201, json, { location: json.url });
    },
  );

  repoRoute(
    'PATCH',
    '/git/refs/*ref',
    { write: true, docs: 'rest/git/refs#update-a-reference' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/refs#update-a-reference';
      const body = await readJson(req, docs);
      const sha = field<string>(body, 'sha', 'string', docs, true)!;
      const force = field<boolean>(body, 'force', 'boolean', docs) ?? false;
      const ref = `refs/${req.params.ref}`;
      const current = await repo.git.refSha(ref);
      if (!current || !(await repo.git.refs(ref)).some(r => r.ref === ref))
        throw githubError(422, 'Reference does not exist', docs);
      if ((await repo.git.objectType(sha)) !== 'commit' || sha.length !== 40)
        throw githubError(422, 'Object does not exist', docs);
      if (!force && !(await repo.git.isAncestor(current, sha)))
        throw githubError(422, 'Update is not a fast forward', docs);
      try {
        await repo.git.updateRef(
          ref,
          sha,
          current,
          force ? 'forced update' : 'update',
        );
      } catch {
        throw githubError(422, 'Reference cannot be updated', docs);
      }
      send(res, 200, await refJson(repo, ref, sha));
    },
  );

  repoRoute(
    'DELETE',
    '/git/refs/*ref',
    { write: true, docs: 'rest/git/refs#delete-a-reference' },
    async ({ req, res, repo }) => {
      const ref = `refs/${req.params.ref}`;
      if (!(await repo.git.refs(ref)).some(r => r.ref === ref))
        throw githubError(
          422,
          'Reference does not exist',
          'rest/git/refs#delete-a-reference',
        );
      await repo.git.deleteRef(ref);
      res.writeHead(204).end();
    },
  );

  // --- git database: objects -------------------------------------------------
  repoRoute(
    'POST',
    '/git/blobs',
    { write: true, docs: 'rest/git/blobs#create-a-blob' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/blobs#create-a-blob';
      const body = await readJson(req, docs);
      const content = field<string>(body, 'content', 'string', docs, true)!;
      const encoding =
        field<string>(body, 'encoding', 'string', docs) ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64')
        throw githubError(422, `encoding must be one of: utf-8, base64`, docs);
      const sha = await repo.git.writeBlob(
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      );
      const url = `${shapes.api}/repos/${repo.fullName}/git/blobs/${sha}`;
      send(res, 201, { sha, url }, { location: url });
    },
  );

  repoRoute(
    'GET',
    '/git/blobs/:sha',
    { docs: 'rest/git/blobs#get-a-blob' },
    async ({ req, res, repo }) => {
      const sha = req.params.sha;
      if ((await repo.git.objectType(sha)) !== 'blob')
        throw notFound('rest/git/blobs#get-a-blob');
      const content = await repo.git.readBlob(sha);
      send(res, 200, {
        sha,
        node_id: Buffer.from(`04:Blob${repo.id}:${sha}`).toString('base64'),
        size: content.length,
        url: `${shapes.api}/repos/${repo.fullName}/git/blobs/${sha}`,
        content: wrapBase64(content),
        encoding: 'base64',
      });
    },
  );

  repoRoute(
    'POST',
    '/git/trees',
    { write: true, docs: 'rest/git/trees#create-a-tree' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/trees#create-a-tree';
      const body = await readJson(req, docs);
      const tree = field<Record<string, unknown>[]>(
        body,
        'tree',
        'array',
        docs,
        true,
      )!;
      const baseTree = field<string>(body, 'base_tree', 'string', docs);
      if (baseTree && (await repo.git.objectType(baseTree)) !== 'tree')
        throw githubError(422, 'GitRPC::BadObjectState', docs);
      const changes: TreeChange[] = [];
      for (const item of tree) {
        const itemPath = typeof item.path === 'string' ? item.path : '';
        const mode = typeof item.mode === 'string' ? item.mode : '';
        const type =
          typeof item.type === 'string'
            ? (item.type as TreeChange['type'])
            : undefined;
        const hasContent = typeof item.content === 'string';
        if (hasContent && item.sha !== undefined && item.sha !== null)
          throw githubError(
            422,
            'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
            docs,
          );
        let sha: string | null;
        if (hasContent)
          sha = await repo.git.writeBlob(
            Buffer.from(item.content as string, 'utf8'),
          );
        else if (item.sha === null) sha = null;
        else if (typeof item.sha === 'string') sha = item.sha;
        else
          throw githubError(
            422,
            'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
            docs,
          );
        changes.push({ path: itemPath, mode, type, sha });
      }
      let sha: string;
      try {
        sha = await repo.git.editTree(baseTree, changes);
      } catch (error) {
        if (error instanceof TreeEditError) {
          if (error.reason === 'bad-path')
            throw githubError(
              422,
              'tree.path contains a malformed path component',
              docs,
            );
          if (error.reason === 'bad-mode')
            throw githubError(
              422,
              `tree.mode must be one of 100644, 100755, 040000, 160000, 120000 (path ${error.path})`,
              docs,
            );
          throw githubError(422, 'GitRPC::BadObjectState', docs);
        }
        throw error;
      }
      const json = shapes.gitTree(repo, sha, await repo.git.lsTree(sha));
      send(res, 201, json, { location: json.url });
    },
  );

  repoRoute(
    'GET',
    '/git/trees/*sha',
    { docs: 'rest/git/trees#get-a-tree' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/trees#get-a-tree';
      const given = req.params.sha;
      let sha: string | undefined;
      if ((await repo.git.objectType(given)) === 'tree')
        sha = (await repo.git.git(['rev-parse', given])).toString().trim();
      else {
        const commit = await repo.git.resolveCommit(given);
        sha = commit ? (await repo.git.commit(commit))?.tree : undefined;
      }
      if (!sha) throw notFound(docs);
      const recursive = !!req.query.get('recursive');
      send(
        res,
        200,
        shapes.gitTree(repo, sha, await repo.git.lsTree(sha, { recursive })),
      );
    },
  );

  repoRoute(
    'POST',
    '/git/commits',
    { write: true, docs: 'rest/git/commits#create-a-commit' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/git/commits#create-a-commit';
      const body = await readJson(req, docs);
      const message = field<string>(body, 'message', 'string', docs, true)!;
      const tree = field<string>(body, 'tree', 'string', docs, true)!;
      const parents = field<unknown[]>(body, 'parents', 'array', docs) ?? [];
      const author = field<Record<string, string>>(
        body,
        'author',
        'object',
        docs,
      );
      const committer = field<Record<string, string>>(
        body,
        'committer',
        'object',
        docs,
      );
      if ((await repo.git.objectType(tree)) !== 'tree' || tree.length !== 40)
        throw githubError(422, 'Tree SHA does not exist', docs);
      for (const p of parents) {
        if (
          typeof p !== 'string' ||
          p.length !== 40 ||
          (await repo.git.objectType(p)) !== 'commit'
        )
          throw githubError(
            422,
            'Parent SHA does not exist or is not a commit object',
            docs,
          );
      }
      const now = forge.now();
      const person = (
        given: Record<string, string> | undefined,
        fallback?: ReturnType<typeof personAt>,
      ) => {
        if (!given)
          return (
            fallback ??
            personAt(
              caller!.account.name,
              caller!.account.email,
              undefined,
              now,
            )
          );
        if (typeof given.name !== 'string' || typeof given.email !== 'string')
          throw githubError(
            422,
            'Invalid request.\n\n"name", "email" weren\'t supplied.',
            docs,
          );
        try {
          return personAt(given.name, given.email, given.date, now);
        } catch {
          throw githubError(
            422,
            `Invalid request.\n\n${JSON.stringify(
              given.date,
            )} is not a valid date-time.`,
            docs,
          );
        }
      };
      const a = person(author);
      const c = person(committer, author ? a : undefined);
      const sha = await repo.git.commitTree({
        tree,
        parents: parents as string[],
        // GitHub stores the message as given; git adds the final newline.
        message: message.endsWith('\n') ? message : `${message}\n`,
        author: a,
        committer: c,
      });
      const json = shapes.gitCommit(repo, (await repo.git.commit(sha))!);
      send(res, 201, json, { location: json.url });
    },
  );

  repoRoute(
    'GET',
    '/git/commits/:sha',
    { docs: 'rest/git/commits#get-a-commit-object' },
    async ({ req, res, repo }) => {
      const c = await repo.git.commit(req.params.sha);
      if (!c || req.params.sha.length !== 40)
        throw notFound('rest/git/commits#get-a-commit-object');
      send(res, 200, shapes.gitCommit(repo, c));
    },
  );

  // --- pull requests -----------------------------------------------------------
  const pullOr404 = (repo: ForgeRepo, n: string, docs: string) => {
    const pull = /^\d+$/.test(n) ? pulls.get(repo, Number(n)) : undefined;
    if (!pull) throw notFound(docs);
    return pull;
  };

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

  repoRoute(
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
      const known = await stats(repo);
      for (const p of items) out.push(await pullJson(ctx, p, known));
      send(res, 200, out, headers);
    },
  );

  repoRoute(
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
      const json = await pullJson(ctx, pull);
      send(res, 201, json, { location: json.url });
    },
  );

  repoRoute(
    'GET',
    '/pulls/:number',
    { docs: 'rest/pulls/pulls#get-a-pull-request' },
    async ctx => {
      send(
        ctx.res,
        200,
        await pullJson(
          ctx,
          pullOr404(
            ctx.repo,
            ctx.req.params.number,
            'rest/pulls/pulls#get-a-pull-request',
          ),
        ),
      );
    },
  );

  repoRoute(
    'PATCH',
    '/pulls/:number',
    { write: true, docs: 'rest/pulls/pulls#update-a-pull-request' },
    async ctx => {
      const { req, res, repo } = ctx;
      const docs = 'rest/pulls/pulls#update-a-pull-request';
      const pull = pullOr404(repo, req.params.number, docs);
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
        send(res, 200, await pullJson(ctx, updated));
      } catch (error) {
        throw pullErrors(error, repo, docs, pull.head);
      }
    },
  );

  repoRoute(
    'GET',
    '/pulls/:number/files',
    { docs: 'rest/pulls/pulls#list-pull-requests-files' },
    async ({ req, res, repo }) => {
      const pull = pullOr404(
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

  repoRoute(
    'GET',
    '/pulls/:number/merge',
    { docs: 'rest/pulls/pulls#check-if-a-pull-request-has-been-merged' },
    ({ req, res, repo }) => {
      const pull = pullOr404(
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

  repoRoute(
    'PUT',
    '/pulls/:number/merge',
    { write: true, docs: 'rest/pulls/pulls#merge-a-pull-request' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/pulls/pulls#merge-a-pull-request';
      const pull = pullOr404(repo, req.params.number, docs);
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

  repoRoute(
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
      const pull = pullOr404(repo, req.params.number, docs);
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
      send(res, 201, await pullJson(ctx, updated));
    },
  );

  repoRoute(
    'POST',
    '/issues/:number/assignees',
    { write: true, docs: 'rest/issues/assignees#add-assignees-to-an-issue' },
    async ({ req, res, repo }) => {
      const docs = 'rest/issues/assignees#add-assignees-to-an-issue';
      const pull = pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      // GitHub silently ignores logins that cannot be assigned.
      const valid = (field<string[]>(body, 'assignees', 'array', docs) ?? [])
        .map(a => model.account(String(a)))
        .filter(a => a?.type === 'User')
        .map(a => a!.login);
      const updated = await pulls.addPeople(
        repo,
        pull.number,
        'assignees',
        valid.slice(0, 10),
      );
      send(res, 201, shapes.issue(repo, await pulls.view(repo, updated)));
    },
  );

  repoRoute(
    'POST',
    '/issues/:number/labels',
    { write: true, docs: 'rest/issues/labels#add-labels-to-an-issue' },
    async ({ req, res, repo }) => {
      const docs = 'rest/issues/labels#add-labels-to-an-issue';
      const pull = pullOr404(repo, req.params.number, docs);
      const body = await readJson(req, docs);
      const labels = (
        field<unknown[]>(body, 'labels', 'array', docs) ?? []
      ).map(l =>
        typeof l === 'object' && l !== null
          ? String((l as { name?: unknown }).name)
          : String(l),
      );
      const updated = await pulls.addPeople(
        repo,
        pull.number,
        'labels',
        labels,
      );
      send(
        res,
        200,
        updated.labels.map(l => shapes.label(repo, l)),
      );
    },
  );

  // --- GraphQL -----------------------------------------------------------------
  router.post('/api/graphql', async (req, res) => {
    const auth = authenticate(model, req);
    if (auth.kind !== 'caller') {
      // GraphQL has no anonymous access at all.
      send(res, 401, {
        message:
          auth.kind === 'invalid'
            ? 'Bad credentials'
            : 'This endpoint requires you to be authenticated.',
        documentation_url: docsUrl(
          'graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
        ),
        status: '401',
      });
      return;
    }
    standardHeaders(res, auth.caller);
    let payload: {
      query?: unknown;
      variables?: unknown;
      operationName?: unknown;
    };
    try {
      payload = JSON.parse((await req.body()).toString('utf8'));
    } catch {
      send(res, 400, {
        message: 'Problems parsing JSON',
        documentation_url: docsUrl('graphql'),
        status: '400',
      });
      return;
    }
    if (typeof payload?.query !== 'string') {
      send(res, 200, {
        errors: [
          {
            message:
              'A query attribute must be specified and must be a string.',
          },
        ],
      });
      return;
    }
    send(
      res,
      200,
      await executeGraphql(
        forge,
        auth.caller,
        payload.query,
        payload.variables as Record<string, unknown> | undefined,
        payload.operationName as string | undefined,
      ),
    );
  });

  // Anything else under the API answers like GitHub does for unknown routes.
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    router.add(m, `${P}/*rest`, (req, res) => {
      const auth = authenticate(model, req);
      if (auth.kind === 'invalid')
        throw githubError(401, 'Bad credentials', 'rest');
      standardHeaders(res, auth.kind === 'caller' ? auth.caller : undefined);
      throw notFound('rest');
    });
  }
}
