import { AppsContainer } from '../../profile/layout';
import { baseName, RepoObject } from '../../profile/repoObjects';
import { RepoProfile } from '../../profile/RepoProfile';
import { Problems } from '../../validation/problems';
import { AppSpec, ArgoLayoutConfig } from '../types';

/** What a new Argo CD app's plan needs to know about the repository, read before anything is built. */
export type ArgoFacts = {
  /** the category folder the app goes into, and how its apps reach Argo CD */
  container: AppsContainer;
  appPath: string;
  /** the namespace is declared, or used by an app of the repository, already */
  namespaceExists: boolean;
  /** app-of-apps: the sibling Applications to copy, and the kustomization that lists them */
  applications?: { siblings: RepoObject[]; list?: RepoObject };
  /** the category's kustomization, which lists its app folders */
  folderList?: { path: string; text: string };
  /** the repository's AppProjects */
  projects: RepoObject[];
  /** the app kustomization writes `./file` */
  dotSlash: boolean;
};

/**
 * Reads the repository for a new Argo CD app: refuses a category no
 * folder stands for, or a name that is taken (the problems say why); else
 * where the app goes and the files its registration reads.
 */
export function readArgoFacts(
  profile: RepoProfile,
  app: AppSpec,
  config: ArgoLayoutConfig,
  problems: Problems,
): ArgoFacts | undefined {
  const layout = profile.layout!;
  const category = app.category ?? app.namespace;
  const container = categoryContainer(
    profile,
    category,
    config.appsPath.replace(/\/$/, '') || layout.appsPath,
  );
  if (!container) {
    problems.add(
      'category',
      'argocd-category',
      `there is no category folder "${category}" that Argo CD deploys apps from in ${
        profile.description
      }; use one of: ${layout.containers.map(c => c.name).join(', ')}`,
    );
    return undefined;
  }
  const clash = layout.apps.filter(a => a.name === app.name).map(a => a.path);
  if (profile.files.some(f => f.startsWith(`${container.path}/${app.name}/`)))
    clash.push(`${container.path}/${app.name}`);
  if (clash.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${[
        ...new Set(clash),
      ].join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }
  const r = container.registration;
  return {
    container,
    appPath: `${container.path}/${app.name}`,
    namespaceExists: namespaceExists(profile, app.namespace),
    ...(r.kind === 'application-files' && {
      applications: {
        siblings: r.siblings,
        list: applicationList(profile, r.siblings),
      },
    }),
    ...(r.kind === 'category-kustomization' && {
      folderList: {
        path: r.kustomization,
        text: profile.objects.find(o => o.path === r.kustomization)?.text ?? '',
      },
    }),
    projects: profile.objects.filter(o => o.object.kind === 'AppProject'),
    dotSlash:
      profile.kustomizations.dotSlash.total > 0 &&
      profile.kustomizations.dotSlash.value,
  };
}

/** The container a category names: a folder of that name (under the apps folder first), else the apps folder itself. */
function categoryContainer(
  profile: RepoProfile,
  category: string,
  appsPath: string,
) {
  const containers = profile.layout?.containers ?? [];
  const under = containers.filter(
    c => c.path === appsPath || c.path.startsWith(`${appsPath}/`),
  );
  return (
    under.find(c => c.name === category) ??
    containers.find(c => c.name === category) ??
    under.find(
      c => c.path === appsPath && c.registration.kind === 'application-files',
    )
  );
}

/** Whether the namespace exists already: declared, or used by an app of the repository. */
function namespaceExists(profile: RepoProfile, namespace: string) {
  const appDirs = new Set(
    (profile.layout?.apps ?? []).map(a => a.manifestsPath),
  );
  return profile.objects.some(
    o =>
      (o.object.kind === 'Namespace' &&
        o.object.metadata?.name === namespace) ||
      (appDirs.has(o.dir) && o.object.metadata?.namespace === namespace) ||
      (appDirs.has(o.dir) &&
        o.object.kind === 'Kustomization' &&
        o.object.namespace === namespace) ||
      (o.object.kind === 'Application' &&
        o.object.spec?.destination?.namespace === namespace),
  );
}

/** The kustomization next to the sibling Applications that lists them. */
function applicationList(profile: RepoProfile, siblings: RepoObject[]) {
  if (siblings.length === 0) return undefined;
  const siblingFiles = new Set(siblings.map(s => baseName(s.path)));
  return profile.objects.find(
    o =>
      o.dir === siblings[0].dir &&
      o.object.kind === 'Kustomization' &&
      (o.object.resources ?? []).some((r: string) =>
        siblingFiles.has(String(r).replace(/^\.\//, '')),
      ),
  );
}
