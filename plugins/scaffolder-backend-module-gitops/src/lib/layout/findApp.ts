import { parseDocument } from 'yaml';
import { GitopsConfig } from '../../config';
import { childDirectories, RepoSnapshot } from '../repo/RepoSnapshot';
import { Problems } from '../validation/problems';
import { detectLayout } from './detectLayout';
import { mostCommon, readObjects } from './repoStyle';
import { LayoutName } from './types';

/** Where an existing app lives in the repo, and the namespace it deploys to. */
export type AppLocation = {
  layout: LayoutName;
  name: string;
  appPath: string;
  /** folder of the manifests the cluster gets (Flux: the ks.yaml's spec.path) */
  manifestsPath: string;
  kustomizationPath: string;
  /** the namespace its objects finally live in (what sealing must use) */
  namespace: string;
};

/**
 * Finds an app folder by name (the folder is the app's name in both
 * layouts). A namespace, when given, must match where the app deploys.
 */
export async function findApp(
  repo: RepoSnapshot,
  config: GitopsConfig,
  name: string,
  layoutInput: 'auto' | LayoutName | undefined,
  problems: Problems,
  expectedNamespace?: string,
): Promise<AppLocation | undefined> {
  const wanted =
    layoutInput && layoutInput !== 'auto' ? layoutInput : config.layout;
  const layout =
    wanted === 'auto'
      ? await detectLayout(repo, config.flux, config.argocd, problems)
      : wanted;
  if (!layout) return undefined;
  const files = await repo.files();
  const appsPath = (
    layout === 'flux' ? config.flux.appsPath : config.argocd.appsPath
  ).replace(/\/$/, '');
  const groups = childDirectories(files, appsPath).filter(g =>
    files.some(f => f.startsWith(`${appsPath}/${g}/${name}/`)),
  );
  if (groups.length === 0) {
    problems.add(
      'app',
      'app-not-found',
      `there is no app "${name}" in ${repo.description} (looked for ${appsPath}/*/${name}/)`,
    );
    return undefined;
  }
  if (groups.length > 1) {
    problems.add(
      'app',
      'app-ambiguous',
      `"${name}" exists in more than one place: ${groups
        .map(g => `${appsPath}/${g}/${name}`)
        .join(', ')}`,
    );
    return undefined;
  }
  const appPath = `${appsPath}/${groups[0]}/${name}`;
  let location: AppLocation | undefined;
  if (layout === 'flux') {
    const ksPath = [`${appPath}/ks.yaml`, `${appPath}/ks.yml`].find(p =>
      files.includes(p),
    );
    const ks = ksPath
      ? (await readObjects(repo, [ksPath])).find(
          o => o.object.kind === 'Kustomization',
        )?.object
      : undefined;
    const manifestsPath =
      typeof ks?.spec?.path === 'string'
        ? ks.spec.path.replace(/^\.\//, '').replace(/\/$/, '')
        : `${appPath}/app`;
    const nsText = await repo.read(
      `${appsPath}/${groups[0]}/kustomization.yaml`,
    );
    const nsFromFolder = nsText
      ? (parseDocument(nsText).toJS() ?? {}).namespace
      : undefined;
    location = {
      layout,
      name,
      appPath,
      manifestsPath,
      kustomizationPath: `${manifestsPath}/kustomization.yaml`,
      namespace: ks?.spec?.targetNamespace ?? nsFromFolder ?? groups[0],
    };
  } else {
    const objects = await readObjects(
      repo,
      files.filter(f => f.startsWith(`${appPath}/`) && /\.ya?ml$/.test(f)),
    );
    const namespace = mostCommon(
      objects
        .filter(
          o =>
            o.object.kind !== 'Namespace' && o.object.kind !== 'Kustomization',
        )
        .map(o => o.object.metadata?.namespace)
        .filter(Boolean),
    );
    if (!namespace) {
      problems.add(
        'app',
        'app-namespace',
        `the manifests in ${appPath} name no namespace`,
      );
      return undefined;
    }
    location = {
      layout,
      name,
      appPath,
      manifestsPath: appPath,
      kustomizationPath: `${appPath}/kustomization.yaml`,
      namespace,
    };
  }
  if (!files.includes(location.kustomizationPath)) {
    problems.add(
      'app',
      'app-kustomization',
      `${location.kustomizationPath} does not exist, so nothing new could be registered for "${name}"`,
    );
    return undefined;
  }
  if (expectedNamespace && expectedNamespace !== location.namespace) {
    problems.add(
      'namespace',
      'namespace-mismatch',
      `"${name}" deploys to namespace "${location.namespace}", not "${expectedNamespace}"; a secret sealed for the wrong namespace cannot be decrypted`,
    );
    return undefined;
  }
  return location;
}
