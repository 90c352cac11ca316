import { AppsContainer } from '../../profile/layout';

/** The Application template (or Application) that deploys apps of a container. */
export function deployerSpec(
  container: AppsContainer,
): Record<string, any> | undefined {
  const r = container.registration;
  if (r.kind === 'appset') return r.appset.object.spec?.template?.spec;
  if (r.kind === 'category-kustomization') {
    return r.deployer?.object.kind === 'ApplicationSet'
      ? r.deployer.object.spec?.template?.spec
      : r.deployer?.object.spec;
  }
  return undefined;
}

const BASENAME = /^\{\{\s*\.?path\.basename\s*\}\}$/;

/** Whether the deployer's destination namespace is the app's (literally, or the `{{path.basename}}` of its folder). */
function destinationIs(
  container: AppsContainer,
  spec: Record<string, any> | undefined,
  namespace: string,
  app: string,
) {
  const dest = String(spec?.destination?.namespace ?? '');
  const folder =
    container.registration.kind === 'appset' ? app : container.name;
  return dest === namespace || (BASENAME.test(dest) && folder === namespace);
}

/**
 * Whether Argo CD itself creates the app's namespace: `CreateNamespace=true`
 * creates the Application's destination namespace only, so it counts only
 * when that destination is the app's namespace. `model`: the app's own
 * Application (app-of-apps), whose destination is the app's namespace.
 */
export function argoCreatesNamespace(
  container: AppsContainer,
  namespace: string,
  app: string,
  model?: Record<string, any>,
): boolean {
  const spec = model?.spec ?? deployerSpec(container);
  const create = JSON.stringify(spec?.syncPolicy?.syncOptions ?? []).includes(
    'CreateNamespace=true',
  );
  if (!create) return false;
  if (model) return true;
  return destinationIs(container, spec, namespace, app);
}

/** The namespace the deployer puts objects without one into, when it is the app's. */
export function argoSetsNamespace(
  container: AppsContainer,
  namespace: string,
  app: string,
  model?: Record<string, any>,
) {
  if (model) return true;
  return destinationIs(container, deployerSpec(container), namespace, app);
}

/** The AppProject the container's apps sync through, by name. */
export function projectName(
  container: AppsContainer,
  model?: Record<string, any>,
): unknown {
  return (model?.spec ?? deployerSpec(container))?.project;
}

/** How the container's apps reach Argo CD, for the plan's notes. */
export function describeDeployer(c: AppsContainer) {
  switch (c.registration.kind) {
    case 'appset':
      return `through the ApplicationSet ${c.registration.appset.object.metadata?.name} (one Application per folder)`;
    case 'category-kustomization':
      return `through ${c.registration.kustomization}, which lists the app folders`;
    case 'application-files':
      return 'through one Application manifest each';
    default:
      return '';
  }
}
