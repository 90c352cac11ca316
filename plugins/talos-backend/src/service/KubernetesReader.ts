import {
  KubernetesCluster,
  KubernetesClusterError,
} from '@homelab-portal/plugin-kubernetes-cluster-node';

/** A cluster to read, or why the one configured cannot be read. */
export type KubernetesTarget = KubernetesCluster | { unavailable: string };

/** The parts of Kubernetes objects the health checks and links read. */
export type KubeNode = {
  name: string;
  ready: boolean;
  readyMessage?: string;
  unschedulable: boolean;
  systemUUID?: string;
  internalIPs: string[];
  kubeletVersion?: string;
  osImage?: string;
  controlPlane: boolean;
};

export type KubePod = {
  name: string;
  nodeName?: string;
  phase?: string;
  ready: boolean;
  labels: Record<string, string>;
};

export type KubernetesSnapshot = {
  nodes: KubeNode[];
  kubeSystemPods: KubePod[];
  /** desiredNumberScheduled of the kube-proxy DaemonSet, if there is one. */
  kubeProxy?: { desired: number; ready: number };
  /** replicas of the CoreDNS Deployment (k8s-app=kube-dns), if there is one. */
  coreDns?: { desired: number; ready: number };
};

export class KubernetesError extends Error {
  name = 'KubernetesError';
}

/**
 * Reads what `talosctl health` reads from Kubernetes: nodes, kube-system
 * pods, the kube-proxy DaemonSet and the CoreDNS Deployment, through the
 * shared cluster connection (a configured token or the Pod's own).
 */
export class KubernetesReader {
  calls = 0;

  constructor(
    readonly target: KubernetesTarget,
    private readonly timeoutMs = 5000,
  ) {}

  private async get(path: string): Promise<any> {
    const cluster = this.target;
    if ('unavailable' in cluster)
      throw new KubernetesError(cluster.unavailable);
    this.calls++;
    let res;
    try {
      res = await cluster.fetch(path, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      if (error instanceof KubernetesClusterError)
        throw new KubernetesError(error.message);
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      throw new KubernetesError(
        `the Kubernetes API of cluster "${cluster.name}" (${cluster.source}) is unreachable: ${cause.message}`,
      );
    }
    if (res.status === 401) {
      throw new KubernetesError(
        `the Kubernetes API refused ${await cluster.identity()} (HTTP 401); check ${
          cluster.source
        }`,
      );
    }
    if (res.status === 403) {
      throw new KubernetesError(
        `the portal's service account may not read ${path} (HTTP 403): it needs list on nodes, pods, daemonsets and deployments`,
      );
    }
    if (!res.ok) {
      throw new KubernetesError(
        `the Kubernetes API answered HTTP ${res.status} to GET ${path}`,
      );
    }
    try {
      return await res.json();
    } catch {
      throw new KubernetesError(
        `the Kubernetes API answered GET ${path} with something that is not JSON`,
      );
    }
  }

  async read(): Promise<KubernetesSnapshot> {
    const [nodes, pods, proxies, dns] = await Promise.all([
      this.get('/api/v1/nodes'),
      this.get('/api/v1/namespaces/kube-system/pods'),
      this.get(
        '/apis/apps/v1/namespaces/kube-system/daemonsets?labelSelector=k8s-app%3Dkube-proxy',
      ),
      this.get(
        '/apis/apps/v1/namespaces/kube-system/deployments?labelSelector=k8s-app%3Dkube-dns',
      ),
    ]);
    const ds = proxies?.items?.[0];
    const dep = dns?.items?.[0];
    return {
      nodes: (nodes?.items ?? []).map(toNode),
      kubeSystemPods: (pods?.items ?? []).map(toPod),
      kubeProxy: ds
        ? {
            desired: ds.status?.desiredNumberScheduled ?? 0,
            ready: ds.status?.numberReady ?? 0,
          }
        : undefined,
      coreDns: dep
        ? {
            desired: dep.spec?.replicas ?? 1,
            ready: dep.status?.readyReplicas ?? 0,
          }
        : undefined,
    };
  }
}

function toNode(n: any): KubeNode {
  const ready = (n.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  const labels = n.metadata?.labels ?? {};
  return {
    name: n.metadata?.name,
    ready: ready?.status === 'True',
    readyMessage: ready?.message,
    unschedulable: Boolean(n.spec?.unschedulable),
    systemUUID: n.status?.nodeInfo?.systemUUID,
    internalIPs: (n.status?.addresses ?? [])
      .filter((a: any) => a.type === 'InternalIP')
      .map((a: any) => a.address),
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion,
    osImage: n.status?.nodeInfo?.osImage,
    controlPlane: 'node-role.kubernetes.io/control-plane' in labels,
  };
}

function toPod(p: any): KubePod {
  const ready = (p.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  return {
    name: p.metadata?.name,
    nodeName: p.spec?.nodeName,
    phase: p.status?.phase,
    ready: ready?.status === 'True',
    labels: p.metadata?.labels ?? {},
  };
}
