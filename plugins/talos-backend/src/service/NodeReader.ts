import { toError } from '@backstage/errors';
import {
  parseVersion,
  TalosDiskView,
  TalosNodeRole,
  TalosNodeSample,
  TalosNodeView,
  TalosProblem,
} from '@homelab-portal/plugin-talos-common';
import {
  Diagnostics,
  Disks,
  ExtensionStatuses,
  ImageFactorySchematics,
  KubeletSpecs,
  KubeletStatuses,
  LinkStatuses,
  MachineStatuses,
  MachineTypes,
  NodeAddresses,
  Nodenames,
  StaticPods,
  SystemDisks,
  SystemInformations,
  VolumeStatuses,
} from '../grpc/cosiTypes';
import { TalosCallError } from '../grpc/errors';
import { TalosClient } from '../grpc/TalosClient';
import {
  addressesOf,
  bootOf,
  cpuOf,
  cpuPercent,
  CpuSample,
  cpuSampleOf,
  extensionsOf,
  imageTag,
  machineStatusOf,
  macsOf,
  memoryOf,
  roleOf,
  toDiagnostic,
  toDisk,
  toService,
  toVolume,
} from './nodeView';
import { TtlCache } from './TtlCache';

/** A part not asked for (the node's version or role has no such API). */
class Skipped extends Error {}

/** What changes rarely: read once every few minutes, or after an upgrade. */
type SlowFacts = {
  hostname?: string;
  role: TalosNodeRole;
  nodename?: string;
  cpu?: TalosNodeView['cpu'];
  hardware: TalosNodeView['hardware'];
  disks: TalosDiskView[];
  extensions: { name: string; version: string }[];
  schematicId?: string;
  kubernetesVersion?: string;
  kubernetesVersionSource?: TalosNodeView['kubernetesVersionSource'];
  problems: TalosNodeView['problems'];
};

type Answer<C extends keyof TalosClient> = TalosClient[C] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

/** The etcd part of a control-plane node, kept apart for the cluster's etcd view. */
export type NodeEtcd = {
  members?: Answer<'etcdMemberList'>['members'];
  status?: NonNullable<Answer<'etcdStatus'>['member_status']>;
  alarms?: Answer<'etcdAlarms'>['member_alarms'];
  error?: TalosProblem;
};

export type NodeReading = { view: TalosNodeView; etcd?: NodeEtcd };

/** Identity kept from the last answer, for a node that stops answering. */
type KnownNode = Pick<
  TalosNodeView,
  'hostname' | 'role' | 'nodename' | 'talosVersion' | 'hardware'
>;

const HISTORY = 120;

/**
 * Reads one Talos node through the cluster's endpoint. Reads the version
 * first and picks the APIs that version has (one code path for Talos
 * 1.10–1.14). A node that does not answer becomes a view with `reachable:
 * false` and the reason; a part that fails (a permission, an API the node
 * lacks) becomes a problem next to the rest.
 */
export class NodeReader {
  private readonly slow: TtlCache<SlowFacts>;
  private readonly lastCpu = new Map<string, CpuSample>();
  private readonly history = new Map<string, TalosNodeSample[]>();
  private readonly lastKnown = new Map<string, KnownNode>();

  constructor(
    private readonly client: TalosClient,
    options: { slowTtlMs?: number } = {},
  ) {
    this.slow = new TtlCache(options.slowTtlMs ?? 5 * 60_000);
  }

  async read(address: string): Promise<NodeReading> {
    const fetchedAt = new Date().toISOString();
    let tag: string;
    try {
      tag = await this.versionTag(address);
    } catch (error) {
      return { view: this.unreachable(address, error, fetchedAt) };
    }
    const slowPromise = this.slowFacts(address, tag);
    const known = this.lastKnown.get(address)?.role;
    const mayRunEtcd =
      known === undefined || known === 'controlplane' || known === 'init';
    const live = await this.fetchLive(address, mayRunEtcd);
    const slow = await slowPromise;
    const problems = [...slow.problems];
    const take = <T>(part: string, r: PromiseSettledResult<T>) => {
      if (r.status === 'fulfilled') return r.value;
      if (!(r.reason instanceof Skipped))
        problems.push({ part, problem: asProblem(r.reason) });
      return undefined;
    };

    const machine = take('machine status', live.status);
    const mem = take('memory', live.memory)?.meminfo;
    const stat = take('CPU statistics', live.stat);
    const load = take('load average', live.load);
    const view: TalosNodeView = {
      address,
      hostname: slow.hostname,
      nodename: slow.nodename,
      role: slow.role,
      reachable: true,
      problems,
      talosVersion: tag || undefined,
      kubernetesVersion: slow.kubernetesVersion,
      kubernetesVersionSource: slow.kubernetesVersionSource,
      unmetConditions: [],
      cpu: slow.cpu,
      services: (take('services', live.services)?.services ?? []).map(
        toService,
      ),
      disks: slow.disks,
      volumes: (take('volumes', live.volumes) ?? []).map(toVolume),
      hardware: slow.hardware,
      extensions: slow.extensions,
      schematicId: slow.schematicId,
      diagnostics: (take('diagnostics', live.diagnostics) ?? []).map(
        toDiagnostic,
      ),
      history: [],
      fetchedAt,
      ...(machine && machineStatusOf(machine)),
      ...(stat && bootOf(stat.boot_time, Date.now())),
    };
    if (mem) view.memory = memoryOf(mem);
    if (load)
      view.load = { load1: load.load1, load5: load.load5, load15: load.load15 };
    const usage = stat?.cpu_total
      ? this.cpuUsage(address, cpuSampleOf(stat.cpu_total))
      : undefined;
    if (view.cpu && usage !== undefined)
      view.cpu = { ...view.cpu, usagePercent: usage };

    // etcd: a worker answers Unimplemented, which is what makes it a worker here.
    const etcd = mayRunEtcd ? etcdOf(live) : undefined;
    if (etcd === 'not a control plane' && view.role === 'unknown')
      view.role = 'worker';

    view.history = this.record(address, view);
    this.lastKnown.set(address, {
      hostname: view.hostname,
      role: view.role,
      nodename: view.nodename,
      talosVersion: view.talosVersion,
      hardware: view.hardware,
    });
    return { view, etcd: typeof etcd === 'object' ? etcd : undefined };
  }

  /**
   * Who a node is (hostname, role, SMBIOS UUID, MACs, addresses) without its
   * statistics: the version probe plus the slowly-changing facts (cached).
   */
  async identify(address: string): Promise<TalosNodeView> {
    const fetchedAt = new Date().toISOString();
    let tag: string;
    try {
      tag = await this.versionTag(address);
    } catch (error) {
      return this.unreachable(address, error, fetchedAt);
    }
    const slow = await this.slowFacts(address, tag);
    return {
      ...this.unreachable(address, undefined, fetchedAt),
      reachable: true,
      error: undefined,
      hostname: slow.hostname,
      nodename: slow.nodename,
      role: slow.role,
      talosVersion: tag || undefined,
      hardware: slow.hardware,
    };
  }

  private async versionTag(address: string): Promise<string> {
    return (await this.client.version(address)).version?.tag ?? '';
  }

  /** Cached per version: an upgrade changes what the node has. */
  private slowFacts(address: string, tag: string): Promise<SlowFacts> {
    const version = parseVersion(tag);
    const minor = version && version.major === 1 ? version.minor : 99;
    return this.slow.get(`${address}@${tag}`, () =>
      this.readSlow(address, minor),
    );
  }

  /** Every live part at once; each settles on its own. */
  private async fetchLive(address: string, mayRunEtcd: boolean) {
    const c = this.client;
    const etcdCall = <T>(call: () => Promise<T>) =>
      mayRunEtcd ? call() : skipped();
    const [
      services,
      memory,
      stat,
      load,
      status,
      volumes,
      diagnostics,
      members,
      etcdStatus,
      alarms,
    ] = await Promise.allSettled([
      c.serviceList(address),
      c.memory(address),
      c.systemStat(address),
      c.loadAvg(address),
      c.watchCurrent(MachineStatuses, 'machine', address),
      c.list(VolumeStatuses, address),
      c.list(Diagnostics, address),
      etcdCall(() => c.etcdMemberList(address)),
      etcdCall(() => c.etcdStatus(address)),
      etcdCall(() => c.etcdAlarms(address)),
    ]);
    return {
      services,
      memory,
      stat,
      load,
      status,
      volumes,
      diagnostics,
      members,
      etcdStatus,
      alarms,
    };
  }

  /** The last view's identity of a node that no longer answers, and why. */
  private unreachable(
    address: string,
    error: unknown,
    fetchedAt: string,
  ): TalosNodeView {
    const known = this.lastKnown.get(address);
    return {
      address,
      hostname: known?.hostname,
      nodename: known?.nodename,
      role: known?.role ?? 'unknown',
      reachable: false,
      error: asProblem(error),
      problems: [],
      talosVersion: known?.talosVersion,
      unmetConditions: [],
      services: [],
      disks: [],
      volumes: [],
      hardware: known?.hardware ?? { macs: [], addresses: [] },
      extensions: [],
      diagnostics: [],
      history: this.history.get(address) ?? [],
      fetchedAt,
    };
  }

  private async readSlow(address: string, minor: number): Promise<SlowFacts> {
    const c = this.client;
    const problems: SlowFacts['problems'] = [];
    const [
      hostname,
      type,
      nodename,
      cpu,
      sysinfo,
      disks,
      systemDisk,
      links,
      addresses,
      extensions,
      schematic,
    ] = await Promise.allSettled([
      c.hostname(address),
      c.get(MachineTypes, 'machine-type', address),
      c.get(Nodenames, 'nodename', address),
      c.cpuInfo(address),
      c.get(SystemInformations, 'systeminformation', address),
      c.list(Disks, address),
      c.get(SystemDisks, 'system-disk', address),
      c.list(LinkStatuses, address),
      c.get(NodeAddresses, 'current', address),
      c.list(ExtensionStatuses, address),
      // ImageFactorySchematics arrived in Talos 1.14.
      minor >= 14
        ? c.get(ImageFactorySchematics, 'image-factory-schematic', address)
        : skipped(),
    ]);
    const take = <T>(part: string, r: PromiseSettledResult<T>) => {
      if (r.status === 'fulfilled') return r.value;
      // A missing singleton (no system disk on a diskless node, no schematic) is not a problem.
      if (
        !(r.reason instanceof Skipped) &&
        (r.reason as TalosCallError)?.problem?.kind !== 'not-found'
      ) {
        problems.push({ part, problem: asProblem(r.reason) });
      }
      return undefined;
    };
    const role = roleOf(take('machine type', type)?.spec);
    const systemDiskId = take('system disk', systemDisk)?.spec.diskID;
    const installed = extensionsOf(take('extensions', extensions) ?? []);
    const system = take('system information', sysinfo)?.spec;
    const facts: SlowFacts = {
      hostname: take('hostname', hostname)?.hostname,
      role,
      nodename: take('node name', nodename)?.spec.nodename ?? undefined,
      cpu: cpuOf(take('CPU information', cpu)?.cpu_info ?? []),
      hardware: {
        uuid: system?.uuid ?? undefined,
        manufacturer: system?.manufacturer ?? undefined,
        productName: system?.productName ?? undefined,
        macs: macsOf(take('network links', links) ?? []),
        addresses: addressesOf(
          take('addresses', addresses)?.spec.addresses ?? [],
        ),
      },
      disks: (take('disks', disks) ?? []).map(d => toDisk(d, systemDiskId)),
      extensions: installed.extensions,
      schematicId:
        take('image factory schematic', schematic)?.spec.schematicId ??
        installed.schematicId,
      problems,
    };
    Object.assign(
      facts,
      await this.kubernetesVersion(address, minor, role, problems),
    );
    return facts;
  }

  /**
   * KubeletStatus (Talos 1.14+, any role); before that KubeletSpec, which is
   * sensitive (os:admin); else the static pod images on a control plane;
   * else nothing, and the cluster fills it in from the Kubernetes Node.
   */
  private async kubernetesVersion(
    address: string,
    minor: number,
    role: TalosNodeRole,
    problems: SlowFacts['problems'],
  ): Promise<Pick<SlowFacts, 'kubernetesVersion' | 'kubernetesVersionSource'>> {
    const c = this.client;
    const attempt = async (
      part: string,
      read: () => Promise<string | null | undefined>,
      source: SlowFacts['kubernetesVersionSource'],
    ) => {
      try {
        const version = imageTag(await read());
        return version
          ? { kubernetesVersion: version, kubernetesVersionSource: source }
          : {};
      } catch (error) {
        problems.push({ part, problem: asProblem(error) });
        return {};
      }
    };
    if (minor >= 14) {
      return attempt(
        'kubelet status',
        async () =>
          (await c.get(KubeletStatuses, 'kubelet', address)).spec.image,
        'KubeletStatus',
      );
    }
    if (c.roles.includes('os:admin')) {
      return attempt(
        'kubelet spec',
        async () => (await c.get(KubeletSpecs, 'kubelet', address)).spec.image,
        'KubeletSpec',
      );
    }
    if (role === 'controlplane' || role === 'init') {
      return attempt(
        'static pods',
        async () =>
          (await c.list(StaticPods, address)).find(
            p => p.id === 'kube-apiserver',
          )?.spec.spec?.containers?.[0]?.image,
        'static pod image',
      );
    }
    return {};
  }

  private cpuUsage(address: string, now: CpuSample): number | undefined {
    const prev = this.lastCpu.get(address);
    this.lastCpu.set(address, now);
    return cpuPercent(prev, now);
  }

  private record(address: string, view: TalosNodeView): TalosNodeSample[] {
    const list = this.history.get(address) ?? [];
    list.push({
      at: view.fetchedAt,
      cpuPercent: view.cpu?.usagePercent,
      memoryUsedBytes: view.memory?.usedBytes,
      memoryTotalBytes: view.memory?.totalBytes,
      load1: view.load?.load1,
    });
    while (list.length > HISTORY) list.shift();
    this.history.set(address, list);
    return [...list];
  }
}

/**
 * The etcd answers of a node that may run etcd; a node that answers
 * Unimplemented does not run it.
 */
function etcdOf(
  live: Awaited<ReturnType<NodeReader['fetchLive']>>,
): NodeEtcd | 'not a control plane' {
  const { members, etcdStatus, alarms } = live;
  const notEtcd = [members, etcdStatus].some(
    r =>
      r.status === 'rejected' &&
      (r.reason as TalosCallError)?.problem?.kind === 'unimplemented',
  );
  if (notEtcd) return 'not a control plane';
  return {
    members: members.status === 'fulfilled' ? members.value.members : undefined,
    status:
      etcdStatus.status === 'fulfilled'
        ? etcdStatus.value.member_status ?? undefined
        : undefined,
    alarms:
      alarms.status === 'fulfilled' ? alarms.value.member_alarms : undefined,
    error: [members, etcdStatus]
      .map(r => (r.status === 'rejected' ? asProblem(r.reason) : undefined))
      .find(Boolean),
  };
}

function skipped(): Promise<never> {
  return Promise.reject(new Skipped('not asked'));
}

export function asProblem(error: unknown): TalosProblem {
  if (error instanceof TalosCallError) return error.problem;
  return { kind: 'error', message: toError(error).message };
}
