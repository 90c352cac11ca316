import { Router } from '../../http/Router';
import { ForgeContext } from '../ForgeContext';
import { GiteaActivityShapes } from './activityShapes';
import { registerComments } from './comments';
import { registerCommits } from './commits';
import { registerFiles } from './files';
import { GiteaRoutes } from './GiteaRoutes';
import { registerPullDetails } from './pullDetails';
import { registerPulls } from './pulls';
import { registerReleases } from './releases';
import { registerRepos } from './repos';

export { GITEA_VERSION } from './GiteaRoutes';

/**
 * The Gitea 1.22 API subset under `/api/v1`
 * (reference/gitea/gitea-swagger-v1.22.0.json), one file per resource:
 * repository, branches and contents; file changes; commits, references,
 * tags and statuses; pull requests with their files, commits, diffs and
 * reviews; comments; releases.
 */
export function registerGiteaApi(router: Router, forge: ForgeContext) {
  const g = new GiteaRoutes(router, forge);
  const activity = new GiteaActivityShapes(g.shapes);
  registerRepos(g);
  registerFiles(g);
  // Before the pull request routes: `/pulls/:base/*head` would take
  // `/pulls/1/files` for base "1" and head "files".
  registerPullDetails(g, activity);
  registerPulls(g);
  registerCommits(g, activity);
  registerComments(g, activity);
  registerReleases(g, activity);
  // Unknown API routes: Gitea's 404 for the API group.
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    router.add(m, `${g.api}/*rest`, () => {
      throw g.notFound();
    });
  }
}
