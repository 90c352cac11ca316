import type { RbacObject } from '../../scenario/rbacSchema';
import type { SealingKeys } from '../../sealedSecrets/keys';
import { SimContext } from '../../SimContext';
import { apiVersionOf, RESOURCES, resourceKey } from '../api/resources';
import { CreatedObjects } from './createdObjects';
import { podEvents } from './events';
import type { DeliveryObjects } from './gitops/DeliveryObjects';
import { buildGatewayClass, buildGateways, buildHttpRoute } from './gateway';
import { buildCronJob, buildJobPods, buildJobs } from './jobs';
import { podLogs } from './logs';
import {
  buildNodeMetrics,
  buildPodMetrics,
  cpuUsage,
  memoryUsage,
} from './metrics';
import { buildNamespace, buildNode, buildRootCaConfigMap } from './nodes';
import { staticMeta } from './objectMeta';
import { OBJECT_SOURCES } from './objectSources';
import { buildPod, buildStaticPod, containerState } from './pods';
import { SealedSecretsReconciler } from './sealedSecrets';
import { buildTopology, PodPlan, Topology, WorkloadPlan } from './topology';
import {
  buildDaemonSet,
  buildDeployment,
  buildHpa,
  buildReplicaSet,
  buildService,
  buildStatefulSet,
  buildSystemServices,
} from './workloads';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: any;
};

/** Every object of the cluster at one moment, by resource key (`pods`, `deployments.apps`). */
export type ClusterSnapshot = {
  at: number;
  resourceVersion: string;
  objects: Map<string, KubeObject[]>;
};

/**
 * The simulated Talos cluster: a fixed topology from the scenario, and the
 * state of every object at any moment. Snapshots are rebuilt at most once a
 * second, so one page load of the Kubernetes tab (a dozen parallel list
 * calls) sees one consistent cluster.
 */
export class ClusterModel {
  readonly topology: Topology;
  /** Objects written through the API, on top of the derived ones. */
  readonly created = new CreatedObjects();
  private cached?: ClusterSnapshot;
  /** Workloads the GitOps engines added after the start (apps merged since). */
  private delivered: WorkloadPlan[] = [];
  private readonly sealedSecrets?: SealedSecretsReconciler;
  private readonly keyOfKind = new Map(
    RESOURCES.map(r => [`${apiVersionOf(r)}/${r.kind}`, resourceKey(r)]),
  );

  constructor(
    private readonly ctx: SimContext,
    private readonly caPem: string,
    private readonly options: {
      rbac?: RbacObject[];
      sealing?: SealingKeys;
      /** What the GitOps engines deploy (Flux, Argo CD, cert-manager, merged apps). */
      delivery?: DeliveryObjects;
    } = {},
  ) {
    this.topology = buildTopology(ctx);
    if (options.sealing) {
      this.sealedSecrets = new SealedSecretsReconciler(
        this.topology,
        ctx.scenario.kubernetes.secrets,
        options.sealing,
      );
    }
  }

  /** The list resourceVersion at `now`: above every object's (see pods.ts resourceVersion). */
  resourceVersionAt(now: number) {
    const base =
      Math.floor((now - this.topology.clusterCreatedAt) / 1000) * 100 + 70;
    return String(Math.max(base, this.created.latestVersion));
  }

  /** The time of the second a resourceVersion was current in. */
  timeOfVersion(rv: number) {
    return this.topology.clusterCreatedAt + Math.floor(rv / 100) * 1000;
  }

  /** The next resourceVersion for an object written through the API now. */
  nextResourceVersion(now = this.ctx.now()) {
    const base =
      Math.floor((now - this.topology.clusterCreatedAt) / 1000) * 100 + 70;
    return this.created.nextVersion(base);
  }

  snapshot(now = this.ctx.now()): ClusterSnapshot {
    const second = Math.floor(now / 1000) * 1000;
    if (this.cached?.at !== second) this.cached = this.build(second);
    return this.withCreated(this.cached, Infinity, now);
  }

  /** The cluster as it was when `rv` was current (a watch's starting point). */
  snapshotAt(rv: number): ClusterSnapshot {
    const at = this.timeOfVersion(rv);
    const base = this.cached?.at === at ? this.cached : this.build(at);
    return this.withCreated(base, rv, at);
  }

  /** The derived objects plus those written through the API, reconciled. */
  private withCreated(
    base: ClusterSnapshot,
    rv: number,
    now: number,
  ): ClusterSnapshot {
    const objects = new Map(base.objects);
    for (const [key, list] of this.created.at(rv)) {
      objects.set(key, sortByName([...(objects.get(key) ?? []), ...list]));
    }
    if (this.sealedSecrets) {
      const key = 'sealedsecrets.bitnami.com';
      const { sealed, secrets } = this.sealedSecrets.reconcile(
        objects.get(key) ?? [],
      );
      objects.set(key, sealed);
      objects.set(
        'secrets',
        sortByName([...(objects.get('secrets') ?? []), ...secrets]),
      );
    }
    return {
      at: base.at,
      resourceVersion:
        rv === Infinity ? this.resourceVersionAt(now) : String(rv),
      objects,
    };
  }

  /** The plan behind a pod of a scenario workload, for logs. */
  podPlan(namespace: string, name: string): PodPlan | undefined {
    for (const w of [...this.topology.workloads, ...this.delivered]) {
      const p = w.pods.find(x => x.namespace === namespace && x.name === name);
      if (p) return p;
    }
    return undefined;
  }

  /** Whether the pod's container is running now (a crash loop between runs is not). */
  isRunning(plan: PodPlan, now = this.ctx.now()) {
    const state = containerState(this.topology, plan, now);
    return (
      state.kind === 'running' ||
      (state.kind === 'crashloop' && Boolean(state.running))
    );
  }

  logs(plan: PodPlan, query: URLSearchParams, now = this.ctx.now()) {
    return podLogs(this.topology, plan, query, now);
  }

  private build(now: number): ClusterSnapshot {
    const t = this.topology;
    const objects = new Map<string, KubeObject[]>();
    const add = (
      group: string,
      plural: string,
      ...items: (Record<string, any> | undefined)[]
    ) => {
      const key = resourceKey({ group, plural });
      const list = objects.get(key) ?? [];
      for (const item of items) if (item) list.push(item as KubeObject);
      objects.set(key, list);
    };
    for (const r of RESOURCES) objects.set(resourceKey(r), []);
    const place = (o: KubeObject) => {
      const key = this.keyOfKind.get(`${o.apiVersion}/${o.kind}`);
      if (!key) {
        throw new Error(
          `an object source built ${o.apiVersion} ${o.kind}, which the API server does not serve`,
        );
      }
      objects.get(key)!.push(o);
    };

    for (const ns of t.namespaces) {
      add('', 'namespaces', buildNamespace(t, ns));
      add('', 'configmaps', buildRootCaConfigMap(t, ns, this.caPem));
    }
    const nodeUsage = new Map<string, { cpu: number; mem: number }>(
      t.nodes.map(n => [n.name, { cpu: 150, mem: 700 }]), // system daemons outside pods
    );
    const meter = (nodeName: string | undefined, cpu: number, mem: number) => {
      const u = nodeName && nodeUsage.get(nodeName);
      if (u) {
        u.cpu += cpu;
        u.mem += mem;
      }
    };
    for (const n of t.nodes) add('', 'nodes', buildNode(t, n, now));
    add('', 'services', ...buildSystemServices(t));

    this.delivered = this.options.delivery?.workloads(t, now) ?? [];
    for (const group of this.options.delivery?.objects(t, now) ?? [])
      add(group.group, group.plural, ...group.items);
    for (const w of [...t.workloads, ...this.delivered]) {
      let cpuTotal = 0;
      for (const p of w.pods) {
        const pod = buildPod(t, p, now);
        add('', 'pods', pod);
        add('', 'events', ...podEvents(t, p, pod, now));
        const state = containerState(t, p, now);
        if (
          state.kind === 'running' ||
          (state.kind === 'crashloop' && state.running)
        ) {
          const container = {
            podKey: p.key,
            name: w.name,
            cpuRequest: w.cpuMillicores,
            memoryRequestMiB: w.memoryMiB,
          };
          add(
            'metrics.k8s.io',
            'pods',
            buildPodMetrics(t, pod, [container], now),
          );
          const cpu = cpuUsage(t, p.key, w.cpuMillicores, now);
          cpuTotal += cpu;
          meter(p.node?.name, cpu, memoryUsage(t, p.key, w.memoryMiB, now));
        }
      }
      if (w.replicas > 0 || w.kind === 'DaemonSet') {
        switch (w.kind) {
          case 'Deployment':
            add('apps', 'deployments', buildDeployment(t, w, now));
            add('apps', 'replicasets', buildReplicaSet(t, w, now));
            break;
          case 'StatefulSet':
            add('apps', 'statefulsets', buildStatefulSet(t, w, now));
            break;
          default:
            add('apps', 'daemonsets', buildDaemonSet(t, w, now));
        }
        if (w.name !== 'coredns') add('', 'services', buildService(t, w));
      }
      add('batch', 'cronjobs', buildCronJob(t, w, now));
      add('batch', 'jobs', ...buildJobs(t, w, now));
      add('', 'pods', ...buildJobPods(t, w, now));
      add(
        'autoscaling',
        'horizontalpodautoscalers',
        buildHpa(t, w, w.pods.length ? cpuTotal / w.pods.length : 0),
      );
      add('gateway.networking.k8s.io', 'httproutes', buildHttpRoute(t, w));
    }
    for (const s of t.staticPods) {
      const pod = buildStaticPod(t, s);
      add('', 'pods', pod);
      const key = `static:${s.name}`;
      add(
        'metrics.k8s.io',
        'pods',
        buildPodMetrics(
          t,
          pod,
          [
            {
              podKey: key,
              name: s.component,
              cpuRequest: s.cpuMillicores,
              memoryRequestMiB: s.memoryMiB,
            },
          ],
          now,
        ),
      );
      meter(
        s.node.name,
        cpuUsage(t, key, s.cpuMillicores, now),
        memoryUsage(t, key, s.memoryMiB, now),
      );
    }
    for (const n of t.nodes) {
      const u = nodeUsage.get(n.name)!;
      const metrics = buildNodeMetrics(n.name, u.cpu, u.mem, now);
      const node = objects.get('nodes')!.find(x => x.metadata.name === n.name)!;
      metrics.metadata.labels = node.metadata.labels;
      add('metrics.k8s.io', 'nodes', metrics);
    }
    add('gateway.networking.k8s.io', 'gateways', ...buildGateways(t));
    add('gateway.networking.k8s.io', 'gatewayclasses', buildGatewayClass(t));

    for (const o of this.options.rbac ?? []) {
      place({
        ...o,
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: {
          ...o.metadata,
          ...staticMeta(
            t,
            o.kind,
            o.metadata.name,
            o.metadata.namespace,
            t.clusterCreatedAt,
          ),
        },
      } as KubeObject);
    }
    for (const o of this.sealedSecrets?.seededObjects() ?? []) place(o);
    for (const source of OBJECT_SOURCES) {
      for (const o of source({ t, now, objects })) place(o);
    }

    for (const list of objects.values()) sortByName(list);
    return {
      at: now,
      resourceVersion: this.resourceVersionAt(now),
      objects,
    };
  }
}

/** etcd order: by namespace, then name. */
function sortByName(list: KubeObject[]) {
  return list.sort((a, b) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    ),
  );
}
