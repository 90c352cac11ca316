import { RepoSnapshot } from '../repo/RepoSnapshot';
import { readObjects } from '../layout/repoStyle';

/**
 * Every hostname a route in the repo already serves, with the file: raw
 * HTTPRoutes and app-template `route:` values alike.
 */
export async function hostnamesInRepo(
  repo: RepoSnapshot,
  roots: string[],
): Promise<Map<string, string>> {
  const files = (await repo.files()).filter(
    f =>
      roots.some(r => f.startsWith(`${r.replace(/\/$/, '')}/`)) &&
      /\.ya?ml$/.test(f),
  );
  const candidates = [];
  for (const f of files) {
    if (/(route|helmrelease)[^/]*\.ya?ml$/.test(f)) candidates.push(f);
  }
  const out = new Map<string, string>();
  for (const { path, object } of await readObjects(repo, candidates)) {
    if (object.kind === 'HTTPRoute') {
      for (const h of object.spec?.hostnames ?? []) out.set(String(h), path);
    }
    if (object.kind === 'HelmRelease') {
      for (const route of Object.values<any>(
        object.spec?.values?.route ?? {},
      )) {
        for (const h of route?.hostnames ?? []) out.set(String(h), path);
      }
    }
  }
  return out;
}
