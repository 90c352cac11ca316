import type { RouteStatus } from '@homelab-portal/plugin-gitops-common';
import type { KubeObject } from '../service/clusterAccess';
import { Verdict } from './conditions';

/** An HTTPRoute's hosts and, per parent Gateway, its conditions. */
export function routeStatus(route: KubeObject): RouteStatus {
  return {
    kind: 'HTTPRoute',
    name: route.metadata.name,
    namespace: route.metadata.namespace ?? '',
    hostnames: route.spec?.hostnames ?? [],
    parents: (route.status?.parents ?? []).map((p: any) => ({
      name: `${p.parentRef.namespace ?? route.metadata.namespace}/${
        p.parentRef.name
      }${p.parentRef.sectionName ? `#${p.parentRef.sectionName}` : ''}`,
      conditions: (p.conditions ?? []).map((c: any) => ({
        type: c.type,
        status: c.status,
        reason: c.reason ?? '',
        message: c.message ?? '',
      })),
    })),
  };
}

/** A Gateway's listeners and their conditions, plus its own. */
export function gatewayStatus(gateway: KubeObject): RouteStatus {
  const own = (gateway.status?.conditions ?? []).map((c: any) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? '',
    message: c.message ?? '',
  }));
  return {
    kind: 'Gateway',
    name: gateway.metadata.name,
    namespace: gateway.metadata.namespace ?? '',
    hostnames: (gateway.spec?.listeners ?? [])
      .map((l: any) => l.hostname)
      .filter(Boolean),
    parents: [
      { name: 'Gateway', conditions: own },
      ...(gateway.status?.listeners ?? []).map((l: any) => ({
        name: `listener ${l.name} (${l.attachedRoutes} routes)`,
        conditions: (l.conditions ?? []).map((c: any) => ({
          type: c.type,
          status: c.status,
          reason: c.reason ?? '',
          message: c.message ?? '',
        })),
      })),
    ],
  };
}

/**
 * The app's routes: done when every parent Gateway accepted them and their
 * backends resolved (Gateway API `Accepted` and `ResolvedRefs`); failed with
 * the condition's reason otherwise; a route no controller has answered yet
 * is in progress. No route: the app is reachable in the cluster only.
 */
export function routeVerdict(routes: KubeObject[]): Verdict {
  if (!routes.length)
    return {
      state: 'done',
      message: 'No HTTPRoute: the app is reachable inside the cluster only',
      facts: [],
    };
  const facts: Verdict['facts'] = [];
  for (const route of routes.map(routeStatus)) {
    if (!route.parents.length)
      return {
        state: 'in-progress',
        message: `HTTPRoute ${route.name}: no Gateway has answered yet`,
        facts,
      };
    for (const parent of route.parents) {
      for (const type of ['Accepted', 'ResolvedRefs']) {
        const c = parent.conditions.find(x => x.type === type);
        facts.push({
          label: `${parent.name} ${type}`,
          value: c?.status ?? '—',
        });
        if (c?.status === 'False')
          return {
            state: 'failed',
            message: `HTTPRoute ${route.name} on ${parent.name}: ${type}=False (${c.reason}): ${c.message}`,
            facts,
          };
        if (c?.status !== 'True')
          return {
            state: 'in-progress',
            message: `HTTPRoute ${route.name} on ${parent.name}: ${type} is ${
              c?.status ?? 'not reported'
            } yet`,
            facts,
          };
      }
    }
  }
  const hosts = routes.flatMap(r => r.spec?.hostnames ?? []);
  return {
    state: 'done',
    message: `${hosts.map(h => `https://${h}`).join(', ')}: accepted by ${routes
      .flatMap(r => (r.status?.parents ?? []).map((p: any) => p.parentRef.name))
      .join(', ')}`,
    facts,
  };
}
