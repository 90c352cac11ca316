import { Guest } from '../../scenario/schema';

const GiB = 1024 ** 3;

/**
 * Deterministic load for every guest and node: smooth waves plus per-minute
 * noise from the seed, so rrddata rows move with time, two calls in the same
 * minute agree, and the same seed draws the same charts.
 */
export class Metrics {
  constructor(private readonly unit: (key: string) => number) {}

  private wave(key: string, tSec: number, periodSec: number) {
    const phase = this.unit(`${key}:phase:${periodSec}`);
    return Math.sin(2 * Math.PI * (tSec / periodSec + phase));
  }

  private noise(key: string, tSec: number) {
    return this.unit(`${key}:n:${Math.floor(tSec / 60)}`) - 0.5;
  }

  /** CPU use of a running guest, fraction 0..1 of its cores. */
  guestCpu(g: Guest, tSec: number): number {
    const key = `cpu:${g.vmid}`;
    const v =
      g.load *
      (0.8 + 0.3 * this.wave(key, tSec, 3600) + 0.5 * this.noise(key, tSec));
    return Math.min(1, Math.max(0.0005, v));
  }

  /** Memory in use inside a running guest, bytes. */
  guestMem(g: Guest, tSec: number): number {
    const key = `mem:${g.vmid}`;
    const base = g.type === 'lxc' ? 0.12 : 0.4;
    const frac =
      base +
      0.35 * Math.min(1, g.load * 1.6) +
      0.04 * this.wave(key, tSec, 5400) +
      0.02 * this.noise(key, tSec);
    return Math.round(g.memoryGiB * GiB * Math.min(0.97, Math.max(0.05, frac)));
  }

  /** Memory the host spends on a running QEMU guest (ballooned RAM), bytes. */
  guestMemHost(g: Guest): number {
    return Math.round(
      g.memoryGiB * GiB * (0.94 + 0.05 * this.unit(`memhost:${g.vmid}`)),
    );
  }

  /** Used root file system of a container, bytes (QEMU reports 0). */
  guestDisk(g: Guest): number {
    if (g.type === 'qemu') return 0;
    return Math.round(
      g.diskGiB * GiB * (0.12 + 0.3 * this.unit(`disk:${g.vmid}`)),
    );
  }

  /** Network bytes per second in and out. */
  guestNet(g: Guest, tSec: number): { in: number; out: number } {
    const key = `net:${g.vmid}`;
    const base = 2e4 + g.load * 4e6;
    const f =
      0.75 + 0.25 * this.wave(key, tSec, 1800) + 0.5 * this.noise(key, tSec);
    return { in: Math.max(0, base * f), out: Math.max(0, base * 0.7 * f) };
  }

  /** Mean network rate, for cumulative counters. */
  guestNetMean(g: Guest) {
    const base = 2e4 + g.load * 4e6;
    return { in: base * 0.75, out: base * 0.7 * 0.75 };
  }

  guestDiskIo(g: Guest, tSec: number): { read: number; write: number } {
    const f = 0.6 + 0.8 * (this.noise(`io:${g.vmid}`, tSec) + 0.5);
    return { read: g.load * 3e5 * f, write: g.load * 1.2e6 * f };
  }

  guestDiskIoMean(g: Guest) {
    return { read: g.load * 3e5, write: g.load * 1.2e6 };
  }

  /** Pressure stall percentages (QEMU numbers, LXC strings on the wire). */
  guestPressure(g: Guest, tSec: number) {
    const io = Math.max(
      0,
      g.load * 0.3 + 0.1 * this.noise(`psi:${g.vmid}`, tSec),
    );
    return {
      cpusome: Math.round(g.load * 0.2 * 100) / 100,
      cpufull: 0,
      iosome: Math.round(io * 100) / 100,
      iofull: Math.round(io * 0.5 * 100) / 100,
      memorysome: 0,
      memoryfull: 0,
    };
  }

  nodeIoWait(node: string, tSec: number) {
    return 0.0008 + 0.0006 * (this.noise(`iowait:${node}`, tSec) + 0.5);
  }

  nodeNoise(node: string, tSec: number) {
    return this.noise(`node:${node}`, tSec);
  }
}
