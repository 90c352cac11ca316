import { isMap, parseDocument } from 'yaml';
import { Problems } from '../validation/problems';
import { appTemplateTag } from '../validation/image';
import { childDirectories, RepoSnapshot } from '../repo/RepoSnapshot';
import { buildHttpRoute } from '../route/httpRoute';
import { catalogInfoFile, labelsKubernetesId } from './catalogInfo';
import {
  compareVersions,
  conventions,
  mostCommon,
  readObjects,
  RepoObject,
  schemaFor,
  sortKeys,
} from './repoStyle';
import {
  AppPlan,
  AppSpec,
  FluxLayoutConfig,
  PlannedFile,
  SCHEMAS,
} from './types';
import { editYaml, insertSorted, manifestFile, rootSeq } from './yamlFiles';

const KS_ENTRY = /^\.\/[^/]+\/ks\.ya?ml$/;

/**
 * The Flux "home-ops" layout (onedr0p/cluster-template, bjw-s-labs/home-ops):
 * kubernetes/apps/<namespace>/<app>/ks.yaml + app/{kustomization,
 * ocirepository,helmrelease}.yaml with the bjw-s app-template chart, the route
 * through the chart's `route:` values, registered in the namespace's
 * kustomization.yaml. Conventions the repo already has (chart version,
 * intervals, sourceRef, schema comments, namespace folder shape) are copied.
 */
export async function planFluxApp(
  repo: RepoSnapshot,
  app: AppSpec,
  config: FluxLayoutConfig,
  problems: Problems,
): Promise<AppPlan | undefined> {
  const files = await repo.files();
  const appsPath = config.appsPath.replace(/\/$/, '');
  const nsPath = `${appsPath}/${app.namespace}`;
  const appPath = `${nsPath}/${app.name}`;

  // Flux Kustomization and HelmRelease names are per app: refuse a second one.
  const existing = childDirectories(files, appsPath).filter(ns =>
    files.some(f => f.startsWith(`${appsPath}/${ns}/${app.name}/`)),
  );
  if (existing.length > 0) {
    problems.add(
      'name',
      'app-exists',
      `an app named "${app.name}" already exists in the repository at ${existing
        .map(ns => `${appsPath}/${ns}/${app.name}`)
        .join(', ')}; pick another name or change that app instead`,
    );
    return undefined;
  }

  const yamlUnderApps = files.filter(
    f => f.startsWith(`${appsPath}/`) && /\.ya?ml$/.test(f),
  );
  const ksFiles = yamlUnderApps.filter(f => /\/ks\.ya?ml$/.test(f));
  const ociFiles = files.filter(
    f => f.startsWith('kubernetes/') && /ocirepository\.ya?ml$/.test(f),
  );
  const [ksObjects, ociObjects, hrObjects] = await Promise.all([
    readObjects(repo, ksFiles.slice(0, 60)),
    readObjects(repo, ociFiles),
    readObjects(
      repo,
      yamlUnderApps.filter(f => /helmrelease\.ya?ml$/.test(f)).slice(0, 60),
    ),
  ]);

  // The chart version: what the repo's other apps use (Renovate keeps it current).
  const charts = ociObjects.filter(
    o =>
      o.object.kind === 'OCIRepository' &&
      o.object.spec?.url === config.chartUrl,
  );
  const chartVersion =
    mostCommon(
      charts.map(c => String(c.object.spec?.ref?.tag ?? '')).filter(Boolean),
      compareVersions,
    ) ?? config.defaultChartVersion;
  if (!chartVersion) {
    problems.add(
      'repoUrl',
      'chart-version',
      `no app in ${repo.description} uses ${config.chartUrl} yet, and homelab.gitops.flux.defaultChartVersion is not set; set it so the new app gets a known chart version`,
    );
    return undefined;
  }

  const fluxKs = ksObjects.filter(
    o =>
      o.object.kind === 'Kustomization' &&
      o.object.apiVersion?.startsWith('kustomize.toolkit.fluxcd.io/'),
  );
  const ks = fluxKustomization(app, appPath, fluxKs);
  const oci = ociRepository(app, chartVersion, config.chartUrl, charts);
  const hr = helmRelease(app, hrObjects);

  const planned: PlannedFile[] = [];
  const schemas = {
    ks: await schemaFor(repo, files, 'ks.yaml', SCHEMAS.fluxKustomization),
    kustomization: await schemaFor(
      repo,
      files,
      'kustomization.yaml',
      SCHEMAS.kustomization,
    ),
    oci: await schemaFor(
      repo,
      files,
      'ocirepository.yaml',
      SCHEMAS.ocirepository,
    ),
    hr: await schemaFor(repo, files, 'helmrelease.yaml', SCHEMAS.helmrelease),
  };
  planned.push(
    {
      path: `${appPath}/ks.yaml`,
      content: manifestFile(ks, schemas.ks),
      action: 'create',
    },
    {
      path: `${appPath}/app/kustomization.yaml`,
      content: manifestFile(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['./helmrelease.yaml', './ocirepository.yaml'],
        },
        schemas.kustomization,
      ),
      action: 'create',
    },
    {
      path: `${appPath}/app/ocirepository.yaml`,
      content: manifestFile(oci, schemas.oci),
      action: 'create',
    },
    {
      path: `${appPath}/app/helmrelease.yaml`,
      content: manifestFile(hr, schemas.hr),
      action: 'create',
    },
  );

  // Register the app in its namespace folder, or create that folder.
  const nsKustomizationPath = [
    `${nsPath}/kustomization.yaml`,
    `${nsPath}/kustomization.yml`,
  ].find(p => files.includes(p));
  let namespaceCreated = false;
  if (nsKustomizationPath) {
    const text = (await repo.read(nsKustomizationPath))!;
    let updated: string;
    try {
      updated = editYaml(text, doc => {
        insertSorted(rootSeq(doc, 'resources'), `./${app.name}/ks.yaml`, v =>
          KS_ENTRY.test(v),
        );
      });
    } catch (error) {
      problems.add(
        'namespace',
        'namespace-kustomization',
        `${nsKustomizationPath} cannot be edited: ${(error as Error).message}`,
      );
      return undefined;
    }
    planned.push({
      path: nsKustomizationPath,
      content: updated,
      action: 'update',
    });
  } else {
    namespaceCreated = true;
    planned.push(
      ...(await newNamespaceFolder(
        repo,
        files,
        appsPath,
        app,
        schemas.kustomization,
      )),
    );
    // Some repos list namespace folders in kubernetes/apps/kustomization.yaml.
    const top = [
      `${appsPath}/kustomization.yaml`,
      `${appsPath}/kustomization.yml`,
    ].find(p => files.includes(p));
    if (top) {
      const text = (await repo.read(top))!;
      planned.push({
        path: top,
        content: editYaml(text, doc => {
          insertSorted(rootSeq(doc, 'resources'), `./${app.namespace}`, v =>
            /^\.\/[^/.]+\/?$/.test(v),
          );
        }),
        action: 'update',
      });
    }
  }

  planned.push({
    path: `${appPath}/catalog-info.yaml`,
    content: catalogInfoFile(
      app,
      appPath,
      labelsKubernetesId(hr.spec.values, app.name),
    ),
    action: 'create',
  });

  return {
    layout: 'flux',
    appPath,
    kustomizationPath: `${appPath}/app/kustomization.yaml`,
    manifestsPath: `${appPath}/app`,
    files: planned,
    namespaceCreated,
    chartVersion,
    catalogInfoPath: `${appPath}/catalog-info.yaml`,
    route: app.hostname && app.gateway ? renderedRoute(app) : undefined,
  };
}

/** ks.yaml: the spec settings most of the repo's other apps share, plus this app's path. */
function fluxKustomization(
  app: AppSpec,
  appPath: string,
  siblings: RepoObject[],
) {
  const samples = siblings.map(s => ({
    value: s.object.spec,
    name: s.object.metadata?.name,
  }));
  const shared = conventions(samples, app.name, [
    'path',
    'targetNamespace',
    'dependsOn',
    'components',
    'postBuild',
  ]);
  const metadataNamespaces = siblings.map(s => s.object.metadata?.namespace);
  const metaNs = mostCommon(metadataNamespaces);
  return {
    apiVersion:
      mostCommon(siblings.map(s => s.object.apiVersion)) ??
      'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: app.name,
      // Only when the repo pins one namespace for all of them (e.g. flux-system).
      ...(metaNs &&
      siblings.length > 1 &&
      metadataNamespaces.every(n => n === metaNs)
        ? { namespace: metaNs }
        : {}),
    },
    spec: sortKeys({
      interval: '1h',
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'flux-system',
        namespace: 'flux-system',
      },
      wait: false,
      ...shared,
      path: `./${appPath}/app`,
      targetNamespace: app.namespace,
    }),
  };
}

function ociRepository(
  app: AppSpec,
  chartVersion: string,
  chartUrl: string,
  siblings: RepoObject[],
) {
  const spec = (key: string) =>
    mostCommon(siblings.map(s => s.object.spec?.[key]));
  return {
    apiVersion:
      mostCommon(siblings.map(s => s.object.apiVersion)) ??
      'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name: app.name },
    spec: {
      interval: spec('interval') ?? '15m',
      layerSelector: spec('layerSelector') ?? {
        mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        operation: 'copy',
      },
      ref: { tag: chartVersion },
      url: chartUrl,
    },
  };
}

/**
 * The HelmRelease with app-template values, keys in the order of bjw-s's
 * sorting rules: chartRef, interval, values; values alphabetical after
 * defaultPodOptions; a container's image first. Settings most other
 * releases share (intervals, install/upgrade, global labels, container
 * securityContext, controller annotations) are copied.
 */
function helmRelease(app: AppSpec, siblings: RepoObject[]) {
  const hrs = siblings.filter(s => s.object.kind === 'HelmRelease');
  const named = (get: (o: Record<string, any>) => any) =>
    hrs.map(h => ({ value: get(h.object), name: h.object.metadata?.name }));
  const specShared = conventions(
    named(o => o.spec),
    app.name,
    ['chartRef', 'chart', 'values', 'dependsOn', 'valuesFrom'],
  );
  const valuesShared = conventions(
    named(o => o.spec?.values),
    app.name,
    [
      'controllers',
      'service',
      'route',
      'persistence',
      'ingress',
      'configMaps',
      'secrets',
      'rawResources',
      'serviceAccount',
    ],
  );
  const firstController = (o: Record<string, any>) => {
    const controllers = o.spec?.values?.controllers ?? {};
    return controllers[o.metadata?.name] ?? Object.values(controllers)[0];
  };
  const controllerShared = conventions(
    named(o => firstController(o)),
    app.name,
    [
      'containers',
      'initContainers',
      'replicas',
      'type',
      'cronjob',
      'statefulset',
      'pod',
    ],
  );
  const containerShared = conventions(
    named(o => firstController(o)?.containers?.app),
    app.name,
    ['image', 'env', 'envFrom', 'args', 'command', 'resources', 'ports'],
  );
  const env: Record<string, string> = {};
  if (app.timezone) env.TZ = app.timezone;
  for (const e of app.env) env[e.name] = e.value;
  const container = sortKeys(
    {
      probes: { liveness: { enabled: true }, readiness: { enabled: true } },
      ...containerShared,
      image: {
        repository: app.image.repository,
        tag: appTemplateTag(app.image),
      },
      ...(Object.keys(env).length > 0 && { env }),
      ...(app.secretName && {
        envFrom: [{ secretRef: { name: app.secretName } }],
      }),
    },
    ['image'],
  );
  const values: Record<string, unknown> = {
    ...valuesShared,
    controllers: {
      [app.name]: sortKeys({
        ...(hrs.length < 2 && {
          annotations: { 'reloader.stakater.com/auto': 'true' },
        }),
        ...controllerShared,
        containers: { app: container },
      }),
    },
  };
  if (app.persistence) {
    values.persistence = {
      data: {
        type: 'persistentVolumeClaim',
        accessMode: 'ReadWriteOnce',
        size: app.persistence.size,
        ...(app.persistence.storageClass && {
          storageClass: app.persistence.storageClass,
        }),
        globalMounts: [{ path: app.persistence.mountPath }],
      },
    };
  }
  if (app.hostname && app.gateway) {
    values.route = {
      app: {
        hostnames: [app.hostname],
        parentRefs: [
          {
            name: app.gateway.name,
            namespace: app.gateway.namespace,
            ...(app.gateway.sectionName && {
              sectionName: app.gateway.sectionName,
            }),
          },
        ],
      },
    };
  }
  values.service = { app: { ports: { http: { port: app.port } } } };
  return {
    apiVersion:
      mostCommon(hrs.map(h => h.object.apiVersion)) ??
      'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: app.name },
    spec: sortKeys(
      {
        interval: '1h',
        ...specShared,
        chartRef: { kind: 'OCIRepository', name: app.name },
        values: sortKeys(values, ['defaultPodOptions']),
      },
      ['chartRef', 'interval'],
    ),
  };
}

/**
 * The HTTPRoute app-template renders from `route.app` with one Service (its
 * _autoDetectService: the Service named after the release, the first port),
 * in the namespace Flux's targetNamespace gives it. Validated like a raw one.
 */
function renderedRoute(app: AppSpec) {
  return buildHttpRoute({
    name: app.name,
    namespace: app.namespace,
    hostnames: [app.hostname!],
    gateway: app.gateway!,
    backend: { name: app.name, port: app.port },
  });
}

/** A new kubernetes/apps/<ns>/ folder shaped like its siblings. */
async function newNamespaceFolder(
  repo: RepoSnapshot,
  files: string[],
  appsPath: string,
  app: AppSpec,
  kustomizationSchema: string | undefined,
): Promise<PlannedFile[]> {
  const nsPath = `${appsPath}/${app.namespace}`;
  const siblings = childDirectories(files, appsPath)
    .map(ns => ({ ns, path: `${appsPath}/${ns}/kustomization.yaml` }))
    .filter(s => files.includes(s.path));
  // The sibling whose shape (keys + non-app resources) is most common.
  const shapes = await Promise.all(
    siblings.map(async s => {
      const text = (await repo.read(s.path)) ?? '';
      const doc = parseDocument(text);
      const obj = (doc.toJS() ?? {}) as Record<string, any>;
      const resources: string[] = Array.isArray(obj.resources)
        ? obj.resources
        : [];
      return {
        ...s,
        text,
        obj,
        shape: JSON.stringify({
          keys: Object.keys(obj).sort(),
          namespaceFile: resources.filter(r =>
            /^\.\/namespace\.ya?ml$/.test(r),
          ),
          components: obj.components,
        }),
      };
    }),
  );
  const shape = mostCommon(shapes.map(s => s.shape));
  const model = shapes.find(s => s.shape === shape);
  const out: PlannedFile[] = [];
  if (!model) {
    out.push(
      {
        path: `${nsPath}/kustomization.yaml`,
        content: manifestFile(
          {
            apiVersion: 'kustomize.config.k8s.io/v1beta1',
            kind: 'Kustomization',
            namespace: app.namespace,
            resources: ['./namespace.yaml', `./${app.name}/ks.yaml`],
          },
          kustomizationSchema,
        ),
        action: 'create',
      },
      {
        path: `${nsPath}/namespace.yaml`,
        content: manifestFile({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: app.namespace },
        }),
        action: 'create',
      },
    );
    return out;
  }
  // Copy the model's file, keeping its comments and key order.
  const nsFile = (model.obj.resources ?? []).find((r: string) =>
    /^\.\/namespace\.ya?ml$/.test(r),
  );
  const content = editYaml(model.text, doc => {
    if (doc.has('namespace')) doc.set('namespace', app.namespace);
    const seq = rootSeq(doc, 'resources');
    seq.items = seq.items.filter(item => {
      const v = String((item as any)?.value ?? '');
      return v === nsFile;
    });
    insertSorted(seq, `./${app.name}/ks.yaml`, v => KS_ENTRY.test(v));
  });
  out.push({ path: `${nsPath}/kustomization.yaml`, content, action: 'create' });
  if (nsFile) {
    const modelNsText = await repo.read(
      `${appsPath}/${model.ns}/${nsFile.slice(2)}`,
    );
    let nsContent: string | undefined;
    if (modelNsText) {
      nsContent = editYaml(modelNsText, doc => {
        const meta = doc.get('metadata', true);
        // onedr0p names it "_" and lets kustomize's namespace: rename it.
        if (isMap(meta) && meta.get('name') === model.ns)
          meta.set('name', app.namespace);
      });
    }
    out.push({
      path: `${nsPath}/${nsFile.slice(2)}`,
      content:
        nsContent ??
        manifestFile({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: app.namespace },
        }),
      action: 'create',
    });
  }
  return out;
}
