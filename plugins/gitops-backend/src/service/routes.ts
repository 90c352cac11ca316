import { RouteStatus } from '@homelab-portal/plugin-gitops-common';
import { gatewayStatus, routeStatus } from '../status/route';
import { Snapshot } from './Snapshot';

/** An app's HTTPRoutes and the Gateways they attach to, with their conditions. */
export function routesOf(s: Snapshot, app: string): RouteStatus[] {
  const routes = s.cluster.httproutes.filter(
    r => r.metadata.labels?.['backstage.io/kubernetes-id'] === app,
  );
  const parents = new Set(
    routes.flatMap(r =>
      (r.spec?.parentRefs ?? []).map(
        (p: any) => `${p.namespace ?? r.metadata.namespace}/${p.name}`,
      ),
    ),
  );
  return [
    ...routes.map(routeStatus),
    ...s.cluster.gateways
      .filter(g => parents.has(`${g.metadata.namespace}/${g.metadata.name}`))
      .map(gatewayStatus),
  ];
}
