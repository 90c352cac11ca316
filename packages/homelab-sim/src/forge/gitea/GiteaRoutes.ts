import { toError } from '@backstage/errors';
import type { ServerResponse } from 'node:http';
import { Router, sendJson, SimRequest } from '../../http/Router';
import { authenticate } from '../auth';
import { ForgeContext, RepoStats } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import { StoredPull } from '../pulls/PullStore';
import { giteaError, giteaNotFound } from './errors';
import { GiteaShapes } from './shapes';

export const GITEA_VERSION = '1.22.0';

export type Ctx = {
  req: SimRequest;
  res: ServerResponse;
  caller?: Caller;
  repo: ForgeRepo;
};

/** JSON with Gitea's exact content-type. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, body, {
    'content-type': 'application/json;charset=utf-8',
    ...headers,
  });
}

/** A page of a list and Gitea's paging headers (`X-Total-Count`, `X-HasMore`). */
export function pageHeaders(total: number, limit: number, page: number) {
  return {
    'x-total-count': String(total),
    'x-hasmore': String(page * limit < total),
  };
}

/**
 * What every Gitea route shares: the caller (token in a header or, as
 * 1.22 still allows, `?token=`), Gitea's error bodies, the repository
 * lookup that hides private repositories from anonymous callers, paging.
 * Members are arrow functions so route files can destructure them.
 */
export class GiteaRoutes {
  readonly shapes: GiteaShapes;
  readonly api = '/api/v1';

  constructor(readonly router: Router, readonly forge: ForgeContext) {
    this.shapes = new GiteaShapes(forge.model);
  }

  get model() {
    return this.forge.model;
  }

  get pulls() {
    return this.forge.pulls;
  }

  private swagger = () => `${this.model.baseUrl}/api/swagger`;

  err = (status: number, message: string) =>
    giteaError(status, message, this.swagger());

  notFound = (message?: string, errors?: string[] | null) =>
    giteaNotFound(this.swagger(), message, errors);

  readJson = async (req: SimRequest): Promise<Record<string, unknown>> => {
    const text = (await req.body()).toString('utf8');
    if (!text.trim()) return {};
    try {
      const v = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new Error('not an object');
      return v;
    } catch (e) {
      throw this.err(422, `[]: ${toError(e).message}`);
    }
  };

  /** Gitea's binding errors: `[Field]: Required`. */
  requireString = (
    body: Record<string, unknown>,
    key: string,
    label: string,
  ): string => {
    const v = body[key];
    if (typeof v !== 'string' || !v)
      throw this.err(422, `[${label}]: Required`);
    return v;
  };

  identify = (req: SimRequest): Caller | undefined => {
    // Deprecated (removed in 1.23) but still served by 1.22: ?token= / ?access_token=.
    const queryToken = req.query.get('token') ?? req.query.get('access_token');
    if (queryToken && !req.headers.authorization) {
      const caller = this.model.callerFor(queryToken);
      if (!caller) throw this.err(401, 'invalid username, password or token');
      return caller;
    }
    const auth = authenticate(this.model, req);
    if (auth.kind === 'invalid')
      throw this.err(401, 'invalid username, password or token');
    return auth.kind === 'caller' ? auth.caller : undefined;
  };

  private requireWrite = (caller: Caller) => {
    if (caller.scope !== 'write')
      throw this.err(
        403,
        'token does not have at least one of required scope(s): [write:repository]',
      );
  };

  repoRoute = (
    method: string,
    path: string,
    handler: (ctx: Ctx) => Promise<void> | void,
    options: { write?: boolean } = {},
  ) => {
    this.router.add(
      method,
      `${this.api}/repos/:owner/:repo${path}`,
      async (req, res) => {
        const caller = this.identify(req);
        const repo = this.model.repo(req.params.owner, req.params.repo);
        // A private repository is invisible without a token.
        if (!repo || !caller) throw this.notFound();
        if (options.write) this.requireWrite(caller);
        await handler({ req, res, caller, repo });
      },
    );
  };

  stats = (repo: ForgeRepo): Promise<RepoStats> => this.forge.repoStats(repo);

  pullJson = async (ctx: Ctx, p: StoredPull, known?: RepoStats) =>
    this.shapes.pullRequest(
      ctx.repo,
      await this.pulls.view(ctx.repo, p),
      ctx.caller,
      known ?? (await this.stats(ctx.repo)),
    );

  pageOf = (req: SimRequest) => {
    const limit = Math.min(
      50,
      Math.max(1, Number(req.query.get('limit') ?? 30) || 30),
    );
    const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
    return { limit, page };
  };

  /** One page of `all` with Gitea's paging headers. */
  paginate = <T>(req: SimRequest, all: T[]) => {
    const { limit, page } = this.pageOf(req);
    return {
      items: all.slice((page - 1) * limit, page * limit),
      headers: pageHeaders(all.length, limit, page),
    };
  };

  pullByIndex = (repo: ForgeRepo, index: string) => {
    const p = /^\d+$/.test(index)
      ? this.pulls.get(repo, Number(index))
      : undefined;
    if (!p) throw this.notFound();
    return p;
  };

  private lastCommitFor = async (
    repo: ForgeRepo,
    commit: string,
    filePath: string,
  ) =>
    (await repo.git.log(commit, { max: 1, path: filePath || undefined }))[0]
      ?.sha ?? commit;

  /** A file or directory as repoGetContents answers it; undefined when the path does not exist. */
  contentsOf = async (
    repo: ForgeRepo,
    commit: string,
    filePath: string,
    ref: string,
    isBranch: boolean,
  ) => {
    const entry = await repo.git.entryAt(commit, filePath);
    if (!entry) return undefined;
    const last = await this.lastCommitFor(repo, commit, filePath);
    if (entry.type === 'tree') {
      const children = await repo.git.lsTree(entry.sha);
      const out = [];
      for (const child of children) {
        const p = filePath ? `${filePath}/${child.path}` : child.path;
        out.push(
          this.shapes.contents(
            repo,
            child,
            p,
            ref,
            isBranch,
            await this.lastCommitFor(repo, commit, p),
          ),
        );
      }
      return out;
    }
    const content =
      entry.type === 'blob' ? await repo.git.readBlob(entry.sha) : undefined;
    return this.shapes.contents(
      repo,
      entry,
      filePath,
      ref,
      isBranch,
      last,
      content,
    );
  };
}
