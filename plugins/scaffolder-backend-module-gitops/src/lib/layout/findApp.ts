import { AppEntry } from '../profile/layout';
import { RepoProfile } from '../profile/RepoProfile';
import { Tally } from '../profile/tally';
import { Problems } from '../validation/problems';
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
  entry: AppEntry;
};

/** The namespace an app's objects end up in, as the repository sets it. */
function namespaceOf(profile: RepoProfile, app: AppEntry): string | undefined {
  const inside = profile.objects.filter(o => o.dir === app.manifestsPath);
  if (profile.layout!.engine === 'flux') {
    const container = profile.objects.find(
      o =>
        o.dir === app.container &&
        o.object.kind === 'Kustomization' &&
        o.object.namespace,
    );
    return (
      app.ks?.object.spec?.targetNamespace ??
      container?.object.namespace ??
      app.container.split('/').pop()
    );
  }
  const kustomization = inside.find(
    o => o.object.kind === 'Kustomization' && o.object.namespace,
  );
  if (kustomization) return kustomization.object.namespace;
  const own = new Tally(
    inside
      .filter(o => !['Namespace', 'Kustomization'].includes(o.object.kind))
      .map(o => o.object.metadata?.namespace),
  ).mostCommon('manifests')?.value;
  if (own) return own;
  const container = profile.layout!.containers.find(
    c => c.path === app.container,
  );
  const dest = String(
    app.application?.object.spec?.destination?.namespace ??
      (container?.registration.kind === 'appset'
        ? container.registration.appset.object.spec?.template?.spec?.destination
            ?.namespace
        : '') ??
      '',
  );
  if (/^\{\{\s*\.?path\.basename\s*\}\}$/.test(dest)) return app.name;
  return dest || undefined;
}

/**
 * Finds an app by name (its folder, or its Flux Kustomization) among the
 * apps the repository's layout deploys. A namespace, when given, must match
 * where the app deploys.
 */
export function findApp(
  profile: RepoProfile,
  name: string,
  problems: Problems,
  expectedNamespace?: string,
): AppLocation | undefined {
  const layout = profile.layout!;
  const found = layout.apps.filter(
    a => a.name === name || a.path.split('/').pop() === name,
  );
  if (found.length === 0) {
    problems.add(
      'app',
      'app-not-found',
      `there is no app "${name}" in ${profile.description} (looked at the ${
        layout.apps.length
      } apps ${
        layout.engine === 'flux'
          ? 'Flux Kustomizations deploy'
          : 'Argo CD deploys'
      })`,
    );
    return undefined;
  }
  if (found.length > 1) {
    problems.add(
      'app',
      'app-ambiguous',
      `"${name}" exists in more than one place: ${found
        .map(a => a.path)
        .join(', ')}`,
    );
    return undefined;
  }
  const entry = found[0];
  const namespace = namespaceOf(profile, entry);
  if (!namespace) {
    problems.add(
      'app',
      'app-namespace',
      `nothing in ${entry.path} says which namespace the app deploys to`,
    );
    return undefined;
  }
  const kustomizationPath = ['kustomization.yaml', 'kustomization.yml']
    .map(f => `${entry.manifestsPath}/${f}`)
    .find(f => profile.files.includes(f));
  if (!kustomizationPath) {
    problems.add(
      'app',
      'app-kustomization',
      `${entry.manifestsPath}/kustomization.yaml does not exist, so nothing new could be registered for "${name}"`,
    );
    return undefined;
  }
  if (expectedNamespace && expectedNamespace !== namespace) {
    problems.add(
      'namespace',
      'namespace-mismatch',
      `"${name}" deploys to namespace "${namespace}", not "${expectedNamespace}"; a secret sealed for the wrong namespace cannot be decrypted`,
    );
    return undefined;
  }
  return {
    layout: layout.engine,
    name: entry.name,
    appPath: entry.path,
    manifestsPath: entry.manifestsPath,
    kustomizationPath,
    namespace,
    entry,
  };
}
