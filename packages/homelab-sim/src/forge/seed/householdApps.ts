import { App, Scenario } from '../../scenario/schema';

/** One app as a GitOps repository holds it: a folder with one or more workloads. */
export type GitopsApp = {
  /** Folder and release name: the catalog entity's name (`kubernetesId`). */
  name: string;
  namespace: string;
  /** Workloads of the app; the one with the route comes first. */
  workloads: (App & { controller: string })[];
  /** Full host name when the app has a route. */
  hostname?: string;
  gateway?: { name: string; namespace: string; sectionName: string };
};

/**
 * The household's apps from the scenario, grouped per catalog entity (Immich's
 * server and machine-learning workloads are one app with two controllers), in
 * the namespaces the scenario lists under `forge.appNamespaces`.
 */
export function householdApps(scenario: Scenario): GitopsApp[] {
  const wanted = scenario.forge.appNamespaces;
  const byId = new Map<string, App[]>();
  for (const app of scenario.kubernetes.apps) {
    if (wanted && !wanted.includes(app.namespace)) continue;
    const key = `${app.namespace}/${app.kubernetesId}`;
    byId.set(key, [...(byId.get(key) ?? []), app]);
  }
  const out: GitopsApp[] = [];
  for (const list of byId.values()) {
    const name = list[0].kubernetesId;
    const ordered = [...list].sort(
      (a, b) => Number(!!b.hostname) - Number(!!a.hostname),
    );
    const routed = ordered.find(w => w.hostname);
    const gateway = routed
      ? scenario.kubernetes.gateways.find(g => g.name === routed.gateway)
      : undefined;
    out.push({
      name,
      namespace: list[0].namespace,
      workloads: ordered.map(w => ({
        ...w,
        // app-template names a controller's objects `<release>-<controller>`,
        // or just `<release>` when the two are equal.
        controller: controllerName(name, w.name),
      })),
      hostname: routed?.hostname
        ? `${routed.hostname}.${scenario.household.domain}`
        : undefined,
      gateway,
    });
  }
  return out.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

function controllerName(app: string, workload: string): string {
  if (workload === app) return app;
  return workload.startsWith(`${app}-`)
    ? workload.slice(app.length + 1)
    : workload;
}

/** `ghcr.io/org/app:v1.2.3` → repository and tag. */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  if (at < 0 || at < image.lastIndexOf('/'))
    return { repository: image, tag: 'latest' };
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/** The previous patch release (`v2.6.3` → `v2.6.2`), for seeded Renovate history; undefined if none. */
export function previousPatch(tag: string): string | undefined {
  const m = /^(.*?)(\d+)((?:-ls\d+)?)$/.exec(tag);
  if (!m) return undefined;
  const n = Number(m[2]);
  if (n === 0) return undefined;
  return `${m[1]}${n - 1}${m[3]}`;
}

/** Name of a workload's main port. */
export function portName(port: number): string {
  return port === 1883 ? 'mqtt' : 'http';
}
