/**
 * Every resource the simulated API server serves, as discovery describes it.
 * The set covers what upstream `@backstage/plugin-kubernetes-backend`
 * fetches (DEFAULT_OBJECTS in KubernetesFanOutHandler, pod metrics, the
 * configured HTTPRoute custom resource; notes/backstage-platform.md §4),
 * the Node objects of the Talos nodes, and events and pod logs, which the
 * Kubernetes tab reads through the backend's proxy.
 */
export type ResourceType = {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources listed in discovery (`pods/log`, `services/proxy`). */
  subresources?: { name: string; kind: string; verbs: string[] }[];
};

const RW = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const METRICS = ['get', 'list'];

export const RESOURCES: ResourceType[] = [
  // core/v1
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: RW,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    verbs: [
      'create',
      'delete',
      'deletecollection',
      'get',
      'list',
      'patch',
      'update',
      'watch',
    ],
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [
      {
        name: 'proxy',
        kind: 'ServiceProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      },
      { name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] },
    ],
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: RW,
    shortNames: ['cm'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'limitranges',
    singular: 'limitrange',
    kind: 'LimitRange',
    namespaced: true,
    verbs: RW,
    shortNames: ['limits'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    singular: 'resourcequota',
    kind: 'ResourceQuota',
    namespaced: true,
    verbs: RW,
    shortNames: ['quota'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    verbs: RW,
    shortNames: ['ev'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    verbs: RW,
    shortNames: ['no'],
    subresources: [
      { name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] },
    ],
  },
  // apps/v1
  ...(
    [
      ['deployments', 'deployment', 'Deployment', ['deploy']],
      ['replicasets', 'replicaset', 'ReplicaSet', ['rs']],
      ['statefulsets', 'statefulset', 'StatefulSet', ['sts']],
      ['daemonsets', 'daemonset', 'DaemonSet', ['ds']],
    ] as const
  ).map(
    ([plural, singular, kind, shortNames]): ResourceType => ({
      group: 'apps',
      version: 'v1',
      plural,
      singular,
      kind,
      namespaced: true,
      verbs: RW,
      shortNames: [...shortNames],
      categories: ['all'],
      subresources: [
        { name: 'status', kind, verbs: ['get', 'patch', 'update'] },
      ],
    }),
  ),
  // batch/v1
  {
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    singular: 'job',
    kind: 'Job',
    namespaced: true,
    verbs: RW,
    categories: ['all'],
  },
  {
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    namespaced: true,
    verbs: RW,
    shortNames: ['cj'],
    categories: ['all'],
  },
  // autoscaling/v2
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    verbs: RW,
    shortNames: ['hpa'],
    categories: ['all'],
  },
  // networking.k8s.io/v1
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    namespaced: true,
    verbs: RW,
    shortNames: ['ing'],
  },
  // metrics.k8s.io/v1beta1 (metrics-server, an aggregated API)
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    plural: 'pods',
    singular: '',
    kind: 'PodMetrics',
    namespaced: true,
    verbs: METRICS,
  },
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    plural: 'nodes',
    singular: '',
    kind: 'NodeMetrics',
    namespaced: false,
    verbs: METRICS,
  },
  // gateway.networking.k8s.io/v1 (CRDs, Gateway API v1.5.1 standard channel)
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
    singular: 'httproute',
    kind: 'HTTPRoute',
    namespaced: true,
    verbs: RW,
    categories: ['gateway-api'],
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    singular: 'gateway',
    kind: 'Gateway',
    namespaced: true,
    verbs: RW,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gatewayclasses',
    singular: 'gatewayclass',
    kind: 'GatewayClass',
    namespaced: false,
    verbs: RW,
    shortNames: ['gc'],
    categories: ['gateway-api'],
  },
  // The GitOps engines and cert-manager (CRDs in __fixtures__/crds).
  ...(
    [
      [
        'source.toolkit.fluxcd.io',
        'v1',
        'gitrepositories',
        'GitRepository',
        ['gitrepo'],
        ['flux'],
      ],
      [
        'source.toolkit.fluxcd.io',
        'v1',
        'ocirepositories',
        'OCIRepository',
        ['ocirepo'],
        ['flux'],
      ],
      [
        'kustomize.toolkit.fluxcd.io',
        'v1',
        'kustomizations',
        'Kustomization',
        ['ks'],
        ['flux'],
      ],
      [
        'helm.toolkit.fluxcd.io',
        'v2',
        'helmreleases',
        'HelmRelease',
        ['hr'],
        ['flux'],
      ],
      [
        'argoproj.io',
        'v1alpha1',
        'applications',
        'Application',
        ['app', 'apps'],
        ['argo'],
      ],
      [
        'cert-manager.io',
        'v1',
        'certificates',
        'Certificate',
        ['cert', 'certs'],
        ['cert-manager'],
      ],
    ] as const
  ).map(
    ([group, version, plural, kind, shortNames, categories]): ResourceType => ({
      group,
      version,
      plural,
      singular: kind.toLowerCase(),
      kind,
      namespaced: true,
      verbs: RW,
      shortNames: [...shortNames],
      categories: [...categories],
    }),
  ),
];

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>) {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findResource(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCES.find(
    r => r.group === group && r.version === version && r.plural === plural,
  );
}

/** Stable key for a resource type, used by the object store. */
export function resourceKey(r: Pick<ResourceType, 'group' | 'plural'>) {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** Group versions in discovery order, with the preferred version first. */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    let g = out.find(x => x.group === r.group);
    if (!g) {
      g = { group: r.group, versions: [] };
      out.push(g);
    }
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}
