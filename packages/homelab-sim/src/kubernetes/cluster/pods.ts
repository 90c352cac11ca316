import { crashLoopAt } from './crashLoop';
import { goDuration, iso } from './identity';
import { PodPlan, StaticPodPlan, Topology, WorkloadPlan } from './topology';

/** How long the crash-looping app runs before it exits with code 1. */
export const CRASH_RUN_MS = 3_000;
/** Image pull + container create before the first start. */
const START_DELAY_MS = 9_000;

type Obj = Record<string, any>;

export function imageID(t: Topology, image: string): string {
  const repo = image.replace(/:[^/:]+$/, '');
  return `${repo}@sha256:${t.id.hex(`image:${image}`)}`;
}

function containerID(t: Topology, key: string) {
  return `containerd://${t.id.hex(`container:${key}`)}`;
}

export function containerSpec(w: WorkloadPlan): Obj {
  const probe = {
    ...(w.portName === 'http'
      ? { httpGet: { path: '/', port: w.portName, scheme: 'HTTP' } }
      : { tcpSocket: { port: w.portName } }),
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  };
  return {
    name: w.name,
    image: w.image,
    ports: [
      {
        name: w.portName,
        containerPort: w.port,
        protocol: w.portName === 'dns' ? 'UDP' : 'TCP',
      },
    ],
    resources: {
      limits: { memory: `${w.memoryMiB * 2}Mi` },
      requests: { cpu: `${w.cpuMillicores}m`, memory: `${w.memoryMiB}Mi` },
    },
    livenessProbe: probe,
    readinessProbe: probe,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

/** Pod spec fields the API server defaults, shared by templates and pods. */
export function podSpecDefaults(w: WorkloadPlan): Obj {
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: w.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    ...(w.hostNetwork && { hostNetwork: true }),
    serviceAccountName: w.name,
    serviceAccount: w.name,
    securityContext: {},
    schedulerName: 'default-scheduler',
  };
}

function tolerations(w: WorkloadPlan): Obj[] {
  const base = [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ];
  if (w.kind !== 'DaemonSet') return base;
  // The DaemonSet controller adds these, and system DaemonSets tolerate all.
  return [
    { operator: 'Exists' },
    ...[
      'node.kubernetes.io/disk-pressure',
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/pid-pressure',
      'node.kubernetes.io/unschedulable',
      ...(w.hostNetwork ? ['node.kubernetes.io/network-unavailable'] : []),
    ].map(key => ({ key, operator: 'Exists', effect: 'NoSchedule' })),
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
    },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
    },
  ];
}

/** Labels a pod carries: the template's plus what its controller adds. */
export function podLabels(p: PodPlan): Record<string, string> {
  const w = p.workload;
  switch (w.kind) {
    case 'Deployment':
      return { ...w.labels, 'pod-template-hash': w.templateHash };
    case 'StatefulSet':
      return {
        ...w.labels,
        'apps.kubernetes.io/pod-index': String(p.index),
        'controller-revision-hash': `${w.name}-${w.templateHash}`,
        'statefulset.kubernetes.io/pod-name': p.name,
      };
    default:
      return {
        ...w.labels,
        'controller-revision-hash': w.templateHash,
        'pod-template-generation': '1',
      };
  }
}

export function ownerName(p: PodPlan) {
  const w = p.workload;
  return w.kind === 'Deployment' ? `${w.name}-${w.templateHash}` : w.name;
}

function ownerKind(w: WorkloadPlan) {
  return w.kind === 'Deployment' ? 'ReplicaSet' : w.kind;
}

/** Where a pod's single container stands at `now`. */
export function containerState(_t: Topology, p: PodPlan, now: number) {
  const w = p.workload;
  const firstStart = p.createdAt + START_DELAY_MS;
  switch (w.health) {
    case 'crashloop':
      return {
        kind: 'crashloop' as const,
        ...crashLoopAt(firstStart, CRASH_RUN_MS, now),
        firstStart,
      };
    case 'pending':
      return { kind: 'pending' as const };
    case 'image-pull-error':
      return { kind: 'image-pull' as const };
    default:
      return { kind: 'running' as const, startedAt: firstStart };
  }
}

function conditions(
  scheduledAt: number,
  readyAt: number | undefined,
  notReadySince: number,
  containerName: string,
  scheduled = true,
): Obj[] {
  if (!scheduled) {
    return [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: iso(scheduledAt),
        reason: 'Unschedulable',
        message:
          '0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
      },
    ];
  }
  const notReady = {
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${containerName}]`,
    lastTransitionTime: iso(notReadySince),
  };
  const ready =
    readyAt !== undefined
      ? { status: 'True', lastTransitionTime: iso(readyAt) }
      : notReady;
  return [
    {
      type: 'PodReadyToStartContainers',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: iso(scheduledAt + 2_000),
    },
    {
      type: 'Initialized',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: iso(scheduledAt + 1_000),
    },
    { type: 'Ready', lastProbeTime: null, ...ready },
    { type: 'ContainersReady', lastProbeTime: null, ...ready },
    {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: iso(scheduledAt),
    },
  ];
}

export function buildPod(t: Topology, p: PodPlan, now: number): Obj {
  const w = p.workload;
  const uid = t.id.uid(`pod:${p.key}:${p.name}`);
  const state = containerState(t, p, now);
  const spec: Obj = {
    volumes: [
      {
        name: `kube-api-access-${t.id.suffix(`sa-vol:${p.key}`)}`,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            {
              configMap: {
                name: 'kube-root-ca.crt',
                items: [{ key: 'ca.crt', path: 'ca.crt' }],
              },
            },
            {
              downwardAPI: {
                items: [
                  {
                    path: 'namespace',
                    fieldRef: {
                      apiVersion: 'v1',
                      fieldPath: 'metadata.namespace',
                    },
                  },
                ],
              },
            },
          ],
          defaultMode: 420,
        },
      },
    ],
    containers: [
      {
        ...containerSpec(w),
        volumeMounts: [
          {
            name: `kube-api-access-${t.id.suffix(`sa-vol:${p.key}`)}`,
            readOnly: true,
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
          },
        ],
      },
    ],
    ...podSpecDefaults(w),
    ...(p.node && { nodeName: p.node.name }),
    tolerations: tolerations(w),
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  if (w.kind === 'StatefulSet') {
    spec.hostname = p.name;
    spec.subdomain = w.name;
  }
  if (w.kind === 'DaemonSet' && p.node) {
    spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchFields: [
                { key: 'metadata.name', operator: 'In', values: [p.node.name] },
              ],
            },
          ],
        },
      },
    };
  }

  const cid = (run: number) => containerID(t, `${p.key}:${p.name}:${run}`);
  const base = {
    name: w.name,
    image: w.image,
    imageID: imageID(t, w.image),
  };
  let containerStatus: Obj | undefined;
  let phase = 'Running';
  let readyAt: number | undefined;
  const notReadySince = p.createdAt;
  let changedAt = p.createdAt;
  switch (state.kind) {
    case 'running':
      readyAt = state.startedAt + 5_000;
      changedAt = readyAt;
      containerStatus = {
        ...base,
        containerID: cid(0),
        state: { running: { startedAt: iso(state.startedAt) } },
        lastState: {},
        ready: true,
        restartCount: 0,
        started: true,
      };
      break;
    case 'crashloop': {
      const terminated = state.lastTerminated && {
        exitCode: 1,
        reason: 'Error',
        startedAt: iso(state.lastTerminated.startedAt),
        finishedAt: iso(state.lastTerminated.finishedAt),
        containerID: cid(
          state.running ? state.restartCount - 1 : state.restartCount,
        ),
      };
      containerStatus = state.running
        ? {
            ...base,
            containerID: cid(state.restartCount),
            state: { running: { startedAt: iso(state.running.startedAt) } },
            lastState: terminated ? { terminated } : {},
            ready: false,
            restartCount: state.restartCount,
            started: true,
          }
        : {
            ...base,
            containerID: cid(state.restartCount),
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off ${goDuration(
                  state.backoffSeconds!,
                )} restarting failed container=${w.name} pod=${p.name}_${
                  p.namespace
                }(${uid})`,
              },
            },
            lastState: { terminated },
            ready: false,
            restartCount: state.restartCount,
            started: false,
          };
      // Each start and exit is a status update, so a new resourceVersion.
      changedAt =
        state.running?.startedAt ??
        state.lastTerminated?.finishedAt ??
        p.createdAt;
      break;
    }
    case 'image-pull':
      phase = 'Pending';
      containerStatus = {
        ...base,
        imageID: '',
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${w.image}": ErrImagePull: failed to pull and unpack image "${w.image}": failed to resolve reference "${w.image}": ${w.image}: not found`,
          },
        },
        lastState: {},
        ready: false,
        restartCount: 0,
        started: false,
      };
      break;
    default:
      phase = 'Pending';
  }
  const scheduled = state.kind !== 'pending';
  const status: Obj = {
    phase,
    conditions: conditions(
      p.createdAt,
      readyAt,
      notReadySince,
      w.name,
      scheduled,
    ),
    ...(p.node && {
      hostIP: p.node.ip,
      hostIPs: [{ ip: p.node.ip }],
    }),
    ...(p.ip && { podIP: p.ip, podIPs: [{ ip: p.ip }] }),
    ...(scheduled && { startTime: iso(p.createdAt) }),
    ...(containerStatus && { containerStatuses: [containerStatus] }),
    qosClass: 'Burstable',
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      ...(w.kind !== 'StatefulSet' && { generateName: `${ownerName(p)}-` }),
      namespace: p.namespace,
      uid,
      resourceVersion: resourceVersion(t, changedAt, t.id.unit(`rv:${p.key}`)),
      creationTimestamp: iso(p.createdAt),
      labels: podLabels(p),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: ownerKind(w),
          name: ownerName(p),
          uid: t.id.uid(`${ownerKind(w)}:${w.key}:${ownerName(p)}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
    status,
  };
}

/** A Talos control-plane static pod as mirrored into the API. */
export function buildStaticPod(t: Topology, s: StaticPodPlan): Obj {
  const hash = t.id.hex(`static:${s.name}`, 32);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: s.name,
      namespace: 'kube-system',
      uid: t.id.uid(`static-pod:${s.name}:${s.createdAt}`),
      resourceVersion: resourceVersion(
        t,
        s.createdAt,
        t.id.unit(`rv:${s.name}`),
      ),
      creationTimestamp: iso(s.createdAt),
      labels: { 'k8s-app': s.component, tier: 'control-plane' },
      annotations: {
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': new Date(
          s.createdAt - 60_000,
        ).toISOString(),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: s.node.name,
          uid: t.id.uid(`node:${s.node.name}`),
          controller: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: s.component,
          image: s.image,
          command: [`/usr/local/bin/${s.component}`],
          resources: {
            requests: {
              cpu: `${s.cpuMillicores}m`,
              memory: `${s.memoryMiB}Mi`,
            },
          },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      nodeName: s.node.name,
      hostNetwork: true,
      securityContext: { runAsNonRoot: true, runAsUser: 65534 },
      schedulerName: 'default-scheduler',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      priorityClassName: 'system-cluster-critical',
      priority: 2000000000,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: conditions(
        s.createdAt,
        s.createdAt + 8_000,
        s.createdAt,
        s.component,
      ),
      hostIP: s.node.ip,
      hostIPs: [{ ip: s.node.ip }],
      podIP: s.node.ip,
      podIPs: [{ ip: s.node.ip }],
      startTime: iso(s.createdAt),
      containerStatuses: [
        {
          name: s.component,
          image: s.image,
          imageID: imageID(t, s.image),
          containerID: containerID(t, `static:${s.name}`),
          state: { running: { startedAt: iso(s.createdAt + 3_000) } },
          lastState: {},
          ready: true,
          restartCount: 0,
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  };
}

/**
 * resourceVersion of an object last written at `changedAt`: the second since
 * the cluster was created times 100, plus a per-object digit pair below 70
 * (`salt`). A list taken in the same second is above it (ClusterModel: 70
 * plus the objects created through the API in that second), so a watch from
 * a list's version sees every later change.
 */
export function resourceVersion(t: Topology, changedAt: number, salt: number) {
  const seconds = Math.max(
    0,
    Math.floor((changedAt - t.clusterCreatedAt) / 1000),
  );
  return String(seconds * 100 + (Math.floor(salt * 70) % 70));
}
