import type { KubeObject } from './ClusterModel';
import { staticMeta } from './objectMeta';
import type { SourceContext } from './objectSources';

type Address = { ip: string; nodeName?: string; pod?: KubeObject };

const isReady = (p: KubeObject) =>
  p.status?.conditions?.some(
    (c: { type: string; status: string }) =>
      c.type === 'Ready' && c.status === 'True',
  );

/** A Service port's target as a number, resolving a named targetPort on the pod. */
function targetPort(
  port: { targetPort?: number | string; port: number },
  pod?: KubeObject,
) {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const c of pod?.spec?.containers ?? []) {
    const found = (c.ports ?? []).find(
      (p: { name?: string }) => p.name === target,
    );
    if (found) return found.containerPort as number;
  }
  return undefined;
}

/**
 * The Endpoints and EndpointSlice controllers' output for every Service:
 * ready pods as addresses, others as not ready; the API server's own
 * `kubernetes` Service points at the control-plane nodes.
 */
export function endpointsOf({ t, objects }: SourceContext): KubeObject[] {
  const pods = objects.get('pods') ?? [];
  const out: KubeObject[] = [];
  for (const svc of objects.get('services') ?? []) {
    const { name, namespace, uid } = svc.metadata as {
      name: string;
      namespace: string;
      uid: string;
    };
    let members: (Address & { ready: boolean })[];
    if (svc.spec.selector) {
      members = pods
        .filter(
          p =>
            p.metadata.namespace === namespace &&
            p.status?.podIP &&
            Object.entries(svc.spec.selector).every(
              ([k, v]) => p.metadata.labels?.[k] === v,
            ),
        )
        .map(p => ({
          ip: p.status.podIP,
          nodeName: p.spec.nodeName,
          pod: p,
          ready: Boolean(isReady(p)),
        }));
    } else if (name === 'kubernetes' && namespace === 'default') {
      members = t.nodes
        .filter(n => n.role === 'controlplane')
        .map(n => ({ ip: n.ip, ready: true }));
    } else {
      continue;
    }
    const ports = (svc.spec.ports ?? []).map(
      (p: { name?: string; port: number; protocol?: string }) => ({
        ...(p.name && { name: p.name }),
        port: targetPort(p, members[0]?.pod) ?? p.port,
        protocol: p.protocol ?? 'TCP',
      }),
    );
    const ref = (m: Address) =>
      m.pod && {
        targetRef: {
          kind: 'Pod',
          namespace,
          name: m.pod.metadata.name,
          uid: m.pod.metadata.uid,
        },
      };
    const address = (m: Address) => ({
      ip: m.ip,
      ...(m.nodeName && { nodeName: m.nodeName }),
      ...ref(m),
    });
    const created = Date.parse(svc.metadata.creationTimestamp as string);
    // Written again whenever a member pod changes.
    const written = <M extends { resourceVersion: string }>(m: M): M => ({
      ...m,
      resourceVersion: String(
        Math.max(
          Number(m.resourceVersion),
          ...members.map(x => Number(x.pod?.metadata.resourceVersion ?? 0)),
        ),
      ),
    });
    const ready = members.filter(m => m.ready);
    const notReady = members.filter(m => !m.ready);
    out.push({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...written(staticMeta(t, 'Endpoints', name, namespace, created)),
        labels: svc.metadata.labels,
      },
      subsets: members.length
        ? [
            {
              ...(ready.length && { addresses: ready.map(address) }),
              ...(notReady.length && {
                notReadyAddresses: notReady.map(address),
              }),
              ports,
            },
          ]
        : [],
    });
    out.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        ...written(
          staticMeta(
            t,
            'EndpointSlice',
            `${name}-${t.id.suffix(`eps:${namespace}/${name}`)}`,
            namespace,
            created,
          ),
        ),
        labels: {
          ...svc.metadata.labels,
          'endpointslice.kubernetes.io/managed-by':
            'endpointslice-controller.k8s.io',
          'kubernetes.io/service-name': name,
        },
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name,
            uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: 'IPv4',
      endpoints: members.map(m => ({
        addresses: [m.ip],
        conditions: { ready: m.ready, serving: m.ready, terminating: false },
        ...(m.nodeName && { nodeName: m.nodeName }),
        ...ref(m),
      })),
      ports,
    });
  }
  return out;
}
