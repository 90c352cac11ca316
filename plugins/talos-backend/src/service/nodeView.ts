import type {
  TalosDiskView,
  TalosNodeRole,
  TalosNodeView,
  TalosServiceView,
  TalosVolumeView,
} from '@homelab-portal/plugin-talos-common';
import type { z } from 'zod';
import type {
  Diagnostics,
  Disks,
  ExtensionStatuses,
  LinkStatuses,
  MachineStatuses,
  VolumeStatuses,
} from '../grpc/cosiTypes';
import type { Timestamp__Output } from '../grpc/generated/google/protobuf/Timestamp';
import type { CPUInfo__Output } from '../grpc/generated/machine/CPUInfo';
import type { CPUStat__Output } from '../grpc/generated/machine/CPUStat';
import type { MemInfo__Output } from '../grpc/generated/machine/MemInfo';
import type { CosiResource, RawService } from '../grpc/TalosClient';

/*
 * Pure mappers from what the Talos API answers (MachineService messages and
 * COSI specs) to the portal's node view. No I/O here: NodeReader asks, these
 * reshape.
 */

type Spec<T extends { spec: z.ZodTypeAny }> = CosiResource<z.infer<T['spec']>>;

const KB = 1024;

export function iso(ts: Timestamp__Output | null): string | undefined {
  if (!ts || !Number(ts.seconds)) return undefined;
  return new Date(
    Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6),
  ).toISOString();
}

function healthOf(s: RawService): TalosServiceView['health'] {
  if (s.health?.unknown) return 'unknown';
  return s.health?.healthy ? 'healthy' : 'unhealthy';
}

export function toService(s: RawService): TalosServiceView {
  return {
    id: s.id,
    state: s.state,
    health: healthOf(s),
    lastMessage: s.health?.last_message ?? '',
    lastChange: iso(s.health?.last_change ?? null),
    events: (s.events?.events ?? []).map(e => ({
      message: e.msg,
      state: e.state,
      at: iso(e.ts),
    })),
  };
}

export function toDisk(
  d: Spec<typeof Disks>,
  systemDiskId?: string | null,
): TalosDiskView {
  const s = d.spec;
  return {
    id: d.id,
    devPath: s.dev_path ?? `/dev/${d.id}`,
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

export function toVolume(v: Spec<typeof VolumeStatuses>): TalosVolumeView {
  const s = v.spec;
  return {
    id: v.id,
    phase: s.phase ?? 'unknown',
    location: s.location || undefined,
    mountLocation: s.mountLocation || undefined,
    sizeBytes: Number(s.size ?? 0),
    filesystem: s.filesystem || undefined,
  };
}

export function toDiagnostic(
  d: Spec<typeof Diagnostics>,
): TalosNodeView['diagnostics'][number] {
  return {
    id: d.id,
    message: d.spec.message ?? '',
    details: d.spec.details ?? [],
  };
}

/** Boot stage and readiness, as `talosctl health` reads them. */
export function machineStatusOf(
  m: Spec<typeof MachineStatuses>,
): Pick<TalosNodeView, 'stage' | 'ready' | 'unmetConditions'> {
  return {
    stage: m.spec.stage ?? 'unknown',
    ready: Boolean(m.spec.status?.ready),
    unmetConditions: (m.spec.status?.unmetConditions ?? []).map(u => ({
      name: u.name,
      reason: u.reason ?? '',
    })),
  };
}

/** Used memory the way `free` counts it: not free, not cache, not buffers. */
export function memoryOf(mem: MemInfo__Output): TalosNodeView['memory'] {
  const total = Number(mem.memtotal) * KB;
  const used =
    (Number(mem.memtotal) -
      Number(mem.memfree) -
      Number(mem.cached) -
      Number(mem.buffers)) *
    KB;
  return {
    totalBytes: total,
    usedBytes: Math.max(0, used),
    availableBytes: Number(mem.memavailable) * KB,
  };
}

export function bootOf(
  bootTimeSeconds: string,
  nowMs: number,
): Pick<TalosNodeView, 'bootTime' | 'uptimeSeconds'> {
  const boot = Number(bootTimeSeconds);
  if (!(boot > 0)) return {};
  return {
    bootTime: new Date(boot * 1000).toISOString(),
    uptimeSeconds: Math.max(0, Math.floor(nowMs / 1000 - boot)),
  };
}

/** Busy and total jiffies of one /proc/stat sample. */
export type CpuSample = { busy: number; total: number };

export function cpuSampleOf(t: CPUStat__Output): CpuSample {
  const total = Object.values(t).reduce((a, b) => a + (Number(b) || 0), 0);
  return {
    busy: total - (Number(t.idle) || 0) - (Number(t.iowait) || 0),
    total,
  };
}

/** CPU use between two samples, in percent with one decimal. */
export function cpuPercent(
  prev: CpuSample | undefined,
  now: CpuSample,
): number | undefined {
  if (!prev || now.total <= prev.total) return undefined;
  const pct = ((now.busy - prev.busy) / (now.total - prev.total)) * 100;
  return Math.round(Math.min(100, Math.max(0, pct)) * 10) / 10;
}

export function roleOf(machineType: string | null | undefined): TalosNodeRole {
  return machineType === 'controlplane' ||
    machineType === 'worker' ||
    machineType === 'init'
    ? machineType
    : 'unknown';
}

export function cpuOf(cpus: CPUInfo__Output[]): TalosNodeView['cpu'] {
  if (!cpus.length) return undefined;
  return {
    count: cpus.length,
    model: cpus[0].model_name || undefined,
    mhz: cpus[0].cpu_mhz || undefined,
  };
}

/** MACs of the physical links: the permanent address when a bond changed it. */
export function macsOf(links: Spec<typeof LinkStatuses>[]): string[] {
  return links
    .filter(l => l.spec.type === 'ether' && l.spec.hardwareAddr)
    .map(l =>
      String(l.spec.permanentAddr || l.spec.hardwareAddr).toLowerCase(),
    );
}

/** Node addresses without their prefix length. */
export function addressesOf(cidrs: string[]): string[] {
  return cidrs.map(a => a.split('/')[0]);
}

/**
 * Installed extensions, and the Image Factory schematic: Talos lists it as
 * an extension named `schematic` whose version is the schematic id.
 */
export function extensionsOf(list: Spec<typeof ExtensionStatuses>[]) {
  const all = list.map(e => ({
    name: e.spec.metadata?.name ?? e.id,
    version: e.spec.metadata?.version ?? '',
  }));
  return {
    extensions: all.filter(e => e.name !== 'schematic'),
    schematicId: all.find(e => e.name === 'schematic')?.version,
  };
}

/** `v1.33.3` from `ghcr.io/siderolabs/kubelet:v1.33.3` (digest allowed). */
export function imageTag(image: string | null | undefined): string | undefined {
  if (!image) return undefined;
  const m = /:(v?\d+\.\d+\.\d+[^@]*)(@.*)?$/.exec(image);
  if (!m) return undefined;
  return m[1].startsWith('v') ? m[1] : `v${m[1]}`;
}
