import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError, toError } from '@backstage/errors';
import {
  TalosClusterRef,
  TalosClusterView,
  TalosEntityView,
  TalosEtcdView,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';
import {
  TalosClusterConfig,
  TalosPluginConfig,
} from '../config/readTalosConfig';
import { Members } from '../grpc/cosiTypes';
import { TalosClient } from '../grpc/TalosClient';
import { correlate, matchVm, VmFacts, vmFactsOf } from './correlate';
import { evaluateHealth } from './health';
import {
  KubeNode,
  KubernetesReader,
  KubernetesSnapshot,
} from './KubernetesReader';
import { NodeEtcd, NodeReader, NodeReading } from './NodeReader';
import { TtlCache } from './TtlCache';
import { adviseUpgrades, readReleases, Releases } from './upgrades';

/** Reads the VM entities the links point at (the catalog, with the plugin's own credentials). */
export type VmEntitySource = () => Promise<Entity[]>;

type KubeResult = { snapshot?: KubernetesSnapshot; error?: string };

class ClusterState {
  readonly client: TalosClient;
  readonly reader: NodeReader;
  readonly nodes: TtlCache<NodeReading>;
  readonly members: TtlCache<string[]>;
  readonly kube?: KubernetesReader;
  readonly kubeCache: TtlCache<KubeResult>;
  /** The assembled view, shared by every viewer until its parts expire. */
  readonly views: TtlCache<TalosClusterView>;
  lastWatched = 0;
  readonly reachable = new Map<string, boolean>();

  constructor(readonly config: TalosClusterConfig, cacheMs: number) {
    this.client = new TalosClient(config.context, {
      timeoutMs: config.timeoutMs,
    });
    this.reader = new NodeReader(this.client);
    this.nodes = new TtlCache(cacheMs);
    this.members = new TtlCache(60_000);
    this.kubeCache = new TtlCache(cacheMs);
    this.views = new TtlCache(cacheMs);
    if (config.kubernetes)
      this.kube = new KubernetesReader(config.kubernetes, config.timeoutMs);
  }
}

/**
 * The Talos side of the portal: one client per cluster, a short cache shared
 * by every user (a node is read at most once per `cacheSeconds` whatever the
 * number of viewers), and the cluster view assembled from it: nodes, etcd,
 * the `talosctl health` checks, upgrade advice and the links to VMs and
 * Kubernetes Nodes. While someone is looking at a cluster it keeps sampling,
 * so the charts fill at a steady pace.
 */
export class TalosService {
  private readonly clusters = new Map<string, ClusterState>();
  private readonly vmCache = new TtlCache<VmFacts[]>(60_000);
  /**
   * Releases change a few times a month: an hour. A failed Image Factory
   * read (a fallback list with its error) is tried again after a minute,
   * or one outage would hide upgrades for the hour.
   */
  private readonly releaseCache = new TtlCache<Releases>(
    60 * 60_000,
    undefined,
    releases => (releases.error ? 60_000 : 60 * 60_000),
  );
  private sampler?: NodeJS.Timeout;

  constructor(
    private readonly config: TalosPluginConfig,
    private readonly options: {
      logger: LoggerService;
      vmEntities: VmEntitySource;
    },
  ) {
    for (const c of config.clusters)
      this.clusters.set(c.name, new ClusterState(c, config.cacheMs));
  }

  /** Keeps refreshing clusters someone looked at in the last two minutes. */
  startSampling() {
    if (this.sampler) return;
    this.sampler = setInterval(() => {
      for (const state of this.clusters.values()) {
        if (Date.now() - state.lastWatched < 120_000) {
          state.views
            .refresh('view', () => this.build(state))
            .catch(() => undefined);
        }
      }
      // Just past the cache period, so each tick reads the nodes afresh.
    }, Math.max(this.config.cacheMs, 2000) + 250);
    this.sampler.unref();
  }

  async close() {
    if (this.sampler) clearInterval(this.sampler);
    for (const s of this.clusters.values()) {
      s.client.close();
    }
  }

  /** Upstream calls made so far, for the benchmark. */
  upstreamCalls() {
    let talos = 0;
    let kubernetes = 0;
    for (const s of this.clusters.values()) {
      talos += s.client.calls;
      kubernetes += s.kube?.calls ?? 0;
    }
    return { talos, kubernetes };
  }

  listClusters(): TalosClusterRef[] {
    return [...this.clusters.values()].map(s => ({
      name: s.config.name,
      title: s.config.title,
      endpoints: s.config.context.endpoints,
    }));
  }

  private state(name: string): ClusterState {
    const s = this.clusters.get(name);
    if (!s)
      throw new NotFoundError(
        `No Talos cluster "${name}" is configured (see talos.clusters in app-config)`,
      );
    return s;
  }

  async getCluster(name: string): Promise<TalosClusterView> {
    const state = this.state(name);
    state.lastWatched = Date.now();
    return state.views.get('view', () => this.build(state));
  }

  /**
   * One node and its links (the node view, a VM's tab). Reads only that node,
   * plus what the links need (Kubernetes Nodes and VM entities, both cached).
   */
  async getNode(cluster: string, address: string): Promise<TalosEntityView> {
    const state = this.state(cluster);
    state.lastWatched = Date.now();
    const { kube, addresses, vms } = await this.context(state);
    const known =
      addresses.find(a => a === address) ??
      addresses.find(a => state.nodes.peek(a)?.view.hostname === address);
    if (!known) {
      throw new NotFoundError(
        `Talos cluster "${cluster}" has no node "${address}"`,
      );
    }
    return this.nodeWithLink(state, known, kube, vms);
  }

  /** The Talos node running in a VM entity, if any cluster has one there. */
  async getForEntity(entityRef: string): Promise<TalosEntityView> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    for (const state of this.clusters.values()) {
      const { kube, addresses, vms } = await this.context(state);
      const vm = vms.find(v => v.entityRef.toLocaleLowerCase('en-US') === ref);
      if (!vm) continue;
      // Which node is it? Compare with what is known of each node (from the
      // cache, or read now) without reading every node's statistics.
      const kubeNodes = kube.snapshot?.nodes ?? [];
      for (const address of addresses) {
        const cached = state.nodes.peek(address)?.view;
        const identity = enrichFromKubernetes(
          cached ?? (await state.reader.identify(address)),
          kubeNodes,
        );
        if (matchVm(identity, [vm])) {
          state.lastWatched = Date.now();
          return this.nodeWithLink(state, address, kube, vms);
        }
      }
    }
    throw new NotFoundError(
      `No Talos node was found in ${entityRef}: none of the configured clusters has a node whose SMBIOS UUID, MAC, IP or name matches this VM`,
    );
  }

  private async nodeWithLink(
    state: ClusterState,
    address: string,
    kube: KubeResult,
    vms: VmFacts[],
  ): Promise<TalosEntityView> {
    const kubeNodes = kube.snapshot?.nodes ?? [];
    const reading = await state.nodes.get(address, () =>
      state.reader.read(address),
    );
    const node = enrichFromKubernetes(reading.view, kubeNodes);
    this.noteReachability(state, node);
    const [link] = correlate(state.config.name, [node], vms, kubeNodes);
    return { node, link };
  }

  /** What every view needs besides the nodes: Kubernetes, discovery, VMs; all cached. */
  private async context(state: ClusterState) {
    const [kube, members, vms] = await Promise.all([
      this.readKubernetes(state),
      state.members
        .get('members', async () => {
          const list = await state.client.list(Members);
          return list.map(m => m.spec.addresses?.[0] ?? '').filter(Boolean);
        })
        // Discovery is often off; the configured nodes are enough then.
        .catch(() => [] as string[]),
      this.vms(),
    ]);
    const kubeNodes = kube.snapshot?.nodes ?? [];
    const addresses = unique([
      ...state.config.nodes,
      ...members,
      ...kubeNodes.map(n => n.internalIPs[0]).filter(Boolean),
    ]);
    return { kube, addresses, vms };
  }

  private async build(state: ClusterState): Promise<TalosClusterView> {
    const { config } = state;
    const [{ kube, addresses, vms }, releases] = await Promise.all([
      this.context(state),
      this.releaseCache.get('releases', () =>
        readReleases(this.config.upgrades, config.timeoutMs),
      ),
    ]);
    const kubeNodes = kube.snapshot?.nodes ?? [];
    const readings = await Promise.all(
      addresses.map(address =>
        state.nodes.get(address, () => state.reader.read(address)),
      ),
    );
    const nodes = readings.map(r => enrichFromKubernetes(r.view, kubeNodes));
    for (const n of nodes) this.noteReachability(state, n);

    const etcdByNode = new Map<string, NodeEtcd | undefined>(
      readings.map(r => [r.view.address, r.etcd]),
    );
    const health = evaluateHealth({
      nodes,
      etcd: etcdByNode,
      kubernetes: state.kube
        ? { configured: true, ...kube }
        : { configured: false },
    });
    const upgrades = adviseUpgrades(
      nodes.map(n => n.talosVersion),
      nodes.map(n => n.kubernetesVersion),
      releases,
    );
    return {
      name: config.name,
      title: config.title,
      fetchedAt: new Date().toISOString(),
      endpoints: config.context.endpoints,
      roles: state.client.roles,
      nodes,
      etcd: etcdView(nodes, etcdByNode),
      health,
      upgrades,
      links: correlate(config.name, nodes, vms, kubeNodes),
      kubernetes: { configured: !!state.kube, error: kube.error },
    };
  }

  private readKubernetes(state: ClusterState): Promise<KubeResult> {
    const kube = state.kube;
    if (!kube) return Promise.resolve({});
    // Failures are kept for the cache period too, so a broken API is not
    // asked again by every viewer.
    return state.kubeCache.get('snapshot', () =>
      kube.read().then(
        snapshot => ({ snapshot }),
        error => ({ error: toError(error).message }),
      ),
    );
  }

  private vms(): Promise<VmFacts[]> {
    return this.vmCache
      .get('vms', async () => (await this.options.vmEntities()).map(vmFactsOf))
      .catch(error => {
        this.options.logger.info(
          `Could not read VM entities from the catalog for Talos links: ${error}`,
        );
        return [];
      });
  }

  /** One log line when a node stops or starts answering, not one per refresh. */
  private noteReachability(state: ClusterState, n: TalosNodeView) {
    const before = state.reachable.get(n.address);
    state.reachable.set(n.address, n.reachable);
    if (before === n.reachable || (before === undefined && n.reachable)) return;
    this.options.logger.info(
      n.reachable
        ? `Talos node ${n.address} of cluster ${state.config.name} answers again`
        : `Talos node ${n.address} of cluster ${state.config.name} does not answer: ${n.error?.message}`,
    );
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values.map(v => v.trim()).filter(Boolean))];
}

/**
 * Fills what the Talos API could not give from the node's Kubernetes Node:
 * the Kubernetes version (Talos before 1.14 without os:admin on a worker),
 * and the identity of a node that does not answer.
 */
function enrichFromKubernetes(
  view: TalosNodeView,
  kubeNodes: KubeNode[],
): TalosNodeView {
  const kn =
    kubeNodes.find(k => k.internalIPs.includes(view.address)) ??
    kubeNodes.find(k => k.name === (view.nodename ?? view.hostname));
  if (!kn) return view;
  const out = { ...view, hardware: { ...view.hardware } };
  if (!out.kubernetesVersion && kn.kubeletVersion) {
    out.kubernetesVersion = kn.kubeletVersion;
    out.kubernetesVersionSource = 'Kubernetes Node';
  }
  if (!view.reachable) {
    out.hostname ??= kn.name;
    out.nodename ??= kn.name;
    out.hardware.uuid ??= kn.systemUUID?.toLowerCase();
    if (out.role === 'unknown')
      out.role = kn.controlPlane ? 'controlplane' : 'worker';
    if (!out.talosVersion) {
      const m = /Talos \((v[^)]+)\)/.exec(kn.osImage ?? '');
      if (m) out.talosVersion = m[1];
    }
  }
  return out;
}

/** Why a member's status is missing: its node is down, or its etcd call failed. */
function memberProblem(
  node: TalosNodeView | undefined,
  byNode: Map<string, NodeEtcd | undefined>,
) {
  if (!node) return undefined;
  return node.reachable ? byNode.get(node.address)?.error : node.error;
}

function etcdView(
  nodes: TalosNodeView[],
  byNode: Map<string, NodeEtcd | undefined>,
): TalosEtcdView {
  const cps = nodes.filter(n => n.role === 'controlplane' || n.role === 'init');
  const withMembers = cps.map(n => byNode.get(n.address)).find(e => e?.members);
  if (!withMembers?.members) {
    const error =
      cps
        .map(
          n =>
            byNode.get(n.address)?.error ?? (n.reachable ? undefined : n.error),
        )
        .find(Boolean) ??
      (cps.length
        ? undefined
        : {
            kind: 'unreachable' as const,
            message: 'no control-plane node answered',
          });
    return { members: [], error };
  }
  const statuses = [...byNode.values()]
    .map(e => e?.status)
    .filter(Boolean) as NonNullable<NodeEtcd['status']>[];
  const alarms = [...byNode.values()].flatMap(e => e?.alarms ?? []);
  const leader = statuses.find(s => s.leader && s.leader !== '0')?.leader;
  const hex = (id: string) => BigInt(id).toString(16).padStart(16, '0');
  return {
    leaderId: leader ? hex(leader) : undefined,
    members: withMembers.members.map(m => {
      const status = statuses.find(s => s.member_id === m.id);
      const node = cps.find(n => n.hostname === m.hostname);
      return {
        id: hex(m.id),
        hostname: m.hostname,
        peerUrls: m.peer_urls,
        clientUrls: m.client_urls,
        isLearner: m.is_learner,
        isLeader: !!leader && leader === m.id,
        status: status
          ? {
              dbSizeBytes: Number(status.db_size),
              dbSizeInUseBytes: Number(status.db_size_in_use),
              raftIndex: status.raft_index,
              raftTerm: status.raft_term,
              protocolVersion: status.protocol_version,
              storageVersion: status.storage_version || undefined,
              errors: status.errors,
            }
          : undefined,
        statusError: status ? undefined : memberProblem(node, byNode),
        alarms: alarms
          .filter(a => a.member_id === m.id && a.alarm !== 'NONE')
          .map(a => a.alarm),
      };
    }),
  };
}
