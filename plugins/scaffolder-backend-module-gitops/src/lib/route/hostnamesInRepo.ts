import { RepoObject } from '../profile/repoObjects';

/**
 * Every hostname the repository already serves, with the file: raw
 * HTTPRoutes, Ingresses, and app-template `route:` / `ingress:` values,
 * anywhere in the repository.
 */
export function hostnamesInRepo(objects: RepoObject[]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (h: unknown, path: string) => {
    if (typeof h === 'string' && h) out.set(h, path);
  };
  for (const { path, object } of objects) {
    if (object.kind === 'HTTPRoute') {
      for (const h of object.spec?.hostnames ?? []) add(h, path);
    } else if (object.kind === 'Ingress') {
      for (const rule of object.spec?.rules ?? []) add(rule?.host, path);
    } else if (object.kind === 'HelmRelease') {
      const values = object.spec?.values ?? {};
      for (const route of Object.values<any>(values.route ?? {})) {
        for (const h of route?.hostnames ?? []) add(h, path);
      }
      for (const ingress of Object.values<any>(values.ingress ?? {})) {
        for (const host of ingress?.hosts ?? []) add(host?.host, path);
      }
    }
  }
  return out;
}
