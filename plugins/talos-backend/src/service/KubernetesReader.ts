import {
  KubernetesCluster,
  KubernetesClusterError,
} from '@homelab-portal/plugin-kubernetes-cluster-node';
import { z } from 'zod';

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

// The parts of the API's lists that are read, as the API server sends them:
// optional fields are left out (or null from some servers), extra ones kept
// out of the result.
const labelMap = z.record(z.string(), z.string());
const conditions = z.array(
  z.object({
    type: z.string(),
    status: z.string(),
    message: z.string().nullish(),
  }),
);

const nodeList = z.object({
  items: z
    .array(
      z.object({
        metadata: z.object({ name: z.string(), labels: labelMap.nullish() }),
        spec: z.object({ unschedulable: z.boolean().nullish() }).nullish(),
        status: z
          .object({
            conditions: conditions.nullish(),
            addresses: z
              .array(z.object({ type: z.string(), address: z.string() }))
              .nullish(),
            nodeInfo: z
              .object({
                systemUUID: z.string().nullish(),
                kubeletVersion: z.string().nullish(),
                osImage: z.string().nullish(),
              })
              .nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
});

const podList = z.object({
  items: z
    .array(
      z.object({
        metadata: z.object({ name: z.string(), labels: labelMap.nullish() }),
        spec: z.object({ nodeName: z.string().nullish() }).nullish(),
        status: z
          .object({ phase: z.string().nullish(), conditions: conditions.nullish() })
          .nullish(),
      }),
    )
    .nullish(),
});

const count = z.number().int().nullish();

const daemonSetList = z.object({
  items: z
    .array(
      z.object({
        status: z
          .object({ desiredNumberScheduled: count, numberReady: count })
          .nullish(),
      }),
    )
    .nullish(),
});

const deploymentList = z.object({
  items: z
    .array(
      z.object({
        spec: z.object({ replicas: count }).nullish(),
        status: z.object({ readyReplicas: count }).nullish(),
      }),
    )
    .nullish(),
});

type NodeItem = NonNullable<z.infer<typeof nodeList>['items']>[number];
type PodItem = NonNullable<z.infer<typeof podList>['items']>[number];

/** `items.0.metadata.name: expected string, received undefined` (the first few issues). */
function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
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

  /** GET `path`, checked against `schema` (`kind` names it in errors). */
  private async get<S extends z.ZodType>(
    path: string,
    schema: S,
    kind: string,
  ): Promise<z.output<S>> {
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
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new KubernetesError(
        `the Kubernetes API answered GET ${path} with something that is not JSON`,
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new KubernetesError(
        `the Kubernetes API answered GET ${path} with a body that is not a ${kind}: ${issuesText(
          parsed.error,
        )}`,
      );
    }
    return parsed.data;
  }

  async read(): Promise<KubernetesSnapshot> {
    const [nodes, pods, proxies, dns] = await Promise.all([
      this.get('/api/v1/nodes', nodeList, 'NodeList'),
      this.get('/api/v1/namespaces/kube-system/pods', podList, 'PodList'),
      this.get(
        '/apis/apps/v1/namespaces/kube-system/daemonsets?labelSelector=k8s-app%3Dkube-proxy',
        daemonSetList,
        'DaemonSetList',
      ),
      this.get(
        '/apis/apps/v1/namespaces/kube-system/deployments?labelSelector=k8s-app%3Dkube-dns',
        deploymentList,
        'DeploymentList',
      ),
    ]);
    const ds = proxies.items?.[0];
    const dep = dns.items?.[0];
    return {
      nodes: (nodes.items ?? []).map(toNode),
      kubeSystemPods: (pods.items ?? []).map(toPod),
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

function toNode(n: NodeItem): KubeNode {
  const ready = (n.status?.conditions ?? []).find(c => c.type === 'Ready');
  const labels = n.metadata.labels ?? {};
  return {
    name: n.metadata.name,
    ready: ready?.status === 'True',
    readyMessage: ready?.message ?? undefined,
    unschedulable: Boolean(n.spec?.unschedulable),
    systemUUID: n.status?.nodeInfo?.systemUUID ?? undefined,
    internalIPs: (n.status?.addresses ?? [])
      .filter(a => a.type === 'InternalIP')
      .map(a => a.address),
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? undefined,
    osImage: n.status?.nodeInfo?.osImage ?? undefined,
    controlPlane: 'node-role.kubernetes.io/control-plane' in labels,
  };
}

function toPod(p: PodItem): KubePod {
  const ready = (p.status?.conditions ?? []).find(c => c.type === 'Ready');
  return {
    name: p.metadata.name,
    nodeName: p.spec?.nodeName ?? undefined,
    phase: p.status?.phase ?? undefined,
    ready: ready?.status === 'True',
    labels: p.metadata.labels ?? {},
  };
}
