import { RepoObject } from '../profile/repoObjects';

/** Gateway API routes that carry `spec.hostnames`. */
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

/** Hostname → the file that serves it. */
type Served = Map<string, string>;

function add(out: Served, host: unknown, path: string) {
  if (typeof host === 'string' && host && !out.has(host)) out.set(host, path);
}

/**
 * app-template values: `route.<name>.hostnames[]` (v3+) and the older
 * `ingress.<name>.hosts[].host`; `{{ .Release.Name }}` is the release's
 * name, as Helm renders it.
 */
function fromAppTemplateValues(
  values: any,
  release: string,
  out: Served,
  path: string,
) {
  const render = (h: unknown) =>
    typeof h === 'string'
      ? h.replace(/\{\{-?\s*\.Release\.Name\s*-?\}\}/g, release)
      : h;
  for (const route of Object.values<any>(values?.route ?? {}))
    for (const h of route?.hostnames ?? []) add(out, render(h), path);
  for (const ingress of Object.values<any>(values?.ingress ?? {}))
    for (const host of ingress?.hosts ?? []) add(out, render(host?.host), path);
}

/**
 * Every hostname something in the repository already serves, with the file
 * that serves it. The whole repository is read (the profile's objects),
 * whatever its layout or file names: Gateway API routes (HTTP, gRPC, TLS),
 * Ingresses (rules and TLS hosts), app-template HelmReleases (routes and
 * older ingresses), and Argo CD Applications carrying app-template values
 * inline.
 */
export function hostnamesInRepo(objects: RepoObject[]): Served {
  const out: Served = new Map();
  for (const { path, object } of objects) {
    const spec = object.spec ?? {};
    if (ROUTE_KINDS.has(object.kind)) {
      for (const h of spec.hostnames ?? []) add(out, h, path);
    } else if (object.kind === 'Ingress') {
      for (const rule of spec.rules ?? []) add(out, rule?.host, path);
      for (const tls of spec.tls ?? [])
        for (const h of tls?.hosts ?? []) add(out, h, path);
    } else if (object.kind === 'HelmRelease') {
      const release = spec.releaseName ?? object.metadata?.name ?? '';
      fromAppTemplateValues(spec.values, release, out, path);
    } else if (object.kind === 'Application') {
      const sources = [spec.source, ...(spec.sources ?? [])].filter(Boolean);
      for (const source of sources) {
        const helm = source.helm ?? {};
        fromAppTemplateValues(
          helm.valuesObject,
          helm.releaseName ?? object.metadata?.name ?? '',
          out,
          path,
        );
      }
    }
  }
  return out;
}
