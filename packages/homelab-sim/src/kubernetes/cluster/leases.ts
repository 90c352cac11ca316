import { isoMicro } from './identity';
import { staticMeta } from './objectMeta';
import { resourceVersion } from './pods';
import type { SourceContext } from './objectSources';

const RENEW_MS = 10_000;

/**
 * Leases that renew while you watch: each node's heartbeat in
 * kube-node-lease (every 10 s, 40 s duration) and the controller-manager's
 * and scheduler's leader election in kube-system, held by the control plane.
 */
export function leases({ t, now }: SourceContext) {
  const renewed = Math.floor(now / RENEW_MS) * RENEW_MS;
  const lease = (
    name: string,
    namespace: string,
    holder: string,
    duration: number,
    createdAt: number,
    extra: Record<string, unknown> = {},
  ) => {
    const base = staticMeta(t, 'Lease', name, namespace, createdAt);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...base,
        resourceVersion: resourceVersion(
          t,
          renewed,
          t.id.unit(`rv:lease:${namespace}/${name}`),
        ),
      },
      spec: {
        holderIdentity: holder,
        leaseDurationSeconds: duration,
        renewTime: isoMicro(renewed),
        ...extra,
      },
    };
  };
  const cp = t.nodes.find(n => n.role === 'controlplane') ?? t.nodes[0];
  const leader = `${cp.name}_${t.id.uid(`leader:${cp.name}`)}`;
  return [
    ...t.nodes.map(n =>
      lease(n.name, 'kube-node-lease', n.name, 40, n.createdAt),
    ),
    ...['kube-controller-manager', 'kube-scheduler'].map(name =>
      lease(name, 'kube-system', leader, 15, t.clusterCreatedAt, {
        acquireTime: isoMicro(cp.bootedAt + 30_000),
        leaseTransitions: 3,
      }),
    ),
  ];
}
