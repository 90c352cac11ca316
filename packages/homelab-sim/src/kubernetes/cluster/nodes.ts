import { iso, MINUTE } from './identity';
import { resourceVersion } from './pods';
import {
  CONTAINERD_VERSION,
  NodePlan,
  TALOS_KERNEL,
  Topology,
} from './topology';

type Obj = Record<string, any>;

/** Talos' kubelet defaults: systemReserved 50m CPU / 192Mi, eviction at 100Mi. */
const RESERVED_MEMORY_KI = 192 * 1024;
const EVICTION_MEMORY_KI = 100 * 1024;

function memoryKi(n: NodePlan) {
  // The guest kernel keeps part of the VM's RAM for itself.
  return Math.floor(n.memoryGiB * 1024 * 1024 * 0.97);
}

/** Node status heartbeats: the kubelet reports at least every 5 minutes. */
function heartbeat(n: NodePlan, now: number) {
  const period = 5 * MINUTE;
  return n.bootedAt + Math.floor((now - n.bootedAt) / period) * period;
}

/**
 * A Node object for a Talos node, the way a Talos-installed kubelet
 * registers it: `osImage: Talos (<version>)`, the VM's SMBIOS UUID as
 * `systemUUID` (the join key to the Proxmox VM, notes/talos-api.md §7),
 * InternalIP and Hostname addresses, control-plane role label and taint.
 */
export function buildNode(t: Topology, n: NodePlan, now: number): Obj {
  const talos = t.scenario.talos;
  const mem = memoryKi(n);
  const beat = heartbeat(n, now);
  const storageKi = Math.floor(n.diskGiB * 1024 * 1024 * 0.94);
  const controlPlane = n.role === 'controlplane';
  const capacity = {
    cpu: String(n.cores),
    'ephemeral-storage': `${storageKi}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${mem}Ki`,
    pods: '110',
  };
  const allocatable = {
    ...capacity,
    cpu: `${n.cores * 1000 - 50}m`,
    'ephemeral-storage': String(Math.floor((storageKi - 256 * 1024) * 1024)),
    memory: `${mem - RESERVED_MEMORY_KI - EVICTION_MEMORY_KI}Ki`,
  };
  const condition = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ) => ({
    type,
    status,
    lastHeartbeatTime: iso(beat),
    lastTransitionTime: iso(n.bootedAt + 40_000),
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      uid: t.id.uid(`node:${n.name}`),
      resourceVersion: resourceVersion(t, beat, t.id.unit(`rv:node:${n.name}`)),
      creationTimestamp: iso(n.createdAt),
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane && {
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        }),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'talos.dev/owned-labels': controlPlane
          ? '["node-role.kubernetes.io/control-plane","node.kubernetes.io/exclude-from-external-load-balancers"]'
          : '[]',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      ...(controlPlane && {
        taints: [
          {
            key: 'node-role.kubernetes.io/control-plane',
            effect: 'NoSchedule',
          },
        ],
      }),
    },
    status: {
      capacity,
      allocatable,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition(
          'DiskPressure',
          'False',
          'KubeletHasNoDiskPressure',
          'kubelet has no disk pressure',
        ),
        condition(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
        condition(
          'Ready',
          'True',
          'KubeletReady',
          'kubelet is posting ready status',
        ),
      ],
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: n.machineID,
        systemUUID: n.systemUUID,
        bootID: n.bootID,
        kernelVersion: TALOS_KERNEL,
        osImage: `Talos (${talos.talosVersion})`,
        containerRuntimeVersion: CONTAINERD_VERSION,
        kubeletVersion: talos.kubernetesVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function buildNamespace(
  t: Topology,
  ns: { name: string; createdAt: number },
): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns.name,
      uid: t.id.uid(`ns:${ns.name}`),
      resourceVersion: resourceVersion(
        t,
        ns.createdAt,
        t.id.unit(`rv:ns:${ns.name}`),
      ),
      creationTimestamp: iso(ns.createdAt),
      labels: { 'kubernetes.io/metadata.name': ns.name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Every namespace gets the cluster CA as `kube-root-ca.crt` (root CA publisher). */
export function buildRootCaConfigMap(
  t: Topology,
  ns: { name: string; createdAt: number },
  caPem: string,
): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kube-root-ca.crt',
      namespace: ns.name,
      uid: t.id.uid(`cm:${ns.name}/kube-root-ca.crt`),
      resourceVersion: resourceVersion(
        t,
        ns.createdAt + 1_000,
        t.id.unit(`rv:cm:${ns.name}`),
      ),
      creationTimestamp: iso(ns.createdAt + 1_000),
      annotations: {
        'kubernetes.io/description':
          'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
      },
    },
    data: { 'ca.crt': caPem },
  };
}
