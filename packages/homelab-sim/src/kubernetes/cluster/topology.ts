import { SimContext } from '../../SimContext';
import { App, Scenario } from '../../scenario/schema';
import { HOUR, Identity, MINUTE } from './identity';

/**
 * The fixed shape of the simulated cluster, derived once from the scenario:
 * which nodes exist and when they booted, which workloads run where, with
 * which pod names and IPs, and when each was created. Everything that
 * changes with time (statuses, restarts, metrics) is computed from this plan
 * at the moment of a request (see ClusterModel).
 */

/** Talos' Kubernetes node OS and runtime for the scenario's Talos version. */
export const TALOS_KERNEL = '6.12.40-talos';
export const CONTAINERD_VERSION = 'containerd://2.0.5';

export type NodePlan = {
  name: string;
  index: number;
  role: 'controlplane' | 'worker';
  ip: string;
  podCIDR: string;
  vmid: number;
  systemUUID: string;
  cores: number;
  memoryGiB: number;
  diskGiB: number;
  createdAt: number;
  bootedAt: number;
  machineID: string;
  bootID: string;
};

export type Health = App['health'];

/** A workload the cluster runs: a scenario app or one Talos installs itself. */
export type WorkloadPlan = {
  key: string;
  name: string;
  namespace: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** Catalog entity the workload carries `backstage.io/kubernetes-id` for. */
  kubernetesId?: string;
  image: string;
  replicas: number;
  port: number;
  portName: string;
  health: Health;
  cpuMillicores: number;
  memoryMiB: number;
  hostNetwork: boolean;
  createdAt: number;
  /** The current ReplicaSet / ControllerRevision (template) was created then. */
  revisionCreatedAt: number;
  /** pod-template-hash (Deployment) or controller-revision-hash suffix. */
  templateHash: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  strategy: 'RollingUpdate' | 'Recreate';
  hostname?: string;
  gateway?: string;
  autoscaling?: App['autoscaling'];
  cronJob?: App['cronJob'];
  pods: PodPlan[];
};

export type PodPlan = {
  key: string;
  name: string;
  namespace: string;
  workload: WorkloadPlan;
  node?: NodePlan;
  ip?: string;
  createdAt: number;
  /** Ordinal (StatefulSet) or replica index. */
  index: number;
};

export type StaticPodPlan = {
  name: string;
  component: string;
  image: string;
  node: NodePlan;
  createdAt: number;
  cpuMillicores: number;
  memoryMiB: number;
};

export type Topology = {
  id: Identity;
  scenario: Scenario;
  start: number;
  clusterCreatedAt: number;
  nodes: NodePlan[];
  namespaces: { name: string; createdAt: number }[];
  workloads: WorkloadPlan[];
  staticPods: StaticPodPlan[];
  serviceIPs: Map<string, string>;
};

const SYSTEM_NAMESPACES = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];

const PORT_NAMES: Record<number, string> = { 1883: 'mqtt', 53: 'dns' };

export function buildTopology(ctx: SimContext): Topology {
  const scenario = ctx.scenario;
  const id = new Identity(scenario.seed);
  const start = Math.floor(ctx.startedAt / 1000) * 1000;
  const clusterCreatedAt =
    start - Math.round((90 + id.unit('cluster-age') * 120) * 24) * HOUR;

  const nodes: NodePlan[] = scenario.talos.nodes.map((t, index) => {
    const vm = scenario.proxmox.guests.find(g => g.vmid === t.vmid)!;
    const bootedAt =
      start -
      Math.round((4 + id.unit(`boot:${t.hostname}`) * 20) * 24 * 60) * MINUTE;
    return {
      name: t.hostname,
      index,
      role: t.role,
      ip: t.ip,
      podCIDR: `10.244.${index}.0/24`,
      vmid: t.vmid,
      systemUUID: vm.smbiosUuid ?? id.uid(`smbios:${t.hostname}`),
      cores: vm.cores,
      memoryGiB: vm.memoryGiB,
      diskGiB: vm.diskGiB,
      createdAt: clusterCreatedAt + index * 7 * MINUTE,
      bootedAt,
      machineID: id.hex(`machine-id:${t.hostname}`, 32),
      bootID: id.uid(`boot-id:${t.hostname}:${bootedAt}`),
    };
  });
  const workers = nodes.filter(n => n.role === 'worker');
  const schedulable = workers.length ? workers : nodes;

  const namespaceNames = new Set<string>(SYSTEM_NAMESPACES);
  for (const a of scenario.kubernetes.apps) namespaceNames.add(a.namespace);
  for (const g of scenario.kubernetes.gateways) namespaceNames.add(g.namespace);
  namespaceNames.add(scenario.kubernetes.sealedSecrets.namespace);
  const namespaces = [...namespaceNames].sort().map(name => ({
    name,
    createdAt: SYSTEM_NAMESPACES.includes(name)
      ? clusterCreatedAt
      : clusterCreatedAt +
        Math.round(id.unit(`ns:${name}`) * 30 * 24) * HOUR +
        15 * MINUTE,
  }));
  const nsCreated = (ns: string) =>
    namespaces.find(n => n.name === ns)!.createdAt;

  const apps: (App & { system?: boolean })[] = [
    ...scenario.kubernetes.apps,
    // Talos installs CoreDNS itself (cluster.coreDNS); it belongs to no app.
    {
      name: 'coredns',
      namespace: 'kube-system',
      kubernetesId: undefined as unknown as string,
      image: 'registry.k8s.io/coredns/coredns:v1.12.1',
      replicas: 2,
      port: 53,
      kind: 'Deployment',
      gateway: 'internal',
      health: 'healthy',
      cpuMillicores: 100,
      memoryMiB: 70,
      system: true,
    },
  ];

  const podCounts = new Map<string, number>();
  const nextPodIP = (node: NodePlan) => {
    const n = (podCounts.get(node.name) ?? 0) + 1;
    podCounts.set(node.name, n);
    return `10.244.${node.index}.${((n * 37 + node.index * 11) % 240) + 10}`;
  };

  const workloads: WorkloadPlan[] = apps.map(app => {
    const key = `${app.namespace}/${app.name}`;
    const createdAt = Math.max(
      nsCreated(app.namespace) + 2 * MINUTE,
      clusterCreatedAt + 10 * MINUTE,
    );
    const crashing = app.health === 'crashloop';
    // Pods live since the last node reboot (Talos upgrades drain the node);
    // a crash-looping pod is recent: it started failing after an update.
    const revisionCreatedAt = crashing
      ? start - Math.round((2 + id.unit(`crash:${key}`) * 2) * 60) * MINUTE
      : createdAt +
        Math.round(
          id.unit(`revision:${key}`) * ((start - createdAt) / MINUTE) * 0.9,
        ) *
          MINUTE;
    const selector = {
      'app.kubernetes.io/instance': app.name,
      'app.kubernetes.io/name': app.name,
    };
    const labels: Record<string, string> = {
      ...selector,
      ...(app.kubernetesId && {
        'backstage.io/kubernetes-id': app.kubernetesId,
      }),
      // Talos deploys CoreDNS labelled k8s-app=kube-dns, as kubeadm does;
      // `talosctl health` finds it by that label.
      ...(app.system && {
        'k8s-app': app.name === 'coredns' ? 'kube-dns' : app.name,
      }),
    };
    const isJobOnly = !!app.cronJob && app.replicas === 0;
    const plan: WorkloadPlan = {
      key,
      name: app.name,
      namespace: app.namespace,
      kind: app.kind,
      kubernetesId: app.kubernetesId,
      image: app.image,
      replicas: isJobOnly ? 0 : app.replicas,
      port: app.port,
      portName: PORT_NAMES[app.port] ?? 'http',
      health: app.health,
      cpuMillicores: app.cpuMillicores,
      memoryMiB: app.memoryMiB,
      hostNetwork: app.name === 'cilium',
      createdAt,
      revisionCreatedAt,
      templateHash: id.suffix(`template:${key}:${revisionCreatedAt}`, 10),
      labels,
      selector,
      strategy: 'RollingUpdate',
      hostname: app.hostname,
      gateway: app.gateway,
      autoscaling: app.autoscaling,
      cronJob: app.cronJob,
      pods: [],
    };
    const placements: NodePlan[] =
      app.kind === 'DaemonSet'
        ? nodes
        : Array.from({ length: plan.replicas }, (_, i) => {
            const pinned = app.node
              ? nodes.find(n => n.name === app.node)
              : undefined;
            return (
              pinned ??
              schedulable[
                Math.floor(id.unit(`place:${key}:${i}`) * schedulable.length)
              ]
            );
          });
    plan.pods = placements.map((node, index) => {
      const podCreated = Math.max(
        revisionCreatedAt,
        node.bootedAt +
          Math.round(2 + id.unit(`pod-start:${key}:${index}`) * 6) * MINUTE,
      );
      let name: string;
      if (app.kind === 'StatefulSet') name = `${app.name}-${index}`;
      else if (app.kind === 'DaemonSet')
        name = `${app.name}-${id.suffix(
          `pod:${key}:${node.name}:${podCreated}`,
        )}`;
      else
        name = `${app.name}-${plan.templateHash}-${id.suffix(
          `pod:${key}:${index}:${podCreated}`,
        )}`;
      const pending = app.health === 'pending';
      const podIP = () => {
        if (pending) return undefined;
        return plan.hostNetwork ? node.ip : nextPodIP(node);
      };
      return {
        key: `${key}/${index}`,
        name,
        namespace: app.namespace,
        workload: plan,
        node: pending ? undefined : node,
        ip: podIP(),
        createdAt: podCreated,
        index,
      };
    });
    return plan;
  });

  const controlPlanes = nodes.filter(n => n.role === 'controlplane');
  const version = scenario.talos.kubernetesVersion;
  const staticPods: StaticPodPlan[] = controlPlanes.flatMap(node =>
    (
      [
        ['kube-apiserver', 200, 900],
        ['kube-controller-manager', 60, 160],
        ['kube-scheduler', 20, 60],
      ] as const
    ).map(([component, cpu, mem]) => ({
      name: `${component}-${node.name}`,
      component,
      image: `registry.k8s.io/${component}:${version}`,
      node,
      createdAt: node.bootedAt + 90_000,
      cpuMillicores: cpu,
      memoryMiB: mem,
    })),
  );

  // ClusterIPs from the default service CIDR 10.96.0.0/12; .1 is the API
  // server's `kubernetes` Service and .10 is kube-dns, as kubeadm-style
  // clusters (and Talos) assign them.
  const serviceIPs = new Map<string, string>([
    ['default/kubernetes', '10.96.0.1'],
    ['kube-system/kube-dns', '10.96.0.10'],
  ]);
  const used = new Set(serviceIPs.values());
  for (const w of workloads) {
    if (w.name === 'coredns') continue;
    let n = Math.floor(id.unit(`svc-ip:${w.key}`) * 65000) + 100;
    let ip = '';
    do {
      ip = `10.${96 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${
        n % 256
      }`;
      n++;
    } while (used.has(ip) || ip.endsWith('.0') || ip.endsWith('.255'));
    used.add(ip);
    serviceIPs.set(w.key, ip);
  }

  return {
    id,
    scenario,
    start,
    clusterCreatedAt,
    nodes,
    namespaces,
    workloads,
    staticPods,
    serviceIPs,
  };
}
