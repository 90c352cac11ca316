import { parseDocument } from 'yaml';
import { childDirectories } from '../repo/RepoSnapshot';
import { baseName, ofKind, RepoObject } from './repoObjects';
import { Tally } from './tally';

export type Engine = 'flux' | 'argocd';

/** How a new app folder in a container reaches the cluster. */
export type Registration =
  /** Flux: `./<app>/ks.yaml` in the namespace folder's kustomization */
  | { kind: 'flux-namespace'; kustomization?: string }
  /** Argo CD: an ApplicationSet makes one Application per folder (`<container>/*`) */
  | { kind: 'appset'; appset: RepoObject }
  /** Argo CD: one Application deploys the container; its kustomization lists app folders */
  | {
      kind: 'category-kustomization';
      kustomization: string;
      deployer?: RepoObject;
    }
  /** Argo CD: one Application manifest per app, listed in a kustomization */
  | { kind: 'application-files'; siblings: RepoObject[] };

/** A folder new apps go into: a Flux namespace folder or an Argo CD category. */
export type AppsContainer = {
  path: string;
  name: string;
  registration: Registration;
};

/** An app the repository already has. */
export type AppEntry = {
  name: string;
  /** the app's folder */
  path: string;
  /** the folder of the manifests the cluster gets (Flux: the ks.yaml's spec.path) */
  manifestsPath: string;
  container: string;
  /** the Flux Kustomization, when Flux */
  ks?: RepoObject;
  /** the Argo CD Application (file) that deploys it, in application-files repositories */
  application?: RepoObject;
};

export type RepoLayout = {
  engine: Engine;
  /** the folder the containers live under */
  appsPath: string;
  containers: AppsContainer[];
  apps: AppEntry[];
  /** what was read, for the pull request */
  summary: string;
};

const parent = (p: string) =>
  p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
const clean = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');

function kustomizationOf(files: string[], dir: string) {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map(f => (dir ? `${dir}/${f}` : f))
    .find(f => files.includes(f));
}

/** Folders a kustomization lists as resources (not files). */
function listedFolders(text: string | undefined, dir: string, files: string[]) {
  if (!text) return [];
  const resources = parseDocument(text).toJS()?.resources;
  if (!Array.isArray(resources)) return [];
  return resources
    .map(r => clean(String(r)))
    .filter(r => !/\.ya?ml$/.test(r) && !r.includes('://'))
    .map(r => (dir ? `${dir}/${r}` : r))
    .filter(d => files.some(f => f.startsWith(`${d}/`)));
}

function fluxLayout(
  objects: RepoObject[],
  files: string[],
  appsPath: string,
): RepoLayout {
  const ks = ofKind(
    objects,
    'Kustomization',
    'kustomize.toolkit.fluxcd.io',
  ).filter(o => o.path.startsWith(`${appsPath}/`));
  const apps: AppEntry[] = ks
    .filter(o => o.dir.split('/').length >= appsPath.split('/').length + 2)
    .map(o => ({
      name: String(o.object.metadata?.name ?? baseName(o.dir)),
      path: o.dir,
      manifestsPath: clean(String(o.object.spec?.path ?? `${o.dir}/app`)),
      container: parent(o.dir),
      ks: o,
    }));
  const containers = childDirectories(files, appsPath).map(name => {
    const path = `${appsPath}/${name}`;
    return {
      path,
      name,
      registration: {
        kind: 'flux-namespace' as const,
        kustomization: kustomizationOf(files, path),
      },
    };
  });
  return {
    engine: 'flux',
    appsPath,
    containers,
    apps,
    summary: `Flux: ${apps.length} apps (Flux Kustomizations) in ${containers.length} namespace folders under ${appsPath}`,
  };
}

/** Every `directories` entry of an ApplicationSet's git generators, however nested. */
function gitDirectories(appset: RepoObject) {
  const out: Array<{ path: string; exclude: boolean }> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, any>;
      if (n.git && Array.isArray(n.git.directories)) {
        for (const d of n.git.directories) {
          if (d?.path)
            out.push({ path: clean(String(d.path)), exclude: !!d.exclude });
        }
      }
      Object.values(n).forEach(visit);
    }
  };
  visit(appset.object.spec?.generators);
  return out;
}

const sourcePaths = (app: RepoObject): string[] =>
  [app.object.spec?.source, ...(app.object.spec?.sources ?? [])]
    .map(s => s?.path)
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map(clean);

/** Whether a folder holds only Argo CD objects (an app-of-apps folder, not an app). */
function onlyArgo(objects: RepoObject[], dir: string) {
  const inside = objects.filter(
    o => o.dir === dir && o.object.kind !== 'Kustomization',
  );
  return (
    inside.length > 0 &&
    inside.every(o =>
      String(o.object.apiVersion ?? '').startsWith('argoproj.io/'),
    )
  );
}

function argoLayout(
  objects: RepoObject[],
  files: string[],
  texts: Map<string, string>,
  preferredAppsPath: string,
): RepoLayout {
  const containers = new Map<string, AppsContainer>();
  const apps = new Map<string, AppEntry>();
  const addApp = (
    path: string,
    container: string,
    application?: RepoObject,
  ) => {
    if (!files.some(f => f.startsWith(`${path}/`))) return;
    if (onlyArgo(objects, path)) return;
    apps.set(path, {
      name: baseName(path),
      path,
      manifestsPath: path,
      container,
      application,
    });
  };
  for (const appset of ofKind(objects, 'ApplicationSet')) {
    const dirs = gitDirectories(appset);
    const excluded = new Set(dirs.filter(d => d.exclude).map(d => d.path));
    for (const d of dirs.filter(x => !x.exclude)) {
      if (d.path.endsWith('/*')) {
        const path = d.path.slice(0, -2);
        if (!containers.has(path)) {
          containers.set(path, {
            path,
            name: baseName(path),
            registration: { kind: 'appset', appset },
          });
        }
        for (const child of childDirectories(files, path)) {
          if (!excluded.has(`${path}/${child}`))
            addApp(`${path}/${child}`, path);
        }
      } else {
        const k = kustomizationOf(files, d.path);
        const listed = listedFolders(k && texts.get(k), d.path, files);
        if (k && listed.length > 0) {
          containers.set(d.path, {
            path: d.path,
            name: baseName(d.path),
            registration: {
              kind: 'category-kustomization',
              kustomization: k,
              deployer: appset,
            },
          });
          listed.filter(l => !excluded.has(l)).forEach(l => addApp(l, d.path));
        } else addApp(d.path, parent(d.path));
      }
    }
  }
  const applicationFiles = new Map<string, RepoObject[]>();
  for (const application of ofKind(objects, 'Application', 'argoproj.io')) {
    for (const p of sourcePaths(application)) {
      if (!files.some(f => f.startsWith(`${p}/`))) continue;
      const k = kustomizationOf(files, p);
      const listed = listedFolders(k && texts.get(k), p, files);
      if (k && listed.length > 0 && !onlyArgo(objects, p)) {
        if (!containers.has(p)) {
          containers.set(p, {
            path: p,
            name: baseName(p),
            registration: {
              kind: 'category-kustomization',
              kustomization: k,
              deployer: application,
            },
          });
        }
        listed.forEach(l => addApp(l, p));
      } else if (!onlyArgo(objects, p)) {
        const container = parent(p);
        addApp(p, container, application);
        applicationFiles.set(container, [
          ...(applicationFiles.get(container) ?? []),
          application,
        ]);
      }
    }
  }
  for (const [path, siblings] of applicationFiles) {
    if (containers.has(path)) continue;
    containers.set(path, {
      path,
      name: baseName(path) || path,
      registration: { kind: 'application-files', siblings },
    });
  }
  // A folder of category folders (the top ApplicationSet's `k8s/apps/*`) is not where apps go.
  const list = [...containers.values()].filter(
    c =>
      [...apps.values()].some(a => a.container === c.path) ||
      childDirectories(files, c.path).every(
        d => !onlyArgo(objects, `${c.path}/${d}`),
      ),
  );
  const under = (root: string) =>
    list.filter(c => c.path.startsWith(`${root}/`) || c.path === root);
  const appsPath =
    preferredAppsPath && under(preferredAppsPath).length > 0
      ? preferredAppsPath
      : new Tally(
          list.map(c =>
            c.registration.kind === 'application-files'
              ? c.path
              : parent(c.path),
          ),
        ).mostCommon('containers')?.value ?? preferredAppsPath;
  return {
    engine: 'argocd',
    appsPath,
    containers: list.sort((a, b) => a.path.localeCompare(b.path)),
    apps: [...apps.values()].sort((a, b) => a.path.localeCompare(b.path)),
    summary: `Argo CD: ${apps.size} app folders in ${list.length} ${
      list.length === 1 ? 'folder' : 'folders'
    } (${[...new Set(list.map(c => c.registration.kind))].join(', ')})`,
  };
}

/**
 * Which GitOps engine runs the repository and where its apps are: Flux
 * Kustomizations under the Flux apps folder, or the folders Argo CD
 * ApplicationSets and Applications deploy. Undefined when it has neither
 * or both (the caller asks for the layout to be chosen).
 */
export function detectRepoLayout(
  objects: RepoObject[],
  files: string[],
  texts: Map<string, string>,
  options: { fluxAppsPath: string; argoAppsPath: string; engine?: Engine },
): { layout?: RepoLayout; both?: boolean } {
  const fluxApps = clean(options.fluxAppsPath);
  const isFlux =
    ofKind(objects, 'Kustomization', 'kustomize.toolkit.fluxcd.io').some(o =>
      o.path.startsWith(`${fluxApps}/`),
    ) || files.some(f => f.startsWith('kubernetes/flux/'));
  const argo = argoLayout(objects, files, texts, clean(options.argoAppsPath));
  const isArgo = argo.containers.length > 0;
  let engine = options.engine;
  if (!engine && isFlux !== isArgo) engine = isFlux ? 'flux' : 'argocd';
  if (engine === 'flux')
    return { layout: fluxLayout(objects, files, fluxApps) };
  if (engine === 'argocd') return { layout: argo };
  return { both: isFlux && isArgo };
}
