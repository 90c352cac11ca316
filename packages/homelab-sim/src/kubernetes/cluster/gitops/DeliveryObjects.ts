import { KubeObject } from '../ClusterModel';
import { Topology, WorkloadPlan } from '../topology';
import { argoApplication } from './argoObjects';
import { buildCertificates } from './certificates';
import {
  appHelmRelease,
  appKustomization,
  appOciRepository,
  clusterApps,
  gitRepository,
} from './fluxObjects';
import { AppDelivery, GitopsEngine } from './GitopsEngine';

/** Objects of one resource type, by API group and plural. */
export type ObjectGroup = {
  group: string;
  plural: string;
  items: KubeObject[];
};

/**
 * What the GitOps engines put in the cluster at a moment: Flux sources,
 * Kustomizations and HelmReleases for the Flux repository, Argo CD
 * Applications for the Argo CD one, cert-manager Certificates, and the
 * workloads of apps that a merge added after the demo started (the scenario's
 * own apps are in the topology already).
 */
export class DeliveryObjects {
  constructor(
    private readonly engine: GitopsEngine,
    private readonly startedAt: number,
  ) {}

  objects(t: Topology, now: number): ObjectGroup[] {
    const delay = this.engine.delayMs;
    const deliveries = this.engine.deliveries(now);
    const out = {
      gitrepositories: [] as KubeObject[],
      kustomizations: [] as KubeObject[],
      ocirepositories: [] as KubeObject[],
      helmreleases: [] as KubeObject[],
      applications: [] as KubeObject[],
    };
    const add = (list: KubeObject[], o: Record<string, any> | undefined) => {
      if (o) list.push(o as KubeObject);
    };
    for (const repo of t.scenario.forge.repositories) {
      const revision = this.engine.revision(repo.name, now);
      const first = this.engine.revision(repo.name, 0);
      if (!revision || repo.layout !== 'flux') continue;
      const spec = deliveries.find(d => d.repo.name === repo.name)?.repo;
      if (!spec) continue;
      const firstAt = first?.fetchedAt ?? revision.fetchedAt;
      add(out.gitrepositories, gitRepository(t, spec, revision, firstAt));
      add(out.kustomizations, clusterApps(t, spec, revision, firstAt));
    }
    for (const d of deliveries) {
      if (d.repo.layout === 'flux') {
        add(out.kustomizations, appKustomization(t, d, now, delay));
        if (now >= d.createdAt + delay / 2)
          add(out.ocirepositories, appOciRepository(t, d, delay));
        add(out.helmreleases, appHelmRelease(t, d, now, delay));
      } else {
        add(out.applications, argoApplication(t, d, now, delay));
      }
    }
    return [
      {
        group: 'source.toolkit.fluxcd.io',
        plural: 'gitrepositories',
        items: out.gitrepositories,
      },
      {
        group: 'source.toolkit.fluxcd.io',
        plural: 'ocirepositories',
        items: out.ocirepositories,
      },
      {
        group: 'kustomize.toolkit.fluxcd.io',
        plural: 'kustomizations',
        items: out.kustomizations,
      },
      {
        group: 'helm.toolkit.fluxcd.io',
        plural: 'helmreleases',
        items: out.helmreleases,
      },
      { group: 'argoproj.io', plural: 'applications', items: out.applications },
      {
        group: 'cert-manager.io',
        plural: 'certificates',
        items: buildCertificates(t, this.startedAt) as KubeObject[],
      },
    ];
  }

  /** Workloads of apps merged since the demo started, once their release installs them. */
  workloads(t: Topology, now: number): WorkloadPlan[] {
    const delay = this.engine.delayMs;
    const known = new Set(
      t.workloads.flatMap(w => [w.kubernetesId, w.name].filter(Boolean)),
    );
    const seen = new Set<string>();
    const plans: WorkloadPlan[] = [];
    for (const d of this.engine.deliveries(now)) {
      const installAt = d.createdAt + delay / 2;
      const key = `${d.app.namespace}/${d.app.name}`;
      if (known.has(d.app.name) || seen.has(key) || now < installAt) continue;
      seen.add(key);
      plans.push(planNewApp(t, d, installAt));
    }
    return plans;
  }
}

/** A one-replica workload for an app the engines installed at `installAt`. */
function planNewApp(
  t: Topology,
  d: AppDelivery,
  installAt: number,
): WorkloadPlan {
  const { app } = d;
  const key = `${app.namespace}/${app.name}`;
  const domain = `.${t.scenario.household.domain}`;
  const selector = {
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/name': app.name,
  };
  const workers = t.nodes.filter(n => n.role === 'worker');
  const node = (workers.length ? workers : t.nodes)[0];
  if (!t.serviceIPs.has(key))
    t.serviceIPs.set(
      key,
      `10.${96 + (t.serviceIPs.size % 4)}.${200 + (t.serviceIPs.size % 50)}.${
        10 + Math.floor(t.id.unit(`svc-ip:${key}`) * 240)
      }`,
    );
  if (!t.namespaces.some(n => n.name === app.namespace))
    t.namespaces.push({ name: app.namespace, createdAt: installAt });
  const plan: WorkloadPlan = {
    key,
    name: app.name,
    namespace: app.namespace,
    kind: app.kind,
    kubernetesId: app.name,
    image: app.images[0] ?? 'registry.invalid/unknown:latest',
    replicas: 1,
    port: app.port,
    portName: 'http',
    health: 'healthy',
    cpuMillicores: 50,
    memoryMiB: 256,
    hostNetwork: false,
    createdAt: installAt,
    revisionCreatedAt: installAt,
    templateHash: t.id.suffix(`template:${key}:${installAt}`, 10),
    labels: { ...selector, 'backstage.io/kubernetes-id': app.name },
    selector,
    strategy: 'RollingUpdate',
    hostname: app.hostnames[0]?.endsWith(domain)
      ? app.hostnames[0].slice(0, -domain.length)
      : undefined,
    gateway: app.gateway,
    pods: [],
  };
  const podName =
    app.kind === 'StatefulSet'
      ? `${app.name}-0`
      : `${app.name}-${plan.templateHash}-${t.id.suffix(`pod:${key}:0`)}`;
  plan.pods = [
    {
      key: `${key}/0`,
      name: podName,
      namespace: app.namespace,
      workload: plan,
      node,
      ip: `10.244.${node.index}.${
        200 + Math.floor(t.id.unit(`ip:${key}`) * 50)
      }`,
      createdAt: installAt + 1_000,
      index: 0,
    },
  ];
  return plan;
}
