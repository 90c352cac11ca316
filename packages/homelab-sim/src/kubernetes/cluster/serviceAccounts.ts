import { staticMeta } from './objectMeta';
import type { SourceContext } from './objectSources';

/**
 * `default` in every namespace (the ServiceAccount controller) and one per
 * workload, the name its pods run as (the charts create them).
 */
export function serviceAccounts({ t }: SourceContext) {
  const defaults = t.namespaces.map(ns => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: staticMeta(t, 'ServiceAccount', 'default', ns.name, ns.createdAt),
  }));
  const perWorkload = t.workloads.map(w => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      ...staticMeta(t, 'ServiceAccount', w.name, w.namespace, w.createdAt),
      labels: w.labels,
    },
    automountServiceAccountToken: true,
  }));
  return [...defaults, ...perWorkload];
}
