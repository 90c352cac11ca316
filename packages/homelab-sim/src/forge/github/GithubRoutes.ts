import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { HttpError, Router, SimRequest } from '../../http/Router';
import { authenticate } from '../auth';
import { ForgeContext, RepoStats } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import { StoredPull } from '../pulls/PullStore';
import { docsUrl, GHES_VERSION, githubError, notFound } from './errors';
import { onNotModified } from './http';
import { RateLimits, rateLimitHeaders } from './rateLimits';
import { GithubShapes } from './shapes';

export type RepoCtx = {
  req: SimRequest;
  res: ServerResponse;
  caller?: Caller;
  repo: ForgeRepo;
};

export type RouteOptions = {
  /** Needs push access (the read-only token gets 403). */
  write?: boolean;
  /** Docs page for errors of this endpoint. */
  docs: string;
};

const RATE_DOCS = 'rest/using-the-rest-api/rate-limits-for-the-rest-api';
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * What every GitHub route shares: who is calling, GitHub's response headers,
 * the rate limits (enforced), and the repository lookup that hides private
 * repositories from anonymous callers.
 */
export class GithubRoutes {
  readonly shapes: GithubShapes;
  readonly limits: RateLimits;
  readonly api = '/api/v3';

  constructor(readonly router: Router, readonly forge: ForgeContext) {
    this.shapes = new GithubShapes(forge.model);
    this.limits = new RateLimits(
      forge.model.scenario.forge.rateLimits,
      forge.now,
    );
  }

  get model() {
    return this.forge.model;
  }

  get pulls() {
    return this.forge.pulls;
  }

  /** GitHub's headers on every answer, and the rate limit of `resource` counted and enforced. */
  meter(
    req: SimRequest,
    res: ServerResponse,
    caller: Caller | undefined,
    resource: 'core' | 'graphql' = 'core',
  ) {
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    res.setHeader('x-github-media-type', 'github.v3; format=json');
    res.setHeader('x-github-enterprise-version', GHES_VERSION);
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-github-request-id', requestId);
    if (caller?.scope === 'write') {
      // A classic token: the create-pull-request library reads this header to
      // tell a user token from an app token.
      res.setHeader('x-oauth-scopes', 'gist, read:org, repo, workflow');
      res.setHeader('x-accepted-oauth-scopes', 'repo');
    }
    const taken = this.limits.take(caller, resource);
    for (const [k, v] of Object.entries(rateLimitHeaders(taken.window)))
      res.setHeader(k, v);
    if (taken.exceeded) {
      const who = caller
        ? `user ID ${caller.account.id}.`
        : `${
            req.socket.remoteAddress ?? '127.0.0.1'
          }. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
      throw githubError(
        403,
        `API rate limit exceeded for ${who}`,
        `${RATE_DOCS}#about-primary-rate-limits`,
      );
    }
    if (taken.refund) {
      const refund = taken.refund;
      onNotModified(res, () => {
        refund();
        res.setHeader(
          'x-ratelimit-remaining',
          String(taken.window.remaining + 1),
        );
        res.setHeader('x-ratelimit-used', String(taken.window.used - 1));
      });
    }
    if (resource === 'core' && WRITES.has(String(req.method))) {
      const wait = this.limits.takeContent(caller);
      if (wait > 0) {
        res.setHeader('retry-after', String(wait));
        throw githubError(
          429,
          `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          `${RATE_DOCS}#about-secondary-rate-limits`,
        );
      }
    }
  }

  /** Authentication as GitHub does it: a bad token is 401 whatever the route. */
  identify(
    req: SimRequest,
    res: ServerResponse,
    resource: 'core' | 'graphql' = 'core',
  ): Caller | undefined {
    const auth = authenticate(this.model, req);
    if (auth.kind === 'invalid') {
      throw githubError(401, 'Bad credentials', 'rest');
    }
    const caller = auth.kind === 'caller' ? auth.caller : undefined;
    this.meter(req, res, caller, resource);
    return caller;
  }

  /** A route outside a repository; `signedIn` refuses anonymous callers with 401. */
  route(
    method: string,
    path: string,
    options: RouteOptions & { signedIn?: boolean },
    handler: (ctx: Omit<RepoCtx, 'repo'>) => Promise<void> | void,
  ) {
    this.router.add(method, `${this.api}${path}`, async (req, res) => {
      const caller = this.identify(req, res);
      if (options.signedIn && !caller)
        throw githubError(401, 'Requires authentication', options.docs);
      this.refuseReadToken(caller, options);
      await handler({ req, res, caller });
    });
  }

  private refuseReadToken(caller: Caller | undefined, options: RouteOptions) {
    if (options.write && caller?.scope !== 'write')
      throw githubError(
        403,
        'Resource not accessible by personal access token',
        options.docs,
      );
  }

  /** A route under `/repos/{owner}/{repo}`. Private repositories do not exist for anonymous callers. */
  repoRoute(
    method: string,
    path: string,
    options: RouteOptions,
    handler: (ctx: RepoCtx) => Promise<void> | void,
  ) {
    this.router.add(
      method,
      `${this.api}/repos/:owner/:repo${path}`,
      async (req, res) => {
        const caller = this.identify(req, res);
        const repo = this.model.repo(req.params.owner, req.params.repo);
        if (!repo || !caller || req.params.repo.endsWith('.git'))
          throw notFound(options.docs);
        this.refuseReadToken(caller, options);
        await handler({ req, res, caller, repo });
      },
    );
  }

  stats(repo: ForgeRepo): Promise<RepoStats> {
    return this.forge.repoStats(repo);
  }

  async pullJson(ctx: RepoCtx, pull: StoredPull, known?: RepoStats) {
    return this.shapes.pullRequest(
      ctx.repo,
      await this.pulls.view(ctx.repo, pull),
      ctx.caller,
      known ?? (await this.stats(ctx.repo)),
    );
  }

  pullOr404(repo: ForgeRepo, n: string, docs: string) {
    const pull = /^\d+$/.test(n) ? this.pulls.get(repo, Number(n)) : undefined;
    if (!pull) throw notFound(docs);
    return pull;
  }

  resolveRef(repo: ForgeRepo, ref: string | null | undefined) {
    return repo.git.resolveCommit(ref || repo.defaultBranch);
  }

  /** A commit named in the path, or GitHub's 422 "No commit found". */
  async commitOr422(repo: ForgeRepo, ref: string, docs: string) {
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw githubError(422, `No commit found for SHA: ${ref}`, docs);
    return sha;
  }

  /** Anything else under the API answers like GitHub does for unknown routes. */
  registerFallback() {
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      this.router.add(m, `${this.api}/*rest`, (req, res) => {
        this.identify(req, res);
        throw notFound('rest');
      });
    }
  }
}

/** The 401 GraphQL answers without a token (it has no anonymous access). */
export function graphqlUnauthorized(invalid: boolean): HttpError {
  return new HttpError(401, 'unauthorized', {
    message: invalid
      ? 'Bad credentials'
      : 'This endpoint requires you to be authenticated.',
    documentation_url: docsUrl(
      'graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    ),
    status: '401',
  });
}
