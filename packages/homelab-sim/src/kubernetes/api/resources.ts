import { CrdDefinition, CrdVersion, installedCrds } from './crdRegistry';

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
  /** Served from a CRD file (crdRegistry): its definition and this version. */
  crd?: { definition: CrdDefinition; version: CrdVersion };
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

const BUILT_IN: ResourceType[] = [
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
  // core/v1, continued
  ...(
    [
      ['secrets', 'secret', 'Secret', [], true],
      ['serviceaccounts', 'serviceaccount', 'ServiceAccount', ['sa'], true],
      ['endpoints', 'endpoints', 'Endpoints', ['ep'], true],
      [
        'persistentvolumeclaims',
        'persistentvolumeclaim',
        'PersistentVolumeClaim',
        ['pvc'],
        true,
      ],
      [
        'persistentvolumes',
        'persistentvolume',
        'PersistentVolume',
        ['pv'],
        false,
      ],
    ] as const
  ).map(
    ([plural, singular, kind, shortNames, namespaced]): ResourceType => ({
      group: '',
      version: 'v1',
      plural,
      singular,
      kind,
      namespaced,
      verbs: RW,
      ...(shortNames.length && { shortNames: [...shortNames] }),
      ...(plural.startsWith('persistent') && {
        subresources: [
          { name: 'status', kind, verbs: ['get', 'patch', 'update'] },
        ],
      }),
    }),
  ),
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
    verbs: RW,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    singular: 'storageclass',
    kind: 'StorageClass',
    namespaced: false,
    verbs: RW,
    shortNames: ['sc'],
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    verbs: RW,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    kind: 'IngressClass',
    namespaced: false,
    verbs: RW,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    verbs: RW,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: [
      {
        name: 'status',
        kind: 'CustomResourceDefinition',
        verbs: ['get', 'patch', 'update'],
      },
    ],
  },
  ...(
    [
      ['clusterrolebindings', 'ClusterRoleBinding', false],
      ['clusterroles', 'ClusterRole', false],
      ['rolebindings', 'RoleBinding', true],
      ['roles', 'Role', true],
    ] as const
  ).map(
    ([plural, kind, namespaced]): ResourceType => ({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural,
      singular: kind.toLowerCase(),
      kind,
      namespaced,
      verbs: RW,
    }),
  ),
  ...(
    [
      ['selfsubjectaccessreviews', 'SelfSubjectAccessReview'],
      ['selfsubjectrulesreviews', 'SelfSubjectRulesReview'],
    ] as const
  ).map(
    ([plural, kind]): ResourceType => ({
      group: 'authorization.k8s.io',
      version: 'v1',
      plural,
      singular: kind.toLowerCase(),
      kind,
      namespaced: false,
      verbs: ['create'],
    }),
  ),
];

/** One entry per served version of every installed CRD. */
function crdResources(): ResourceType[] {
  return installedCrds().flatMap(({ crd }) =>
    crd.spec.versions
      .filter(v => v.served)
      .map(
        (version): ResourceType => ({
          group: crd.spec.group,
          version: version.name,
          plural: crd.spec.names.plural,
          singular: crd.spec.names.singular,
          kind: crd.spec.names.kind,
          namespaced: crd.spec.scope === 'Namespaced',
          verbs: RW,
          ...(crd.spec.names.shortNames && {
            shortNames: crd.spec.names.shortNames,
          }),
          ...(crd.spec.names.categories && {
            categories: crd.spec.names.categories,
          }),
          ...(version.subresources?.status && {
            subresources: [
              {
                name: 'status',
                kind: crd.spec.names.kind,
                verbs: ['get', 'patch', 'update'],
              },
            ],
          }),
          crd: { definition: crd, version },
        }),
      ),
  );
}

export const RESOURCES: ResourceType[] = [...BUILT_IN, ...crdResources()];

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
