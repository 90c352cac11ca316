import { GitopsConfig } from '../config';
import { AppRequest, validateAppRequest } from './appRequest';
import { detectLayout } from './layout/detectLayout';
import { planArgoApp } from './layout/argocd';
import { planFluxApp } from './layout/flux';
import { AppPlan, AppSpec, LayoutName } from './layout/types';
import { OpenedRepo } from './repo/openRepo';
import { hostnamesInRepo } from './route/hostnamesInRepo';
import { httpRouteValidator } from './route/httpRoute';
import { Problems } from './validation/problems';

/**
 * Everything homelab:app:generate decides, without writing anything: the
 * request is validated, the repo read, the files planned, the route checked
 * against the HTTPRoute CRD (schema + CEL). Throws a GitopsInputError
 * listing every problem.
 */
export async function planApp(
  request: AppRequest,
  open: () => Promise<OpenedRepo>,
  config: GitopsConfig,
): Promise<{ plan: AppPlan; repoDescription: string }> {
  const problems = new Problems();
  const spec = validateAppRequest(request, config, problems);
  // Fields first: a bad form never costs a clone.
  problems.throwIfAny('The new app');
  const repo = await open();
  try {
    return {
      plan: await planWithRepo(request, spec!, repo, config, problems),
      repoDescription: repo.snapshot.description,
    };
  } finally {
    await repo.close?.();
  }
}

async function planWithRepo(
  request: AppRequest,
  spec: AppSpec,
  repo: OpenedRepo,
  config: GitopsConfig,
  problems: Problems,
): Promise<AppPlan> {
  const app = { ...spec, sourceLocation: repo.webUrl };

  const wanted =
    request.layout && request.layout !== 'auto'
      ? request.layout
      : config.layout;
  const layout: LayoutName | undefined =
    wanted === 'auto'
      ? await detectLayout(repo.snapshot, config.flux, config.argocd, problems)
      : wanted;
  problems.throwIfAny('The new app');

  if (app.hostname) {
    const taken = (await hostnamesInRepo(repo.snapshot)).get(app.hostname);
    if (taken) {
      problems.add(
        'hostname',
        'hostname-taken',
        `"${app.hostname}" is already served by ${taken}; choose another name`,
      );
    }
  }
  const plan =
    layout === 'argocd'
      ? await planArgoApp(repo.snapshot, app, config.argocd, problems)
      : await planFluxApp(repo.snapshot, app, config.flux, problems);
  if (plan?.route) {
    for (const p of httpRouteValidator().validate(plan.route).problems) {
      problems.add(`route: ${p.field}`, p.rule, p.message);
    }
  }
  problems.throwIfAny('The new app');
  return plan!;
}
