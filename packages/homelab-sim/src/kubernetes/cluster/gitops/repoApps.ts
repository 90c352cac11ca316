import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import type { GitRepository } from '../../../forge/git/GitRepository';

/** One app as a GitOps repository declares it at one commit. */
export type RepoApp = {
  name: string;
  namespace: string;
  /** The app's folder in the repository. */
  folder: string;
  /** Changes whenever a file of the folder changes (a merge that touches the app). */
  digest: string;
  kind: 'Deployment' | 'StatefulSet';
  images: string[];
  port: number;
  /** Full host names of its route. */
  hostnames: string[];
  gateway?: string;
  /** Chart and version (Flux + app-template). */
  chart?: { name: string; version: string };
};

type Doc = Record<string, any>;

/**
 * YAML documents of blobs, by blob id. Blobs never change, so what was
 * parsed once is kept: a new revision reads and parses only its new files.
 */
export type BlobDocsCache = Map<string, Doc[]>;

async function readDocs(
  git: GitRepository,
  entries: { path: string; sha: string }[],
  cache: BlobDocsCache,
): Promise<Doc[]> {
  const yaml = entries.filter(x => /\.ya?ml$/.test(x.path));
  const missing = yaml.map(e => e.sha).filter(sha => !cache.has(sha));
  for (const [sha, blob] of await git.readBlobs(missing)) {
    const docs: Doc[] = [];
    for (const d of parseAllDocuments(blob.toString('utf8'))) {
      const value = d.toJS();
      if (value && typeof value === 'object') docs.push(value);
    }
    cache.set(sha, docs);
  }
  // Copies, so a reader cannot change what the cache holds.
  return yaml.flatMap(e => structuredClone(cache.get(e.sha)!));
}

/** Drops what the cache holds of files no longer in the repository. */
function forgetOthers(cache: BlobDocsCache, entries: { sha: string }[]) {
  const current = new Set(entries.map(e => e.sha));
  for (const sha of cache.keys()) if (!current.has(sha)) cache.delete(sha);
}

function digestOf(entries: { path: string; sha: string }[]) {
  const h = createHash('sha256');
  for (const e of [...entries].sort((a, b) => a.path.localeCompare(b.path)))
    h.update(`${e.path}\0${e.sha}\n`);
  return h.digest('hex').slice(0, 16);
}

/** What a HelmRelease of bjw-s' app-template deploys (its `values`). */
function fromHelmRelease(release: Doc) {
  const values = release.spec?.values ?? {};
  const images: string[] = [];
  let kind: RepoApp['kind'] = 'Deployment';
  for (const c of Object.values<Doc>(values.controllers ?? {})) {
    if (c.type === 'statefulset') kind = 'StatefulSet';
    for (const container of Object.values<Doc>(c.containers ?? {})) {
      const image = container.image;
      if (image?.repository) images.push(`${image.repository}:${image.tag}`);
    }
  }
  const ports = Object.values<Doc>(values.service ?? {}).flatMap(s =>
    Object.values<Doc>(s.ports ?? {}).map(p => Number(p.port)),
  );
  const routes = Object.values<Doc>(values.route ?? {});
  return {
    kind,
    images,
    port: ports[0] ?? 80,
    hostnames: routes.flatMap(r => r.hostnames ?? []),
    gateway: routes[0]?.parentRefs?.[0]?.name as string | undefined,
  };
}

/** What raw manifests (the Argo CD layout) deploy. */
function fromManifests(docs: Doc[]) {
  const workload = docs.find(d =>
    ['Deployment', 'StatefulSet'].includes(d.kind),
  );
  const route = docs.find(d => d.kind === 'HTTPRoute');
  const service = docs.find(d => d.kind === 'Service');
  return {
    kind: (workload?.kind ?? 'Deployment') as RepoApp['kind'],
    namespace: workload?.metadata?.namespace as string | undefined,
    images: (workload?.spec?.template?.spec?.containers ?? []).map(
      (c: Doc) => c.image as string,
    ),
    port: Number(service?.spec?.ports?.[0]?.port ?? 80),
    hostnames: (route?.spec?.hostnames ?? []) as string[],
    gateway: route?.spec?.parentRefs?.[0]?.name as string | undefined,
  };
}

/**
 * The apps of a Flux repository laid out like home-ops: every
 * `<appsPath>/<namespace>/<app>/ks.yaml` its namespace kustomization lists,
 * with the HelmRelease and OCIRepository under `<app>/app/`.
 */
async function fluxApps(
  git: GitRepository,
  commit: string,
  appsPath: string,
  cache: BlobDocsCache,
): Promise<RepoApp[]> {
  const all = (await git.lsTree(commit, { recursive: true, path: appsPath }))
    .filter(e => e.type === 'blob')
    .map(e => ({ path: e.path, sha: e.sha }));
  // Every file at once (one git process), then from the cache.
  await readDocs(git, all, cache);
  forgetOthers(cache, all);
  const apps: RepoApp[] = [];
  for (const ks of all.filter(e =>
    new RegExp(`^${appsPath}/[^/]+/[^/]+/ks\\.yaml$`).test(e.path),
  )) {
    const folder = ks.path.slice(0, -'/ks.yaml'.length);
    const [namespace, name] = folder.slice(appsPath.length + 1).split('/');
    const listing = all.find(
      e => e.path === `${appsPath}/${namespace}/kustomization.yaml`,
    );
    const [list] = listing ? await readDocs(git, [listing], cache) : [];
    if (!(list?.resources ?? []).includes(`./${name}/ks.yaml`)) continue;
    const files = all.filter(e => e.path.startsWith(`${folder}/`));
    const docs = await readDocs(git, files, cache);
    const release = docs.find(d => d.kind === 'HelmRelease');
    if (!release) continue;
    const source = docs.find(d => d.kind === 'OCIRepository');
    apps.push({
      name,
      namespace,
      folder,
      digest: digestOf(files),
      ...fromHelmRelease(release),
      chart: {
        name: String(source?.spec?.url ?? 'app-template')
          .split('/')
          .pop()!,
        version: String(source?.spec?.ref?.tag ?? ''),
      },
    });
  }
  return apps;
}

/**
 * The apps of an Argo CD repository laid out like vehagn/homelab: every
 * `<appsPath>/<category>/<app>/` folder with a kustomization (what the
 * category's ApplicationSet turns into one Application each).
 */
async function argoApps(
  git: GitRepository,
  commit: string,
  appsPath: string,
  cache: BlobDocsCache,
): Promise<RepoApp[]> {
  const all = (await git.lsTree(commit, { recursive: true, path: appsPath }))
    .filter(e => e.type === 'blob')
    .map(e => ({ path: e.path, sha: e.sha }));
  // Every file at once (one git process), then from the cache.
  await readDocs(git, all, cache);
  forgetOthers(cache, all);
  const apps: RepoApp[] = [];
  for (const k of all.filter(e =>
    new RegExp(`^${appsPath}/[^/]+/[^/]+/kustomization\\.yaml$`).test(e.path),
  )) {
    const folder = k.path.slice(0, -'/kustomization.yaml'.length);
    const [category, name] = folder.slice(appsPath.length + 1).split('/');
    const files = all.filter(e => e.path.startsWith(`${folder}/`));
    const found = fromManifests(await readDocs(git, files, cache));
    if (!found.images.length) continue;
    apps.push({
      name,
      folder,
      digest: digestOf(files),
      ...found,
      namespace: found.namespace ?? category,
    });
  }
  return apps;
}

export function readRepoApps(
  git: GitRepository,
  commit: string,
  layout: 'flux' | 'argocd',
  cache: BlobDocsCache = new Map(),
): Promise<RepoApp[]> {
  return layout === 'flux'
    ? fluxApps(git, commit, 'kubernetes/apps', cache)
    : argoApps(git, commit, 'k8s/apps', cache);
}
