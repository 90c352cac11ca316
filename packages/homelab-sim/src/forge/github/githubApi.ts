import { Router } from '../../http/Router';
import { ForgeContext } from '../ForgeContext';
import { ActivityShapes } from './activityShapes';
import { registerChecks } from './checks';
import { registerGitDatabase } from './gitDatabase';
import { GithubRoutes } from './GithubRoutes';
import { registerGraphql } from './graphqlRoute';
import { registerIssues } from './issues';
import { registerMeta } from './meta';
import { registerPulls } from './pulls';
import { registerReleases } from './releases';
import { registerRepos } from './repos';
import { registerReviews } from './reviews';

/**
 * The GitHub REST subset under `/api/v3` (GitHub Enterprise style, so
 * Backstage's `integrations.github[].apiBaseUrl`, `gh` with `GH_HOST` and
 * Octokit can point here) and GraphQL at `/api/graphql`, one file per
 * resource. See notes/forge-github-subset.md and the package README.
 */
export function registerGithubApi(router: Router, forge: ForgeContext) {
  const gh = new GithubRoutes(router, forge);
  const activity = new ActivityShapes(gh.shapes);
  registerMeta(gh);
  // Before the repository routes: `/commits/{ref}/status` would otherwise
  // be taken for a commit named `{ref}/status`.
  registerChecks(gh, activity);
  registerRepos(gh, activity);
  registerGitDatabase(gh);
  registerPulls(gh);
  registerReviews(gh, activity);
  registerIssues(gh, activity);
  registerReleases(gh, activity);
  registerGraphql(gh);
  gh.registerFallback();
}
