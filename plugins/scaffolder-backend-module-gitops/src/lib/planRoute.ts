import { isMap, YAMLMap } from 'yaml';
import { GitopsConfig } from '../config';
import { AppLocation, findApp } from './layout/findApp';
import {
  readObjects,
  RepoObject,
  usesDocumentMarker,
} from './layout/repoStyle';
import { LayoutName, PlannedFile } from './layout/types';
import {
  editYaml,
  insertSorted,
  manifestFile,
  rootSeq,
  setKeySorted,
  withMarker,
} from './layout/yamlFiles';
import { RepoSnapshot } from './repo/RepoSnapshot';
import { hostnamesInRepo } from './route/hostnamesInRepo';
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
};

const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * An HTTPRoute for an existing app's Service: through app-template's
 * `route:` values when the app is an app-template HelmRelease (Flux), a raw
 * HTTPRoute file otherwise, always to the configured Gateway and checked
 * against the CRD (schema + CEL) before anything is written.
 */
export async function planRoute(
  openSnapshot: () => Promise<RepoSnapshot>,
  request: RouteRequest,
  config: GitopsConfig,
  problems: Problems,
): Promise<RoutePlan | undefined> {
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
  if (
    request.service !== undefined &&
    request.service !== '' &&
    !SERVICE_NAME.test(request.service)
  ) {
    problems.add(
      'service',
      'dns1035-label',
      `"${request.service}" is not a Service name`,
    );
  }
  const pathPrefix = request.pathPrefix || '/';
  // Fields first: a bad form never costs a clone.
  if (!problems.empty) return undefined;
  const repo = await openSnapshot();
  const app = await findApp(
    repo,
    config,
    request.app,
    request.layout,
    problems,
    request.namespace,
  );
  if (!app) return undefined;
  if (!checkAppNamespace(problems, app, config.reservedNamespaces))
    return undefined;
  const taken = (await hostnamesInRepo(repo)).get(request.hostname);
  if (taken) {
    problems.add(
      'hostname',
      'hostname-taken',
      `"${request.hostname}" is already served by ${taken}`,
    );
    return undefined;
  }
  const files = await repo.files();
  const objects = await readObjects(
    repo,
    files.filter(
      f => f.startsWith(`${app.manifestsPath}/`) && /\.ya?ml$/.test(f),
    ),
  );
  const existingRoute = objects.find(o => o.object.kind === 'HTTPRoute');
  if (existingRoute) {
    problems.add(
      'app',
      'route-exists',
      `"${app.name}" already has an HTTPRoute in ${existingRoute.path}; change that one instead`,
    );
    return undefined;
  }

  const release =
    app.layout === 'flux' ? appTemplateRelease(objects, config) : undefined;
  const plan = release
    ? routeThroughValues(app, release, request, gateway!, pathPrefix, problems)
    : await rawRoute(
        repo,
        files,
        app,
        objects,
        request,
        gateway!,
        pathPrefix,
        problems,
      );
  if (!plan) return undefined;
  for (const p of httpRouteValidator().validate(plan.route).problems) {
    problems.add(`route: ${p.field}`, p.rule, p.message);
  }
  return problems.empty ? plan : undefined;
}

/** The app's HelmRelease when it deploys the configured app-template chart. */
function appTemplateRelease(
  objects: RepoObject[],
  config: GitopsConfig,
): RepoObject | undefined {
  const ociNames = new Set(
    objects
      .filter(
        o =>
          o.object.kind === 'OCIRepository' &&
          o.object.spec?.url === config.flux.chartUrl,
      )
      .map(o => o.object.metadata?.name),
  );
  return objects.find(
    o =>
      o.object.kind === 'HelmRelease' &&
      ((o.object.spec?.chartRef?.kind === 'OCIRepository' &&
        ociNames.has(o.object.spec.chartRef.name)) ||
        o.object.spec?.chart?.spec?.chart === 'app-template'),
  );
}

function routeThroughValues(
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
  let id: string | undefined;
  if (request.service) {
    id = ids.find(
      i => i === request.service || serviceName(i) === request.service,
    );
  } else if (ids.length === 1) {
    id = ids[0];
  }
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
  const portNumbers = Object.values(ports).map(p => Number(p?.port));
  const port = request.port ?? Number(ports.http?.port ?? portNumbers[0]);
  if (!portNumbers.includes(port)) {
    problems.add(
      'port',
      'service-port',
      `Service ${serviceName(id)} has no port ${request.port ?? ''} (it has ${
        portNumbers.join(', ') || 'none'
      })`,
    );
    return undefined;
  }
  const needRules =
    ids.length > 1 || pathPrefix !== '/' || request.port !== undefined;
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
    setKeySorted(valuesNode, 'route', route, ['defaultPodOptions']);
  });
  return {
    mode: 'values',
    files: [{ path: release.path, content, action: 'update' }],
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
  };
}

async function rawRoute(
  repo: RepoSnapshot,
  files: string[],
  app: AppLocation,
  objects: RepoObject[],
  request: RouteRequest,
  gateway: GatewayRef,
  pathPrefix: string,
  problems: Problems,
): Promise<RoutePlan | undefined> {
  const services = objects.filter(o => o.object.kind === 'Service');
  const onlyService = services.length === 1 ? services[0] : undefined;
  const service = request.service
    ? services.find(s => s.object.metadata?.name === request.service)
    : onlyService;
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
  const servicePorts: number[] = (service?.object.spec?.ports ?? []).map(
    (p: any) => Number(p.port),
  );
  const port = request.port ?? servicePorts[0];
  if (service && !servicePorts.includes(port)) {
    problems.add(
      'port',
      'service-port',
      `Service ${service.object.metadata?.name} has no port ${port} (it has ${
        servicePorts.join(', ') || 'none'
      })`,
    );
    return undefined;
  }
  const route = buildHttpRoute({
    name: app.name,
    namespace: app.namespace,
    hostnames: [request.hostname],
    gateway,
    backend: { name: service?.object.metadata?.name ?? request.service!, port },
    pathPrefix,
    labels: { 'app.kubernetes.io/name': app.name },
  });
  // File name as the repo spells it (http-route.yaml in Argo repos, httproute.yaml in Flux ones).
  const spelled = files.filter(f => /\/(http-?route)\.ya?ml$/.test(f));
  const dashed = spelled.filter(f => f.endsWith('/http-route.yaml')).length;
  const preferDashed =
    spelled.length > 0 ? dashed * 2 >= spelled.length : app.layout === 'argocd';
  const fileName = preferDashed ? 'http-route.yaml' : 'httproute.yaml';
  const routePath = `${app.manifestsPath}/${fileName}`;
  if (files.includes(routePath)) {
    problems.add('app', 'route-exists', `${routePath} already exists`);
    return undefined;
  }
  const written =
    app.layout === 'flux'
      ? manifestFile(
          { ...route, metadata: { ...route.metadata, namespace: undefined } },
          'https://k8s-schemas.home-operations.com/gateway.networking.k8s.io/httproute_v1.json',
        )
      : withMarker(
          manifestFile(route),
          usesDocumentMarker(objects.map(o => o.text)),
        );
  const kustomization = (await repo.read(app.kustomizationPath))!;
  const registered = editYaml(kustomization, doc => {
    insertSorted(
      rootSeq(doc, 'resources'),
      app.layout === 'flux' ? `./${fileName}` : fileName,
      v => /\.ya?ml$/.test(v),
    );
  });
  return {
    mode: 'raw',
    files: [
      { path: routePath, content: written, action: 'create' },
      { path: app.kustomizationPath, content: registered, action: 'update' },
    ],
    route,
    gateway,
    app,
  };
}
