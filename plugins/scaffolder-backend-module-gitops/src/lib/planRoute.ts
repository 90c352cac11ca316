import { isMap, YAMLMap } from 'yaml';
import { GitopsConfig } from '../config';
import { AppLocation, findApp } from './layout/findApp';
import { LayoutName, PlannedFile } from './layout/types';
import { registerResource } from './layout/register';
import { renderFile } from './layout/render';
import { editYaml, setKeySorted } from './layout/yamlFiles';
import { resourceKey } from './profile/kustomizations';
import { DocumentStyle } from './profile/documentStyle';
import { RepoObject } from './profile/repoObjects';
import { RepoProfile } from './profile/RepoProfile';
import { explain, presence, Tally } from './profile/tally';
import { hostnamesInRepo } from './route/hostnamesInRepo';
import { notHttp, ServicePortInfo } from './route/httpPort';
import {
  buildHttpRoute,
  GatewayRef,
  httpRouteValidator,
} from './route/httpRoute';
import { checkHostname } from './validation/hostname';
import {
  checkAppName,
  checkAppNamespace,
  checkNamespace,
  checkPort,
} from './validation/names';
import { Problems } from './validation/problems';

export type RouteRequest = {
  app: string;
  namespace?: string;
  hostname: string;
  exposure?: string;
  service?: string;
  port?: number;
  pathPrefix?: string;
  layout?: 'auto' | LayoutName;
};

export type RoutePlan = {
  mode: 'values' | 'raw';
  files: PlannedFile[];
  route: Record<string, unknown>;
  gateway: GatewayRef;
  app: AppLocation;
  notes: string[];
};

const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Checks the fields that need no repository. */
export function checkRouteRequest(
  request: RouteRequest,
  config: GitopsConfig,
  problems: Problems,
) {
  checkAppName(problems, 'app', request.app);
  if (request.namespace)
    checkNamespace(
      problems,
      'namespace',
      request.namespace,
      config.reservedNamespaces,
    );
  checkHostname(problems, 'hostname', request.hostname, config.allowedDomains);
  const exposure = request.exposure || 'internal';
  const gateway = config.gateways[exposure];
  if (!gateway) {
    problems.add(
      'exposure',
      'gateway',
      `"${exposure}" is not a configured Gateway; choose one of: ${
        Object.keys(config.gateways).join(', ') ||
        '(none in homelab.gitops.gateways)'
      }`,
    );
  }
  if (request.port !== undefined) checkPort(problems, 'port', request.port);
  if (request.service && !SERVICE_NAME.test(request.service)) {
    problems.add(
      'service',
      'dns1035-label',
      `"${request.service}" is not a Service name`,
    );
  }
  return gateway;
}

/** Refuses a port that does not speak HTTP: an HTTPRoute to it would answer nothing. */
function refuseNonHttp(
  app: AppLocation,
  service: string,
  port: ServicePortInfo,
  problems: Problems,
) {
  const why = notHttp(port);
  if (!why) return false;
  problems.add(
    'port',
    'port-not-http',
    `${app.name}'s Service ${service} port ${port.port}${
      port.name ? ` ("${port.name}")` : ''
    } does not speak HTTP (${why}): an HTTPRoute would send it HTTP requests it cannot answer. Expose it with a TCPRoute or a LoadBalancer Service instead, or choose a port that serves HTTP`,
  );
  return true;
}

/**
 * An HTTPRoute for an existing app's Service: through app-template's
 * `route:` values when the app is an app-template HelmRelease, a raw
 * HTTPRoute file written like the repository's others otherwise; always to
 * the configured Gateway, only to a port that speaks HTTP, and checked
 * against the CRD (schema + CEL) before anything is written.
 */
export function planRoute(
  profile: RepoProfile,
  request: RouteRequest,
  gateway: GatewayRef,
  config: GitopsConfig,
  problems: Problems,
): RoutePlan | undefined {
  const pathPrefix = request.pathPrefix || '/';
  const app = findApp(profile, request.app, problems, request.namespace);
  if (!app) return undefined;
  if (!checkAppNamespace(problems, app, config.reservedNamespaces))
    return undefined;
  const taken = hostnamesInRepo(profile.objects).get(request.hostname);
  if (taken) {
    problems.add(
      'hostname',
      'hostname-taken',
      `"${request.hostname}" is already served by ${taken}`,
    );
    return undefined;
  }
  const objects = profile.objects.filter(o => o.dir === app.manifestsPath);
  const existingRoute = objects.find(o => o.object.kind === 'HTTPRoute');
  if (existingRoute) {
    problems.add(
      'app',
      'route-exists',
      `"${app.name}" already has an HTTPRoute in ${existingRoute.path}; change that one instead`,
    );
    return undefined;
  }
  const chartName = config.flux.chartUrl.slice(
    config.flux.chartUrl.lastIndexOf('/') + 1,
  );
  // Through the chart's route: values only when the app is a release of that chart.
  const release = profile.charts.find(
    c => c.chart === chartName && objects.includes(c.release),
  )?.release;
  const plan = release
    ? routeThroughValues(
        profile,
        app,
        release,
        request,
        gateway,
        pathPrefix,
        problems,
      )
    : rawRoute(profile, app, objects, request, gateway, pathPrefix, problems);
  if (!plan) return undefined;
  for (const p of httpRouteValidator().validate(plan.route).problems) {
    problems.add(`route: ${p.field}`, p.rule, p.message);
  }
  return problems.empty ? plan : undefined;
}

function routeThroughValues(
  profile: RepoProfile,
  app: AppLocation,
  release: RepoObject,
  request: RouteRequest,
  gateway: GatewayRef,
  pathPrefix: string,
  problems: Problems,
): RoutePlan | undefined {
  const values = release.object.spec?.values ?? {};
  if (values.route && Object.keys(values.route).length > 0) {
    problems.add(
      'app',
      'route-exists',
      `"${app.name}" already has routes in ${release.path} (route.${Object.keys(
        values.route,
      ).join(', route.')}); change them instead`,
    );
    return undefined;
  }
  const services: Record<string, any> = values.service ?? {};
  const ids = Object.keys(services);
  const releaseName = release.object.metadata?.name ?? app.name;
  const serviceName = (id: string) =>
    ids.length === 1 ? releaseName : `${releaseName}-${id}`;
  let id = ids.length === 1 ? ids[0] : undefined;
  if (request.service)
    id = ids.find(
      i => i === request.service || serviceName(i) === request.service,
    );
  if (!id) {
    problems.add(
      'service',
      'service-not-found',
      ids.length === 0
        ? `${release.path} defines no service in its values`
        : `choose the Service to route to: ${ids.map(serviceName).join(', ')}`,
    );
    return undefined;
  }
  const ports: Record<string, any> = services[id]?.ports ?? {};
  const entries = Object.entries(ports).map(([name, p]) => ({
    name,
    port: Number(p?.port),
    protocol: p?.protocol,
    appProtocol: p?.appProtocol,
  }));
  const chosen =
    request.port !== undefined
      ? entries.find(e => e.port === request.port)
      : entries.find(e => e.name === 'http') ?? entries[0];
  if (!chosen) {
    problems.add(
      'port',
      'service-port',
      `Service ${serviceName(id)} has no port ${request.port ?? ''} (it has ${
        entries.map(e => e.port).join(', ') || 'none'
      })`,
    );
    return undefined;
  }
  if (refuseNonHttp(app, serviceName(id), chosen, problems)) return undefined;
  const port = chosen.port;
  const routed = profile.appTemplate?.routeRules;
  const needRules =
    ids.length > 1 ||
    pathPrefix !== '/' ||
    request.port !== undefined ||
    routed?.value === true;
  const notes = routed
    ? [`route ${needRules ? 'with' : 'without'} rules: ${explain(routed)}`]
    : [];
  const routeValues = {
    hostnames: [request.hostname],
    parentRefs: [
      {
        name: gateway.name,
        namespace: gateway.namespace,
        ...(gateway.sectionName && { sectionName: gateway.sectionName }),
      },
    ],
    ...(needRules && {
      rules: [
        {
          ...(pathPrefix !== '/' && {
            matches: [{ path: { type: 'PathPrefix', value: pathPrefix } }],
          }),
          backendRefs: [{ identifier: id, port }],
        },
      ],
    }),
  };
  const content = editYaml(release.text, doc => {
    const valuesNode = doc.getIn(['spec', 'values'], true);
    if (!isMap(valuesNode)) throw new Error('spec.values is not a map');
    const route = new YAMLMap();
    route.set('app', doc.createNode(routeValues));
    setKeySorted(valuesNode, 'route', route, ['defaultPodOptions'], keys =>
      profile.appTemplate?.helmReleaseStyle.placeKey(
        ['spec', 'values'],
        keys,
        'route',
      ),
    );
  });
  return {
    mode: 'values',
    files: [
      {
        path: release.path,
        content,
        action: 'update',
        reason: `route.app: https://${request.hostname}`,
      },
    ],
    route: buildHttpRoute({
      name: releaseName,
      namespace: app.namespace,
      hostnames: [request.hostname],
      gateway,
      backend: { name: serviceName(id), port },
      pathPrefix,
    }),
    gateway,
    app,
    notes,
  };
}

function rawRoute(
  profile: RepoProfile,
  app: AppLocation,
  objects: RepoObject[],
  request: RouteRequest,
  gateway: GatewayRef,
  pathPrefix: string,
  problems: Problems,
): RoutePlan | undefined {
  const services = objects.filter(o => o.object.kind === 'Service');
  let service = services.length === 1 ? services[0] : undefined;
  if (request.service)
    service = services.find(s => s.object.metadata?.name === request.service);
  if (!service && !(request.service && request.port)) {
    problems.add(
      'service',
      'service-not-found',
      services.length === 0
        ? `no Service manifest in ${app.manifestsPath}; give the Service name and port`
        : `choose the Service to route to: ${services
            .map(s => s.object.metadata?.name)
            .join(', ')}`,
    );
    return undefined;
  }
  const servicePorts: ServicePortInfo[] = (
    service?.object.spec?.ports ?? []
  ).map((p: any) => ({
    port: Number(p.port),
    name: p.name,
    targetPort: p.targetPort,
    protocol: p.protocol,
    appProtocol: p.appProtocol,
  }));
  const chosen =
    request.port !== undefined
      ? servicePorts.find(p => p.port === request.port)
      : servicePorts[0];
  if (service && !chosen) {
    problems.add(
      'port',
      'service-port',
      `Service ${service.object.metadata?.name} has no port ${
        request.port
      } (it has ${servicePorts.map(p => p.port).join(', ') || 'none'})`,
    );
    return undefined;
  }
  const serviceName = service?.object.metadata?.name ?? request.service!;
  if (
    refuseNonHttp(app, serviceName, chosen ?? { port: request.port! }, problems)
  )
    return undefined;
  const port = chosen?.port ?? request.port!;

  // Written like the repository's other HTTPRoutes.
  const routes = profile.objects.filter(o => o.object.kind === 'HTTPRoute');
  const style = new DocumentStyle();
  for (const r of routes) style.learn(r, r.object.metadata?.name);
  const labels = presence(
    routes.map(r => !!r.object.metadata?.labels),
    'HTTPRoutes',
  );
  const matches = presence(
    routes.map(r => (r.object.spec?.rules ?? []).some((x: any) => x?.matches)),
    'HTTPRoutes',
  );
  const explicit = presence(
    objects
      .filter(o => o.object.kind !== 'Kustomization')
      .map(o => !!o.object.metadata?.namespace),
    `manifests of ${app.name}`,
  );
  const notes =
    routes.length > 0
      ? [
          `route ${labels.value ? 'with' : 'without'} labels: ${explain(
            labels,
          )}`,
          `route ${
            matches.value ? 'with' : 'without'
          } a PathPrefix / match: ${explain(matches)}`,
        ]
      : [];
  const route = buildHttpRoute({
    name: app.name,
    namespace: app.namespace,
    hostnames: [request.hostname],
    gateway,
    backend: { name: serviceName, port },
    pathPrefix,
    labels: labels.value ? { 'app.kubernetes.io/name': app.name } : undefined,
    matches: routes.length === 0 || matches.value,
  });
  const fileName =
    new Tally(routes.map(r => r.path.slice(r.dir.length + 1))).mostCommon(
      'HTTPRoute files',
    )?.value ??
    (app.layout === 'argocd' ? 'http-route.yaml' : 'httproute.yaml');
  const routePath = `${app.manifestsPath}/${fileName}`;
  if (profile.files.includes(routePath)) {
    problems.add('app', 'route-exists', `${routePath} already exists`);
    return undefined;
  }
  const written = renderFile(
    explicit.value
      ? route
      : { ...route, metadata: { ...route.metadata, namespace: undefined } },
    style,
    {
      name: app.name,
      schema:
        app.layout === 'flux'
          ? 'https://k8s-schemas.home-operations.com/gateway.networking.k8s.io/httproute_v1.json'
          : undefined,
    },
  );
  const kustomization = profile.objects.find(
    o => o.path === app.kustomizationPath,
  )!;
  const dotted = (kustomization.object.resources ?? []).some((r: string) =>
    String(r).startsWith('./'),
  );
  const entry = dotted ? `./${fileName}` : fileName;
  return {
    mode: 'raw',
    files: [
      {
        path: routePath,
        content: written,
        action: 'create',
        reason: `the HTTPRoute https://${request.hostname}`,
      },
      {
        path: app.kustomizationPath,
        content: registerResource(
          kustomization.text,
          entry,
          profile.kustomizations.order,
          e => resourceKey(e, app.name),
        ),
        action: 'update',
        reason: `registers ${entry}`,
      },
    ],
    route,
    gateway,
    app,
    notes,
  };
}
