import { iso } from './identity';
import {
  containerSpec,
  containerState,
  podSpecDefaults,
  resourceVersion,
} from './pods';
import { Topology, WorkloadPlan } from './topology';

type Obj = Record<string, any>;

/** Deployment progress deadline (spec.progressDeadlineSeconds default). */
const PROGRESS_DEADLINE_S = 600;

function template(w: WorkloadPlan, extraLabels: Record<string, string> = {}) {
  return {
    metadata: {
      creationTimestamp: null,
      labels: { ...w.labels, ...extraLabels },
    },
    spec: {
      containers: [containerSpec(w)],
      ...podSpecDefaults(w),
    },
  };
}

/** Ready/available pod counts of a workload at `now`. */
function podCounts(t: Topology, w: WorkloadPlan, now: number) {
  let ready = 0;
  let scheduled = 0;
  for (const p of w.pods) {
    const s = containerState(t, p, now);
    if (s.kind !== 'pending') scheduled++;
    if (s.kind === 'running' && now >= s.startedAt + 5_000) ready++;
  }
  return { ready, scheduled, total: w.pods.length };
}

function meta(
  t: Topology,
  w: WorkloadPlan,
  kind: string,
  name: string,
  createdAt: number,
  extra: Obj = {},
) {
  return {
    name,
    namespace: w.namespace,
    uid: t.id.uid(`${kind}:${w.key}:${name}`),
    resourceVersion: resourceVersion(
      t,
      createdAt,
      t.id.unit(`rv:${kind}:${w.key}`),
    ),
    generation: 1,
    creationTimestamp: iso(createdAt),
    labels: w.labels,
    ...extra,
  };
}

function chartAnnotations(w: WorkloadPlan) {
  return w.kubernetesId
    ? {
        'meta.helm.sh/release-name': w.name,
        'meta.helm.sh/release-namespace': w.namespace,
      }
    : {};
}

export function buildDeployment(
  t: Topology,
  w: WorkloadPlan,
  now: number,
): Obj {
  const { ready, total } = podCounts(t, w, now);
  const unavailable = total - ready;
  const rsName = `${w.name}-${w.templateHash}`;
  const stuck =
    unavailable > 0 && now - w.revisionCreatedAt > PROGRESS_DEADLINE_S * 1000;
  const conditions: Obj[] = [
    unavailable === 0
      ? {
          type: 'Available',
          status: 'True',
          lastUpdateTime: iso(w.revisionCreatedAt + 15_000),
          lastTransitionTime: iso(w.revisionCreatedAt + 15_000),
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          lastUpdateTime: iso(w.revisionCreatedAt),
          lastTransitionTime: iso(w.revisionCreatedAt),
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    stuck
      ? {
          type: 'Progressing',
          status: 'False',
          lastUpdateTime: iso(w.revisionCreatedAt + PROGRESS_DEADLINE_S * 1000),
          lastTransitionTime: iso(
            w.revisionCreatedAt + PROGRESS_DEADLINE_S * 1000,
          ),
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        }
      : {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: iso(w.revisionCreatedAt + 15_000),
          lastTransitionTime: iso(w.createdAt),
          reason: unavailable ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable',
          message: unavailable
            ? `ReplicaSet "${rsName}" is progressing.`
            : `ReplicaSet "${rsName}" has successfully progressed.`,
        },
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(t, w, 'Deployment', w.name, w.revisionCreatedAt, {
      annotations: {
        'deployment.kubernetes.io/revision': '1',
        ...chartAnnotations(w),
      },
    }),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: w.selector },
      template: template(w),
      strategy:
        w.strategy === 'Recreate'
          ? { type: 'Recreate' }
          : {
              type: 'RollingUpdate',
              rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
            },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: PROGRESS_DEADLINE_S,
    },
    status: {
      observedGeneration: 1,
      ...(total > 0 && { replicas: total, updatedReplicas: total }),
      ...(ready > 0 && { readyReplicas: ready, availableReplicas: ready }),
      ...(unavailable > 0 && { unavailableReplicas: unavailable }),
      conditions,
    },
  };
}

export function buildReplicaSet(
  t: Topology,
  w: WorkloadPlan,
  now: number,
): Obj {
  const { ready, total } = podCounts(t, w, now);
  const name = `${w.name}-${w.templateHash}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...meta(t, w, 'ReplicaSet', name, w.revisionCreatedAt, {
        labels: { ...w.labels, 'pod-template-hash': w.templateHash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(w.replicas),
          'deployment.kubernetes.io/max-replicas': String(
            w.replicas + Math.ceil(w.replicas * 0.25),
          ),
          'deployment.kubernetes.io/revision': '1',
          ...chartAnnotations(w),
        },
      }),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: w.name,
          uid: t.id.uid(`Deployment:${w.key}:${w.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: w.replicas,
      selector: {
        matchLabels: { ...w.selector, 'pod-template-hash': w.templateHash },
      },
      template: template(w, { 'pod-template-hash': w.templateHash }),
    },
    status: {
      replicas: total,
      ...(total > 0 && { fullyLabeledReplicas: total }),
      ...(ready > 0 && { readyReplicas: ready, availableReplicas: ready }),
      observedGeneration: 1,
    },
  };
}

export function buildStatefulSet(
  t: Topology,
  w: WorkloadPlan,
  now: number,
): Obj {
  const { ready, total } = podCounts(t, w, now);
  const revision = `${w.name}-${w.templateHash}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(t, w, 'StatefulSet', w.name, w.revisionCreatedAt, {
      annotations: chartAnnotations(w),
    }),
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: w.selector },
      template: template(w),
      serviceName: w.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0 },
      },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      },
    },
    status: {
      observedGeneration: 1,
      replicas: total,
      ...(ready > 0 && { readyReplicas: ready, availableReplicas: ready }),
      currentReplicas: total,
      updatedReplicas: total,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    },
  };
}

export function buildDaemonSet(t: Topology, w: WorkloadPlan, now: number): Obj {
  const { ready, total } = podCounts(t, w, now);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(t, w, 'DaemonSet', w.name, w.createdAt, {
      annotations: {
        'deprecated.daemonset.template.generation': '1',
        ...chartAnnotations(w),
      },
    }),
    spec: {
      selector: { matchLabels: w.selector },
      template: template(w),
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: total,
      numberMisscheduled: 0,
      desiredNumberScheduled: total,
      numberReady: ready,
      observedGeneration: 1,
      updatedNumberScheduled: total,
      numberAvailable: ready,
      ...(total - ready > 0 && { numberUnavailable: total - ready }),
    },
  };
}

export function buildService(t: Topology, w: WorkloadPlan): Obj {
  const ip = t.serviceIPs.get(w.key)!;
  const protocol = w.portName === 'dns' ? 'UDP' : 'TCP';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: t.id.uid(`Service:${w.key}`),
      resourceVersion: resourceVersion(
        t,
        w.createdAt,
        t.id.unit(`rv:svc:${w.key}`),
      ),
      creationTimestamp: iso(w.createdAt),
      labels: w.labels,
      annotations: chartAnnotations(w),
    },
    spec: {
      ports: [
        { name: w.portName, protocol, port: w.port, targetPort: w.portName },
      ],
      selector: w.selector,
      clusterIP: ip,
      clusterIPs: [ip],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
}

/** The API server's own `kubernetes` Service and CoreDNS's `kube-dns`. */
export function buildSystemServices(t: Topology): Obj[] {
  const cp = t.nodes.filter(n => n.role === 'controlplane');
  const coredns = t.workloads.find(w => w.name === 'coredns');
  const svc = (namespace: string, name: string, labels: Obj, spec: Obj) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      uid: t.id.uid(`Service:${namespace}/${name}`),
      resourceVersion: resourceVersion(t, t.clusterCreatedAt, 0.2),
      creationTimestamp: iso(t.clusterCreatedAt),
      labels,
    },
    spec: {
      ...spec,
      clusterIP: t.serviceIPs.get(`${namespace}/${name}`),
      clusterIPs: [t.serviceIPs.get(`${namespace}/${name}`)],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  });
  const out = [
    svc(
      'default',
      'kubernetes',
      { component: 'apiserver', provider: 'kubernetes' },
      {
        ports: [
          { name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 },
        ],
      },
    ),
  ];
  if (coredns && cp.length) {
    out.push(
      svc(
        'kube-system',
        'kube-dns',
        { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
        {
          ports: [
            { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
            { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
            { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
          ],
          selector: coredns.selector,
        },
      ),
    );
  }
  return out;
}

/** autoscaling/v2 HPA on CPU utilization, with the usage the metrics show. */
export function buildHpa(
  t: Topology,
  w: WorkloadPlan,
  cpuUsedMillicores: number,
): Obj | undefined {
  const a = w.autoscaling;
  if (!a) return undefined;
  const utilization = Math.round((cpuUsedMillicores / w.cpuMillicores) * 100);
  const current = Math.min(Math.max(w.replicas, a.minReplicas), a.maxReplicas);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      ...meta(t, w, 'HorizontalPodAutoscaler', w.name, w.createdAt),
      annotations: chartAnnotations(w),
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: w.kind, name: w.name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: a.targetCPUUtilizationPercentage,
            },
          },
        },
      ],
    },
    status: {
      currentReplicas: current,
      desiredReplicas: current,
      currentMetrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: {
              averageValue: `${Math.max(1, Math.round(cpuUsedMillicores))}m`,
              averageUtilization: utilization,
            },
          },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          lastTransitionTime: iso(w.createdAt + 30_000),
          reason: 'ReadyForNewScale',
          message: 'recommended size matches current size',
        },
        {
          type: 'ScalingActive',
          status: 'True',
          lastTransitionTime: iso(w.createdAt + 30_000),
          reason: 'ValidMetricFound',
          message:
            'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        },
        {
          type: 'ScalingLimited',
          status: current === a.minReplicas ? 'True' : 'False',
          lastTransitionTime: iso(w.createdAt + 30_000),
          reason:
            current === a.minReplicas ? 'TooFewReplicas' : 'DesiredWithinRange',
          message:
            current === a.minReplicas
              ? 'the desired replica count is less than the minimum replica count'
              : 'the desired count is within the acceptable range',
        },
      ],
    },
  };
}
