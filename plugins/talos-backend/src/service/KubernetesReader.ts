import { Agent, fetch } from 'undici';

/** How to reach the Kubernetes API of a Talos cluster. */
export type KubernetesTarget = {
  url: string;
  token: string;
  caPem?: string;
  /** Where the settings came from, for messages. */
  source: string;
};

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
 * pods, the kube-proxy DaemonSet and the CoreDNS Deployment. Plain HTTPS with
 * the service-account token and the cluster's CA.
 */
export class KubernetesReader {
  private readonly dispatcher: Agent;
  calls = 0;

  constructor(
    readonly target: KubernetesTarget,
    private readonly timeoutMs = 5000,
  ) {
    this.dispatcher = new Agent({
      connect: target.caPem ? { ca: target.caPem } : {},
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  async close() {
    await this.dispatcher.close();
  }

  private async get(path: string): Promise<any> {
    this.calls++;
    const url = `${this.target.url.replace(/\/$/, '')}${path}`;
    let res;
    try {
      res = await fetch(url, {
        headers: {
          authorization: `Bearer ${this.target.token}`,
          accept: 'application/json',
        },
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      throw new KubernetesError(
        `the Kubernetes API at ${this.target.url} (${this.target.source}) is unreachable: ${cause.message}`,
      );
    }
    if (res.status === 401) {
      throw new KubernetesError(
        `the Kubernetes API at ${this.target.url} refused the service-account token (HTTP 401); check ${this.target.source}`,
      );
    }
    if (res.status === 403) {
      throw new KubernetesError(
        `the service-account token may not read ${path} (HTTP 403): it needs get/list on nodes, pods, daemonsets and deployments`,
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
