import { GitopsConfig } from '../config';
import { AppRequest, validateAppRequest } from './appRequest';
import { planArgoApp } from './layout/argocd/planArgoApp';
import { planFluxApp } from './layout/flux/planFluxApp';
import { externalSecretAllowed, sealingAllowed } from './layout/secretPolicy';
import { AppPlan, AppSpec, LayoutName } from './layout/types';
import { readRepoProfile, RepoProfile } from './profile/RepoProfile';
import { externalSecretTarget } from './layout/externalSecret';
import { OpenedRepo } from './repo/openRepo';
import { hostnamesInRepo } from './route/hostnamesInRepo';
import { httpRouteValidator } from './route/httpRoute';
import { Problems } from './validation/problems';

/** The repository as the generator sees it, read once per run. */
export function profileOf(
  repo: OpenedRepo['snapshot'],
  config: GitopsConfig,
  layout?: 'auto' | LayoutName,
) {
  const wanted = layout && layout !== 'auto' ? layout : config.layout;
  return readRepoProfile(repo, {
    fluxAppsPath: config.flux.appsPath,
    argoAppsPath: config.argocd.appsPath,
    chartName: config.flux.chartUrl.slice(
      config.flux.chartUrl.lastIndexOf('/') + 1,
    ),
    engine: wanted === 'auto' ? undefined : wanted,
  });
}

/** Refuses when the engine and layout could not be read from the repository. */
export function requireLayout(
  profile: RepoProfile,
  problems: Problems,
  config: GitopsConfig,
): boolean {
  if (profile.layout) return true;
  problems.add(
    'layout',
    'layout-detect',
    profile.ambiguous
      ? `${profile.description} has both Flux (${config.flux.appsPath}/**/ks.yaml) and Argo CD apps; choose the layout explicitly`
      : `${profile.description} has neither Flux apps under ${config.flux.appsPath} nor folders an Argo CD ApplicationSet or Application deploys; choose the layout explicitly (homelab.gitops.layout or the layout input)`,
  );
  return false;
}

/**
 * Everything homelab:app:generate decides, without writing anything: the
 * request is validated, the repository read (its profile), the files
 * planned, the route checked against the HTTPRoute CRD (schema + CEL).
 * Throws a GitopsInputError listing every problem.
 */
export async function planApp(
  request: AppRequest,
  open: () => Promise<OpenedRepo>,
  config: GitopsConfig,
): Promise<{ plan: AppPlan; profile: RepoProfile; spec: AppSpec }> {
  const problems = new Problems();
  const spec = validateAppRequest(request, config, problems);
  // Fields first: a bad form never costs a clone.
  problems.throwIfAny('The new app');
  const repo = await open();
  try {
    const profile = await profileOf(repo.snapshot, config, request.layout);
    const app: AppSpec = { ...spec!, sourceLocation: repo.webUrl };
    const plan = await planWithProfile(app, profile, config, problems);
    return { plan: plan!, profile, spec: app };
  } finally {
    await repo.close?.();
  }
}

async function planWithProfile(
  app: AppSpec,
  profile: RepoProfile,
  config: GitopsConfig,
  problems: Problems,
): Promise<AppPlan | undefined> {
  if (!requireLayout(profile, problems, config))
    problems.throwIfAny('The new app');
  if (app.externalSecret) {
    if (externalSecretAllowed(profile, problems, 'externalSecret'))
      app.secretName = externalSecretTarget(profile, app.name, app.secretName);
  } else if (app.secretName) {
    // A Secret nothing would decrypt: refused before a file is planned.
    sealingAllowed(profile, problems, 'secretName');
  }
  if (app.hostname) {
    const taken = hostnamesInRepo(profile.objects).get(app.hostname);
    if (taken) {
      problems.add(
        'hostname',
        'hostname-taken',
        `"${app.hostname}" is already served by ${taken}; choose another name`,
      );
    }
  }
  problems.throwIfAny('The new app');
  const plan =
    profile.layout!.engine === 'argocd'
      ? planArgoApp(profile, app, config.argocd, problems)
      : planFluxApp(profile, app, config.flux, problems);
  if (plan?.route) {
    for (const p of httpRouteValidator().validate(plan.route).problems) {
      problems.add(`route: ${p.field}`, p.rule, p.message);
    }
  }
  problems.throwIfAny('The new app');
  return plan;
}
