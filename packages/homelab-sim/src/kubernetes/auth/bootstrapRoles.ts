import type { PolicyRule, RbacObject } from '../../scenario/rbacSchema';

/**
 * The ClusterRoles and bindings kube-apiserver creates at start
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), reduced to
 * the groups the sim serves. `view` is what the aggregated role resolves to
 * with metrics-server installed: namespaced reads without Secrets, and no
 * Nodes, PersistentVolumes, StorageClasses or CRDs.
 */
const READ = ['get', 'list', 'watch'];

const rule = (
  apiGroups: string[],
  resources: string[],
  verbs = READ,
): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
  resourceNames: [],
  nonResourceURLs: [],
});

const nonResource = (urls: string[]): PolicyRule => ({
  apiGroups: [],
  resources: [],
  verbs: ['get'],
  resourceNames: [],
  nonResourceURLs: urls,
});

const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

const clusterRole = (name: string, rules: PolicyRule[]): RbacObject => ({
  kind: 'ClusterRole',
  metadata: { name, labels: bootstrapLabels },
  rules,
});

const bindToGroup = (role: string, group: string, name = role): RbacObject => ({
  kind: 'ClusterRoleBinding',
  metadata: { name, labels: bootstrapLabels },
  roleRef: {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: role,
  },
  subjects: [{ kind: 'Group', name: group }],
});

const VIEW_RULES = [
  rule(
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'serviceaccounts',
      'services',
      'services/status',
    ],
  ),
  rule(
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  rule([''], ['namespaces']),
  rule(['discovery.k8s.io'], ['endpointslices']),
  rule(
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  ),
  rule(
    ['autoscaling'],
    ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
  ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(
    ['networking.k8s.io'],
    ['ingresses', 'ingresses/status', 'networkpolicies'],
  ),
  rule(['metrics.k8s.io'], ['pods', 'nodes']),
];

export const BOOTSTRAP_RBAC: RbacObject[] = [
  clusterRole('cluster-admin', [
    rule(['*'], ['*'], ['*']),
    { ...nonResource(['*']), verbs: ['*'] },
  ]),
  clusterRole('view', VIEW_RULES),
  clusterRole('system:discovery', [
    nonResource([
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/healthz',
      '/livez',
      '/openapi',
      '/openapi/*',
      '/readyz',
      '/version',
      '/version/',
    ]),
  ]),
  clusterRole('system:public-info-viewer', [
    nonResource(['/healthz', '/livez', '/readyz', '/version', '/version/']),
  ]),
  clusterRole('system:basic-user', [
    rule(
      ['authorization.k8s.io'],
      ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      ['create'],
    ),
    rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  bindToGroup('cluster-admin', 'system:masters'),
  bindToGroup('system:discovery', 'system:authenticated'),
  bindToGroup('system:public-info-viewer', 'system:authenticated'),
  bindToGroup('system:basic-user', 'system:authenticated'),
];
