import type { components } from '@octokit/openapi-types';
import { authenticate } from '../auth';
import { githubError, notFound } from './errors';
import { GithubRoutes } from './GithubRoutes';
import { paginate, send } from './http';

type S = components['schemas'];

/**
 * Routes outside a repository: the API root (`gh auth status` reads its
 * `X-OAuth-Scopes`), the caller, other accounts, the organisation, the
 * caller's repositories and the rate limit.
 */
export function registerMeta(gh: GithubRoutes) {
  const { model, shapes } = gh;
  const firstCreated = async () =>
    model.repos[0]
      ? (await gh.stats(model.repos[0])).createdAt
      : gh.forge.stamp();

  // GitHub answers the root to anyone; it lists URL templates.
  gh.route('GET', '', { docs: 'rest/meta/meta#github-api-root' }, ({ res }) => {
    const a = shapes.api;
    const root: S['root'] = {
      current_user_url: `${a}/user`,
      current_user_authorizations_html_url: `${shapes.web}/settings/connections/applications{/client_id}`,
      authorizations_url: `${a}/authorizations`,
      code_search_url: `${a}/search/code?q={query}{&page,per_page,sort,order}`,
      commit_search_url: `${a}/search/commits?q={query}{&page,per_page,sort,order}`,
      emails_url: `${a}/user/emails`,
      emojis_url: `${a}/emojis`,
      events_url: `${a}/events`,
      feeds_url: `${a}/feeds`,
      followers_url: `${a}/user/followers`,
      following_url: `${a}/user/following{/target}`,
      gists_url: `${a}/gists{/gist_id}`,
      hub_url: `${a}/hub`,
      issue_search_url: `${a}/search/issues?q={query}{&page,per_page,sort,order}`,
      issues_url: `${a}/issues`,
      keys_url: `${a}/user/keys`,
      label_search_url: `${a}/search/labels?q={query}&repository_id={repository_id}{&page,per_page}`,
      notifications_url: `${a}/notifications`,
      organization_url: `${a}/orgs/{org}`,
      organization_repositories_url: `${a}/orgs/{org}/repos{?type,page,per_page,sort}`,
      organization_teams_url: `${a}/orgs/{org}/teams`,
      public_gists_url: `${a}/gists/public`,
      rate_limit_url: `${a}/rate_limit`,
      repository_url: `${a}/repos/{owner}/{repo}`,
      repository_search_url: `${a}/search/repositories?q={query}{&page,per_page,sort,order}`,
      current_user_repositories_url: `${a}/user/repos{?type,page,per_page,sort}`,
      starred_url: `${a}/user/starred{/owner}{/repo}`,
      starred_gists_url: `${a}/gists/starred`,
      topic_search_url: `${a}/search/topics?q={query}{&page,per_page}`,
      user_url: `${a}/users/{user}`,
      user_organizations_url: `${a}/user/orgs`,
      user_repositories_url: `${a}/users/{user}/repos{?type,page,per_page,sort}`,
      user_search_url: `${a}/search/users?q={query}{&page,per_page,sort,order}`,
    };
    send(res, 200, root);
  });

  gh.route(
    'GET',
    '/user',
    { docs: 'rest/users/users#get-the-authenticated-user', signedIn: true },
    async ({ res, caller }) => {
      send(res, 200, shapes.privateUser(caller!.account, await firstCreated()));
    },
  );

  // The organisation's repositories are private: members see them all.
  gh.route(
    'GET',
    '/user/repos',
    {
      docs: 'rest/repos/repos#list-repositories-for-the-authenticated-user',
      signedIn: true,
    },
    async ({ req, res, caller }) => {
      const visibility = req.query.get('visibility') ?? 'all';
      const list = visibility === 'public' ? [] : model.repos;
      const { items, headers } = paginate(req, model.baseUrl, list);
      const out = [];
      for (const r of items)
        out.push(shapes.repository(r, caller, await gh.stats(r)));
      send(res, 200, out, headers);
    },
  );

  gh.route(
    'GET',
    '/users/:login',
    { docs: 'rest/users/users#get-a-user' },
    async ({ req, res }) => {
      const account = model.account(req.params.login);
      if (!account) throw notFound('rest/users/users#get-a-user');
      send(res, 200, shapes.publicUser(account, await firstCreated()));
    },
  );

  // Anonymous callers do not see a private organisation's details.
  gh.route(
    'GET',
    '/orgs/:org',
    { docs: 'rest/orgs/orgs#get-an-organization' },
    async ({ req, res, caller }) => {
      const org = model.account(req.params.org);
      if (!org || org.type !== 'Organization' || !caller)
        throw notFound('rest/orgs/orgs#get-an-organization');
      send(
        res,
        200,
        shapes.organization(org, model.repos.length, await firstCreated()),
      );
    },
  );

  gh.route(
    'GET',
    '/orgs/:org/repos',
    { docs: 'rest/repos/repos#list-organization-repositories' },
    async ({ req, res, caller }) => {
      const org = model.account(req.params.org);
      if (!org || org.type !== 'Organization')
        throw notFound('rest/repos/repos#list-organization-repositories');
      const list = caller
        ? model.repos.filter(r => r.owner.login === org.login)
        : [];
      const { items, headers } = paginate(req, model.baseUrl, list);
      const out = [];
      for (const r of items)
        out.push(shapes.repository(r, caller, await gh.stats(r)));
      send(res, 200, out, headers);
    },
  );

  // Checking the rate limit does not count against it.
  gh.router.get(`${gh.api}/rate_limit`, (req, res) => {
    const auth = authenticate(model, req);
    if (auth.kind === 'invalid')
      throw githubError(401, 'Bad credentials', 'rest');
    const caller = auth.kind === 'caller' ? auth.caller : undefined;
    const core = gh.limits.peek(caller, 'core');
    const graphql = gh.limits.peek(caller, 'graphql');
    const strip = ({ resource, ...w }: typeof core) => w;
    send(res, 200, {
      resources: {
        core: strip(core),
        graphql: strip(graphql),
        search: { limit: 30, used: 0, remaining: 30, reset: core.reset },
      },
      rate: strip(core),
    });
  });
}
