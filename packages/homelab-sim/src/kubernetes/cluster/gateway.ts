import { iso } from './identity';
import { resourceVersion } from './pods';
import { Topology, WorkloadPlan } from './topology';

type Obj = Record<string, any>;

/** Cilium's Gateway API controller (GatewayClass `cilium`, notes/gitops §2.5). */
export const GATEWAY_CONTROLLER = 'io.cilium/gateway-controller';
const GROUP = 'gateway.networking.k8s.io';

function gatewayFor(t: Topology, w: WorkloadPlan) {
  const gateways = t.scenario.kubernetes.gateways;
  return gateways.find(g => g.name === w.gateway) ?? gateways[0];
}

/**
 * The HTTPRoute an app with a hostname gets (notes/gitops §2.1): one parent
 * (the scenario's Gateway, HTTPS listener), host `<hostname>.<domain>`, one
 * rule to the app's Service, with the defaults the CRD schema applies
 * (reference/gateway-api httproutes v1.5.1) and status from Cilium.
 */
export function buildHttpRoute(t: Topology, w: WorkloadPlan): Obj | undefined {
  const gw = gatewayFor(t, w);
  if (!w.hostname || !gw) return undefined;
  const parentRef = {
    group: GROUP,
    kind: 'Gateway',
    name: gw.name,
    namespace: gw.namespace,
    sectionName: gw.sectionName,
  };
  const createdAt = w.createdAt + 30_000;
  const accepted = iso(createdAt + 2_000);
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: t.id.uid(`HTTPRoute:${w.key}`),
      resourceVersion: resourceVersion(
        t,
        createdAt + 2_000,
        t.id.unit(`rv:route:${w.key}`),
      ),
      generation: 1,
      creationTimestamp: iso(createdAt),
      labels: w.labels,
      annotations: {
        'meta.helm.sh/release-name': w.name,
        'meta.helm.sh/release-namespace': w.namespace,
      },
    },
    spec: {
      parentRefs: [parentRef],
      hostnames: [`${w.hostname}.${t.scenario.household.domain}`],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            {
              group: '',
              kind: 'Service',
              name: w.name,
              port: w.port,
              weight: 1,
            },
          ],
        },
      ],
    },
    status: {
      parents: [
        {
          parentRef,
          controllerName: GATEWAY_CONTROLLER,
          conditions: [
            {
              type: 'Accepted',
              status: 'True',
              observedGeneration: 1,
              lastTransitionTime: accepted,
              reason: 'Accepted',
              message: 'Accepted HTTPRoute',
            },
            {
              type: 'ResolvedRefs',
              status: 'True',
              observedGeneration: 1,
              lastTransitionTime: accepted,
              reason: 'ResolvedRefs',
              message: 'Service reference is valid',
            },
          ],
        },
      ],
    },
  };
}

/** The Secret a Gateway's HTTPS listener serves (cert-manager's gateway-shim names the Certificate after it). */
export function listenerSecret(
  t: Topology,
  gw: { certificateSecret?: string },
): string {
  return (
    gw.certificateSecret ??
    `${t.scenario.household.domain.replace(/\./g, '-')}-tls`
  );
}

/** Gateways from the scenario: HTTPS with a wildcard certificate, routes from every namespace. */
export function buildGateways(t: Topology): Obj[] {
  const domain = t.scenario.household.domain;
  const routes = t.workloads
    .map(w => buildHttpRoute(t, w))
    .filter(Boolean) as Obj[];
  return t.scenario.kubernetes.gateways.map((gw, i) => {
    const createdAt = t.clusterCreatedAt + 40 * 60_000 + i * 1000;
    const ok = iso(createdAt + 5_000);
    const attached = routes.filter(
      r => r.spec.parentRefs[0].name === gw.name,
    ).length;
    const address = `192.168.1.${60 + i}`;
    return {
      apiVersion: `${GROUP}/v1`,
      kind: 'Gateway',
      metadata: {
        name: gw.name,
        namespace: gw.namespace,
        uid: t.id.uid(`Gateway:${gw.namespace}/${gw.name}`),
        resourceVersion: resourceVersion(
          t,
          createdAt + 5_000,
          t.id.unit(`rv:gw:${gw.name}`),
        ),
        generation: 1,
        creationTimestamp: iso(createdAt),
      },
      spec: {
        gatewayClassName: 'cilium',
        addresses: [{ type: 'IPAddress', value: address }],
        listeners: [
          {
            name: gw.sectionName,
            hostname: `*.${domain}`,
            port: 443,
            protocol: 'HTTPS',
            tls: {
              mode: 'Terminate',
              certificateRefs: [
                {
                  group: '',
                  kind: 'Secret',
                  name: listenerSecret(t, gw),
                },
              ],
            },
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
      status: {
        addresses: [{ type: 'IPAddress', value: address }],
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            observedGeneration: 1,
            lastTransitionTime: ok,
            reason: 'Accepted',
            message: 'Gateway successfully scheduled',
          },
          {
            type: 'Programmed',
            status: 'True',
            observedGeneration: 1,
            lastTransitionTime: ok,
            reason: 'Programmed',
            message: 'Gateway successfully reconciled',
          },
        ],
        listeners: [
          {
            name: gw.sectionName,
            supportedKinds: [
              { group: GROUP, kind: 'HTTPRoute' },
              { group: GROUP, kind: 'GRPCRoute' },
            ],
            attachedRoutes: attached,
            conditions: [
              {
                type: 'Programmed',
                status: 'True',
                observedGeneration: 1,
                lastTransitionTime: ok,
                reason: 'Programmed',
                message: 'Listener Programmed',
              },
              {
                type: 'Accepted',
                status: 'True',
                observedGeneration: 1,
                lastTransitionTime: ok,
                reason: 'Accepted',
                message: 'Listener Accepted',
              },
              {
                type: 'ResolvedRefs',
                status: 'True',
                observedGeneration: 1,
                lastTransitionTime: ok,
                reason: 'ResolvedRefs',
                message: 'Resolved Refs',
              },
            ],
          },
        ],
      },
    };
  });
}

export function buildGatewayClass(t: Topology): Obj {
  const createdAt = t.clusterCreatedAt + 30 * 60_000;
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'GatewayClass',
    metadata: {
      name: 'cilium',
      uid: t.id.uid('GatewayClass:cilium'),
      resourceVersion: resourceVersion(t, createdAt, 0.4),
      generation: 1,
      creationTimestamp: iso(createdAt),
    },
    spec: {
      controllerName: GATEWAY_CONTROLLER,
      description: 'The default Cilium GatewayClass',
    },
    status: {
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          observedGeneration: 1,
          lastTransitionTime: iso(createdAt + 1_000),
          reason: 'Accepted',
          message: 'Valid GatewayClass',
        },
      ],
    },
  };
}
