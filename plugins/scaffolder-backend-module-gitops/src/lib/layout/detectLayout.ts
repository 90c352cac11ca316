import { RepoSnapshot } from '../repo/RepoSnapshot';
import { Problems } from '../validation/problems';
import { ArgoLayoutConfig, FluxLayoutConfig, LayoutName } from './types';

/**
 * Tells a Flux home-ops repo from an Argo CD one by what is in it: Flux
 * Kustomizations (`ks.yaml`) or a `kubernetes/flux/` folder, versus
 * ApplicationSets / AppProjects under the Argo apps folder. Never mixes.
 */
export async function detectLayout(
  repo: RepoSnapshot,
  flux: FluxLayoutConfig,
  argo: ArgoLayoutConfig,
  problems: Problems,
): Promise<LayoutName | undefined> {
  const files = await repo.files();
  const fluxApps = flux.appsPath.replace(/\/$/, '');
  const argoApps = argo.appsPath.replace(/\/$/, '');
  const isFlux =
    files.some(f => f.startsWith(`${fluxApps}/`) && /\/ks\.ya?ml$/.test(f)) ||
    files.some(f => f.startsWith('kubernetes/flux/'));
  const isArgo = files.some(
    f =>
      f.startsWith(`${argoApps}/`) &&
      /\/(application-?set|project|appproject)\.ya?ml$/.test(f),
  );
  if (isFlux && !isArgo) return 'flux';
  if (isArgo && !isFlux) return 'argocd';
  problems.add(
    'layout',
    'layout-detect',
    isFlux
      ? `${repo.description} has both Flux (${fluxApps}/**/ks.yaml) and Argo CD (${argoApps}) apps; choose the layout explicitly`
      : `${repo.description} has neither Flux apps under ${fluxApps} nor Argo CD apps under ${argoApps}; choose the layout explicitly (homelab.gitops.layout or the layout input)`,
  );
  return undefined;
}
