import type { ServerResponse } from 'node:http';
import { Router, SimRequest } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { GitPushEvent, SimContext, StartedService } from '../SimContext';
import { authenticate } from './auth';
import { ForgeContext } from './ForgeContext';
import { ForgeModel, READ_TOKEN_FILE, TOKEN_FILE } from './ForgeModel';
import { parseSmartHttpPath, serveWithHttpBackend } from './git/smartHttp';
import { docsUrl } from './github/errors';
import { registerGithubApi } from './github/githubApi';
import { registerGiteaApi } from './gitea/giteaApi';
import { PullService } from './pulls/PullService';
import { PullStore } from './pulls/PullStore';
import { seedRenovatePulls } from './seed/renovatePulls';
import { seedRepositories } from './seed/seedRepositories';
import { registerWebPages } from './web/webPages';

function text(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
  });
  res.end(body);
}

/**
 * The demo homelab's Git forge: real bare repositories on disk served over
 * git smart HTTP (`git http-backend`), the GitHub REST + GraphQL subset the
 * upstream `publish:github:pull-request` action uses, the Gitea 1.22 subset
 * for branch + files + pull request, and a read-only web view.
 */
export async function startForge(
  ctx: SimContext,
  port: number,
): Promise<StartedService> {
  const model = new ForgeModel(ctx.scenario, ctx.state);
  const seeded = await seedRepositories(model);
  const store = new PullStore(ctx.state.path('forge', 'pulls.json'));
  const pulls = new PullService(model, store, ctx.now, (repo, branch, sha) =>
    ctx.events.emit('git-push', {
      repo: repo.fullName,
      branch,
      sha,
    } satisfies GitPushEvent),
  );
  if (seeded.length) await seedRenovatePulls(model, pulls, seeded);
  // The first push of each repository: the cluster's engines fetch it
  // before the sim reports itself started.
  const fetched: Promise<unknown>[] = [];
  for (const repo of model.repos)
    ctx.events.emit('git-push', {
      repo: repo.fullName,
      branch: repo.defaultBranch,
      sha: (await repo.git.branchSha(repo.defaultBranch)) ?? '',
      acknowledge: work => fetched.push(work),
    } satisfies GitPushEvent);
  await Promise.all(fetched);
  const forge = new ForgeContext(model, pulls, ctx.now);

  const router = new Router();
  registerGithubApi(router, forge);
  registerGiteaApi(router, forge);
  registerWebPages(router, forge);

  const gitSmartHttp = async (req: SimRequest, res: ServerResponse) => {
    const target = parseSmartHttpPath(req.pathname, req.query);
    if (!target) return false;
    const auth = authenticate(model, req);
    if (auth.kind !== 'caller') {
      // git retries with credentials after a Basic challenge.
      text(
        res,
        401,
        auth.kind === 'invalid'
          ? 'Invalid username or token.\n'
          : 'Authentication required.\n',
        {
          'www-authenticate': 'Basic realm="homelab forge"',
        },
      );
      return true;
    }
    const repo = model.repo(target.owner, target.repo);
    if (!repo) {
      text(res, 404, 'Repository not found.\n');
      return true;
    }
    if (
      target.service === 'git-receive-pack' &&
      auth.caller.scope !== 'write'
    ) {
      text(
        res,
        403,
        `Permission to ${repo.fullName}.git denied to ${auth.caller.account.login}.\n`,
      );
      return true;
    }
    await repo.git.configureServing();
    if (target.service === 'git-upload-pack' && target.endpoint === 'info/refs')
      await forge.pulls.syncPullRefs(repo);
    const relative = repo.git.dir.slice(
      ctx.state.path('forge', 'repos').length,
    );
    await serveWithHttpBackend({
      req,
      res,
      projectRoot: ctx.state.path('forge', 'repos'),
      pathInfo: `${relative}/${target.endpoint}`,
      query: req.query.toString(),
      remoteUser: auth.caller.account.login,
    });
    return true;
  };

  const tls = await ctx.ca.issueServer('homelab-sim forge');
  const server = new SimServer({
    service: 'forge',
    router,
    faults: ctx.faults,
    tls,
    intercept: gitSmartHttp,
    // Injected faults and unexpected failures, in the shape of the API asked.
    errorBody: (status, message, req) =>
      req?.pathname?.startsWith('/api/v1/')
        ? { message, url: `${model.baseUrl}/api/swagger` }
        : {
            message,
            documentation_url: docsUrl('rest'),
            status: String(status),
          },
  });
  const actualPort = await server.listen(port);
  model.setBaseUrl(`https://localhost:${actualPort}`);
  const url = model.baseUrl;
  const host = model.host;
  const tokenFile = ctx.state.path(TOKEN_FILE);

  return {
    name: 'forge',
    url,
    describe: [
      `git smart HTTP: ${url}/<owner>/<repo>(.git) (token as Basic password or Bearer)`,
      `GitHub REST ${url}/api/v3 + GraphQL ${url}/api/graphql`,
      `Gitea 1.22 API ${url}/api/v1`,
      `web view ${url}/`,
      // The scaffolder's repoUrl for a repository is `<host>?owner=<owner>&repo=<name>`.
      ...model.repos.map(
        r =>
          `repository ${url}/${r.fullName} (${r.layout}; repoUrl ${host}?owner=${r.owner.login}&repo=${r.name})`,
      ),
      `tokens: ${tokenFile} (write), ${ctx.state.path(READ_TOKEN_FILE)} (read)`,
    ],
    portalConfig: {
      integrations: {
        github: [
          { host, apiBaseUrl: `${url}/api/v3`, token: { $file: tokenFile } },
        ],
        gitea: [{ host, baseUrl: url, password: { $file: tokenFile } }],
      },
      // Delivery status: the Flux repository read through the GitHub API,
      // the Argo CD one through the Gitea API (plugins/gitops-backend).
      gitops: {
        repositories: model.repos.map(r => ({
          name: r.name,
          engine: r.layout,
          forge: r.layout === 'flux' ? 'github' : 'gitea',
          host,
          owner: r.owner.login,
          repo: r.name,
          branch: r.defaultBranch,
        })),
      },
      // Every catalog-info.yaml in the GitOps repositories: a merged
      // "Add an app" pull request reaches the catalog on its own.
      catalog: {
        locations: model.repos.map(r => ({
          type: 'url',
          target: `${url}/${r.fullName}/blob/${r.defaultBranch}/**/catalog-info.yaml`,
          rules: [{ allow: ['Component', 'Resource'] }],
        })),
      },
    },
    close: () => server.close(),
  };
}
