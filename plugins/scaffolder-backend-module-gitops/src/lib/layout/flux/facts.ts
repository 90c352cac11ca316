import { AppsContainer } from '../../profile/layout';
import { RepoProfile } from '../../profile/RepoProfile';
import { Tally } from '../../profile/tally';
import { Problems } from '../../validation/problems';
import { AppSpec, FluxLayoutConfig } from '../types';
import { FluxChart, fluxChart } from './chart';
import { NamespaceFolderModel, namespaceFolderModel } from './namespaceFolder';

type RepoFile = { path: string; text: string };

/** What a new Flux app's plan needs to know about the repository, read before anything is built. */
export type FluxFacts = {
  chart: FluxChart;
  /** `<namespace folder>/<app>`: ks.yaml and the manifests folder */
  appPath: string;
  /** where the HelmRelease and the app's kustomization go */
  manifestsPath: string;
  /** the app kustomization writes `./helmrelease.yaml` */
  dotSlash: boolean;
  /** the existing namespace folder's kustomization, which lists its apps' ks.yaml */
  namespaceKustomization?: RepoFile;
  /** no namespace folder that lists apps: a new one, at `folder` */
  newNamespace?: {
    folder: string;
    model?: NamespaceFolderModel;
    /** the apps folder's kustomization, which lists the namespace folders */
    appsKustomization?: RepoFile;
  };
};

/**
 * Reads the repository for a new Flux app: refuses a name that is taken or
 * a chart with nothing to copy (the problems say why); else where the app
 * goes and the files its registration edits.
 */
export function readFluxFacts(
  profile: RepoProfile,
  app: AppSpec,
  config: FluxLayoutConfig,
  problems: Problems,
): FluxFacts | undefined {
  const layout = profile.layout!;
  const appsPath = layout.appsPath;
  const clash = layout.apps.filter(a => a.name === app.name);
  const folders = layout.containers.filter(c =>
    profile.files.some(f => f.startsWith(`${c.path}/${app.name}/`)),
  );
  if (clash.length > 0 || folders.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${[
        ...new Set([
          ...clash.map(a => a.path),
          ...folders.map(c => `${c.path}/${app.name}`),
        ]),
      ].join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }
  const chart = fluxChart(profile, config, problems);
  if (!chart) return undefined;

  const container = namespaceContainer(profile, app.namespace);
  const appPath = `${container?.path ?? `${appsPath}/${app.namespace}`}/${
    app.name
  }`;
  const textOf = (path: string) =>
    profile.objects.find(o => o.path === path)?.text ?? '';
  const registration =
    container?.registration.kind === 'flux-namespace'
      ? container.registration.kustomization
      : undefined;
  const top = profile.files.find(f => f === `${appsPath}/kustomization.yaml`);
  return {
    chart,
    appPath,
    manifestsPath: `${appPath}/${manifestsFolder(profile)}`,
    dotSlash:
      profile.kustomizations.dotSlash.total === 0 ||
      profile.kustomizations.dotSlash.value,
    ...(registration
      ? {
          namespaceKustomization: {
            path: registration,
            text: textOf(registration),
          },
        }
      : {
          newNamespace: {
            folder: `${appsPath}/${app.namespace}`,
            model: namespaceFolderModel(profile, appsPath),
            ...(top && {
              appsKustomization: { path: top, text: textOf(top) },
            }),
          },
        }),
  };
}

/** The folder of an app's manifests under its app folder, as most apps name it (`app`). */
function manifestsFolder(profile: RepoProfile) {
  const apps = profile.layout?.apps ?? [];
  return (
    new Tally(
      apps
        .filter(a => a.manifestsPath.startsWith(`${a.path}/`))
        .map(a => a.manifestsPath.slice(a.path.length + 1)),
    ).mostCommon('apps')?.value ?? 'app'
  );
}

/** The namespace folder of a namespace: named after it, or whose kustomization sets it. */
function namespaceContainer(
  profile: RepoProfile,
  namespace: string,
): AppsContainer | undefined {
  const containers = profile.layout?.containers ?? [];
  return (
    containers.find(c => c.name === namespace) ??
    containers.find(c => {
      const k =
        c.registration.kind === 'flux-namespace'
          ? c.registration.kustomization
          : undefined;
      return (
        k &&
        profile.objects.some(
          o => o.path === k && o.object.namespace === namespace,
        )
      );
    })
  );
}
