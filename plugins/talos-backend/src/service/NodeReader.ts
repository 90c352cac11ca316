import {
  parseVersion,
  TalosDiskView,
  TalosNodeRole,
  TalosNodeSample,
  TalosNodeView,
  TalosProblem,
  TalosServiceView,
  TalosVolumeView,
} from '@homelab-portal/plugin-talos-common';
import { TalosCallError } from '../grpc/errors';
import { CosiResource, RawService, TalosClient } from '../grpc/TalosClient';
import { TtlCache } from './TtlCache';

/** A part not asked for (the node's version or role has no such API). */
class Skipped extends Error {}

/** What changes rarely: read once every few minutes, or after an upgrade. */
type SlowFacts = {
  hostname?: string;
  role: TalosNodeRole;
  nodename?: string;
  cpu?: { count: number; model?: string; mhz?: number };
  hardware: TalosNodeView['hardware'];
  disks: TalosDiskView[];
  extensions: { name: string; version: string }[];
  schematicId?: string;
  kubernetesVersion?: string;
  kubernetesVersionSource?: TalosNodeView['kubernetesVersionSource'];
  problems: TalosNodeView['problems'];
};

/** The etcd part of a control-plane node, kept apart for the cluster's etcd view. */
export type NodeEtcd = {
  members?: Awaited<ReturnType<TalosClient['etcdMemberList']>>['members'];
  status?: NonNullable<
    Awaited<ReturnType<TalosClient['etcdStatus']>>['member_status']
  >;
  alarms?: Awaited<ReturnType<TalosClient['etcdAlarms']>>['member_alarms'];
  error?: TalosProblem;
};

export type NodeReading = {
  view: TalosNodeView;
  etcd?: NodeEtcd;
  staticPods?: CosiResource[];
};

const HISTORY = 120;
const KB = 1024;

/**
 * Reads one Talos node through the cluster's endpoint. Reads the version
 * first and picks the APIs that version has (one code path for Talos
 * 1.10–1.14). A node that does not answer becomes a view with `reachable:
 * false` and the reason; a part that fails (a permission, an API the node
 * lacks) becomes a problem next to the rest.
 */
export class NodeReader {
  private readonly slow: TtlCache<SlowFacts>;
  private readonly lastCpu = new Map<string, { busy: number; total: number }>();
  private readonly history = new Map<string, TalosNodeSample[]>();
  private readonly lastKnown = new Map<
    string,
    Pick<
      TalosNodeView,
      'hostname' | 'role' | 'nodename' | 'talosVersion' | 'hardware'
    >
  >();

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
      tag = (await this.client.version(address)).version?.tag ?? '';
    } catch (error) {
      return { view: this.unreachable(address, error, fetchedAt) };
    }
    const version = parseVersion(tag);
    const minor = version && version.major === 1 ? version.minor : 99;

    const slowPromise = this.slow.get(`${address}@${tag}`, () =>
      this.readSlow(address, minor),
    );
    const known = this.lastKnown.get(address)?.role;
    const mayRunEtcd =
      known === undefined || known === 'controlplane' || known === 'init';
    const c = this.client;
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
      staticPods,
    ] = await Promise.allSettled([
      c.serviceList(address),
      c.memory(address),
      c.systemStat(address),
      c.loadAvg(address),
      c.watchCurrent(
        'runtime',
        'MachineStatuses.runtime.talos.dev',
        'machine',
        address,
      ),
      c.list('runtime', 'VolumeStatuses.block.talos.dev', address),
      c.list('runtime', 'Diagnostics.runtime.talos.dev', address),
      mayRunEtcd ? c.etcdMemberList(address) : skipped(),
      mayRunEtcd ? c.etcdStatus(address) : skipped(),
      mayRunEtcd ? c.etcdAlarms(address) : skipped(),
      mayRunEtcd
        ? c.list('k8s', 'StaticPodStatuses.kubernetes.talos.dev', address)
        : skipped(),
    ]);
    const slow = await slowPromise;
    const problems = [...slow.problems];
    const take = <T>(
      part: string,
      r: PromiseSettledResult<T>,
    ): T | undefined => {
      if (r.status === 'fulfilled') return r.value;
      if (r.reason instanceof Skipped) return undefined;
      problems.push({ part, problem: asProblem(r.reason) });
      return undefined;
    };

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
      services: (take('services', services)?.services ?? []).map(toService),
      disks: slow.disks,
      volumes: (take('volumes', volumes) ?? []).map(toVolume),
      hardware: slow.hardware,
      extensions: slow.extensions,
      schematicId: slow.schematicId,
      diagnostics: (take('diagnostics', diagnostics) ?? []).map(d => ({
        id: d.id,
        message: String(d.spec?.message ?? ''),
        details: Array.isArray(d.spec?.details)
          ? d.spec.details.map(String)
          : [],
      })),
      history: [],
      fetchedAt,
    };

    const machine = take('machine status', status);
    if (machine) {
      view.stage = String(machine.spec?.stage ?? 'unknown');
      view.ready = Boolean(machine.spec?.status?.ready);
      view.unmetConditions = (machine.spec?.status?.unmetConditions ?? []).map(
        (u: any) => ({
          name: String(u.name),
          reason: String(u.reason ?? ''),
        }),
      );
    }

    const mem = take('memory', memory)?.meminfo;
    if (mem) {
      const total = Number(mem.memtotal) * KB;
      const used =
        (Number(mem.memtotal) -
          Number(mem.memfree) -
          Number(mem.cached) -
          Number(mem.buffers)) *
        KB;
      view.memory = {
        totalBytes: total,
        usedBytes: Math.max(0, used),
        availableBytes: Number(mem.memavailable) * KB,
      };
    }

    const s = take('CPU statistics', stat);
    if (s) {
      const boot = Number(s.boot_time);
      if (boot > 0) {
        view.bootTime = new Date(boot * 1000).toISOString();
        view.uptimeSeconds = Math.max(0, Math.floor(Date.now() / 1000 - boot));
      }
      const usage = this.cpuUsage(address, s.cpu_total);
      if (view.cpu && usage !== undefined)
        view.cpu = { ...view.cpu, usagePercent: usage };
    }
    const l = take('load average', load);
    if (l) view.load = { load1: l.load1, load5: l.load5, load15: l.load15 };

    // etcd: a worker answers Unimplemented, which is what makes it a worker here.
    let etcd: NodeEtcd | undefined;
    if (mayRunEtcd) {
      const notEtcd = [members, etcdStatus].some(
        r =>
          r.status === 'rejected' &&
          (r.reason as TalosCallError)?.problem?.kind === 'unimplemented',
      );
      if (notEtcd) {
        if (view.role === 'unknown') view.role = 'worker';
      } else {
        etcd = {
          members:
            members.status === 'fulfilled' ? members.value.members : undefined,
          status:
            etcdStatus.status === 'fulfilled'
              ? etcdStatus.value.member_status ?? undefined
              : undefined,
          alarms:
            alarms.status === 'fulfilled'
              ? alarms.value.member_alarms
              : undefined,
          error: [members, etcdStatus]
            .map(r =>
              r.status === 'rejected' ? asProblem(r.reason) : undefined,
            )
            .find(Boolean),
        };
      }
    }
    const pods =
      staticPods.status === 'fulfilled' ? staticPods.value : undefined;

    view.history = this.record(address, view);
    this.lastKnown.set(address, {
      hostname: view.hostname,
      role: view.role,
      nodename: view.nodename,
      talosVersion: view.talosVersion,
      hardware: view.hardware,
    });
    return { view, etcd, staticPods: pods };
  }

  /**
   * Who a node is (hostname, role, SMBIOS UUID, MACs, addresses) without its
   * statistics: the version probe plus the slowly-changing facts (cached).
   */
  async identify(address: string): Promise<TalosNodeView> {
    const fetchedAt = new Date().toISOString();
    let tag: string;
    try {
      tag = (await this.client.version(address)).version?.tag ?? '';
    } catch (error) {
      return this.unreachable(address, error, fetchedAt);
    }
    const version = parseVersion(tag);
    const minor = version && version.major === 1 ? version.minor : 99;
    const slow = await this.slow.get(`${address}@${tag}`, () =>
      this.readSlow(address, minor),
    );
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
    const admin = c.roles.includes('os:admin');
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
      c.get('config', 'MachineTypes.config.talos.dev', 'machine-type', address),
      c.get('k8s', 'Nodenames.kubernetes.talos.dev', 'nodename', address),
      c.cpuInfo(address),
      c.get(
        'hardware',
        'SystemInformations.hardware.talos.dev',
        'systeminformation',
        address,
      ),
      c.list('runtime', 'Disks.block.talos.dev', address),
      c.get('runtime', 'SystemDisks.block.talos.dev', 'system-disk', address),
      c.list('network', 'LinkStatuses.net.talos.dev', address),
      c.get('network', 'NodeAddresses.net.talos.dev', 'current', address),
      c.list('runtime', 'ExtensionStatuses.runtime.talos.dev', address),
      // ImageFactorySchematics arrived in Talos 1.14.
      minor >= 14
        ? c.get(
            'runtime',
            'ImageFactorySchematics.runtime.talos.dev',
            'image-factory-schematic',
            address,
          )
        : skipped(),
    ]);
    const take = <T>(
      part: string,
      r: PromiseSettledResult<T>,
    ): T | undefined => {
      if (r.status === 'fulfilled') return r.value;
      if (r.reason instanceof Skipped) return undefined;
      // A missing singleton (no system disk on a diskless node, no schematic) is not a problem.
      if ((r.reason as TalosCallError)?.problem?.kind !== 'not-found') {
        problems.push({ part, problem: asProblem(r.reason) });
      }
      return undefined;
    };
    const roleRaw = take('machine type', type)?.spec;
    const role: TalosNodeRole =
      roleRaw === 'controlplane' || roleRaw === 'worker' || roleRaw === 'init'
        ? roleRaw
        : 'unknown';
    const cpus = take('CPU information', cpu)?.cpu_info ?? [];
    const systemDiskId = take('system disk', systemDisk)?.spec?.diskID;
    const ext = (take('extensions', extensions) ?? []).map(e => ({
      name: String(e.spec?.metadata?.name ?? e.id),
      version: String(e.spec?.metadata?.version ?? ''),
    }));
    const linkList = take('network links', links) ?? [];
    const facts: SlowFacts = {
      hostname: take('hostname', hostname)?.hostname,
      role,
      nodename: take('node name', nodename)?.spec?.nodename,
      cpu: cpus.length
        ? {
            count: cpus.length,
            model: cpus[0].model_name || undefined,
            mhz: cpus[0].cpu_mhz || undefined,
          }
        : undefined,
      hardware: {
        uuid: take('system information', sysinfo)?.spec?.uuid,
        manufacturer:
          (sysinfo.status === 'fulfilled'
            ? sysinfo.value.spec?.manufacturer
            : undefined) ?? undefined,
        productName:
          (sysinfo.status === 'fulfilled'
            ? sysinfo.value.spec?.productName
            : undefined) ?? undefined,
        macs: linkList
          .filter(l => l.spec?.type === 'ether' && l.spec?.hardwareAddr)
          .map(l =>
            String(l.spec.permanentAddr || l.spec.hardwareAddr).toLowerCase(),
          ),
        addresses: (
          (take('addresses', addresses)?.spec?.addresses ?? []) as string[]
        ).map(a => a.split('/')[0]),
      },
      disks: (take('disks', disks) ?? []).map(d => toDisk(d, systemDiskId)),
      extensions: ext.filter(e => e.name !== 'schematic'),
      schematicId:
        take('image factory schematic', schematic)?.spec?.schematicId ??
        ext.find(e => e.name === 'schematic')?.version,
      problems,
    };

    // Kubernetes version: KubeletStatus (Talos 1.14+, any role); before that
    // KubeletSpec, which is sensitive (os:admin); else the static pod images
    // on a control plane; else the cluster fills it in from the Kubernetes Node.
    if (minor >= 14) {
      try {
        const s = await c.get(
          'k8s',
          'KubeletStatuses.kubernetes.talos.dev',
          'kubelet',
          address,
        );
        facts.kubernetesVersion = imageTag(s.spec?.image);
        facts.kubernetesVersionSource = 'KubeletStatus';
      } catch (error) {
        problems.push({ part: 'kubelet status', problem: asProblem(error) });
      }
    } else if (admin) {
      try {
        const s = await c.get(
          'k8s',
          'KubeletSpecs.kubernetes.talos.dev',
          'kubelet',
          address,
        );
        facts.kubernetesVersion = imageTag(s.spec?.image);
        facts.kubernetesVersionSource = 'KubeletSpec';
      } catch (error) {
        problems.push({ part: 'kubelet spec', problem: asProblem(error) });
      }
    } else if (role === 'controlplane' || role === 'init') {
      try {
        const pods = await c.list(
          'k8s',
          'StaticPods.kubernetes.talos.dev',
          address,
        );
        const api = pods.find(p => p.id === 'kube-apiserver');
        const image = api?.spec?.spec?.containers?.[0]?.image;
        if (image) {
          facts.kubernetesVersion = imageTag(image);
          facts.kubernetesVersionSource = 'static pod image';
        }
      } catch (error) {
        problems.push({ part: 'static pods', problem: asProblem(error) });
      }
    }
    return facts;
  }

  private cpuUsage(
    address: string,
    t: Record<string, number> | null,
  ): number | undefined {
    if (!t) return undefined;
    const total = Object.values(t).reduce((a, b) => a + (Number(b) || 0), 0);
    const busy = total - (Number(t.idle) || 0) - (Number(t.iowait) || 0);
    const prev = this.lastCpu.get(address);
    this.lastCpu.set(address, { busy, total });
    if (!prev || total <= prev.total) return undefined;
    const pct = ((busy - prev.busy) / (total - prev.total)) * 100;
    return Math.round(Math.min(100, Math.max(0, pct)) * 10) / 10;
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

function skipped(): Promise<never> {
  return Promise.reject(new Skipped('not asked'));
}

export function asProblem(error: unknown): TalosProblem {
  if (error instanceof TalosCallError) return error.problem;
  return { kind: 'error', message: String((error as Error)?.message ?? error) };
}

function imageTag(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const m = /:(v?\d+\.\d+\.\d+[^@]*)(@.*)?$/.exec(image);
  if (!m) return undefined;
  return m[1].startsWith('v') ? m[1] : `v${m[1]}`;
}

function iso(
  ts: { seconds: string; nanos: number } | null | undefined,
): string | undefined {
  if (!ts || !Number(ts.seconds)) return undefined;
  return new Date(
    Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6),
  ).toISOString();
}

function healthOf(s: RawService): TalosServiceView['health'] {
  if (s.health?.unknown) return 'unknown';
  return s.health?.healthy ? 'healthy' : 'unhealthy';
}

function toService(s: RawService): TalosServiceView {
  return {
    id: s.id,
    state: s.state,
    health: healthOf(s),
    lastMessage: s.health?.last_message ?? '',
    lastChange: iso(s.health?.last_change),
    events: (s.events?.events ?? []).map(e => ({
      message: e.msg,
      state: e.state,
      at: iso(e.ts),
    })),
  };
}

function toDisk(d: CosiResource, systemDiskId?: string): TalosDiskView {
  const s = d.spec ?? {};
  return {
    id: d.id,
    devPath: String(s.dev_path ?? `/dev/${d.id}`),
    sizeBytes: Number(s.size ?? 0),
    model: s.model || undefined,
    serial: s.serial || undefined,
    transport: s.transport || undefined,
    rotational: Boolean(s.rotational),
    readonly: Boolean(s.readonly),
    cdrom: Boolean(s.cdrom),
    system: d.id === systemDiskId,
  };
}

function toVolume(v: CosiResource): TalosVolumeView {
  const s = v.spec ?? {};
  return {
    id: v.id,
    phase: String(s.phase ?? 'unknown'),
    location: s.location || undefined,
    mountLocation: s.mountLocation || undefined,
    sizeBytes: Number(s.size ?? 0),
    filesystem: s.filesystem || undefined,
  };
}
