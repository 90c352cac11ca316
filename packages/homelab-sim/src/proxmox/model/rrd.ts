import { GuestRuntime, ProxmoxModel, ProxmoxNodeDef } from './ProxmoxModel';
import { guestNumbers, nodeNumbers } from '../api/views';

/** Step (s) per timeframe and the 70 rows PVE returns (PVE::RRD). */
const frames: Record<string, number> = {
  hour: 60,
  day: 1800,
  week: 10800,
  month: 43200,
  year: 604800,
  decade: 4838400,
};

type Row = Record<string, number>;

function times(model: ProxmoxModel, timeframe: string): number[] {
  const step = frames[timeframe];
  const last = Math.floor(model.now() / 1000 / step) * step;
  return Array.from({ length: 70 }, (_, i) => last - (69 - i) * step);
}

const r = (n: number, d = 4) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Node rrddata rows: the newest slot has no data yet (only `time`), as on a
 * real node; netin/netout are bytes per second.
 */
export function nodeRrd(
  model: ProxmoxModel,
  node: ProxmoxNodeDef,
  timeframe: string,
  cf: string,
): Row[] {
  const ts = times(model, timeframe);
  const max = cf === 'MAX' ? 1.25 : 1;
  return ts.map((time, i) => {
    if (i === ts.length - 1) return { time };
    const n = nodeNumbers(model, node, time * 1000);
    const swapTotal = 8589930496;
    const row: Row = {
      time,
      cpu: r(Math.min(1, n.cpu * max)),
      maxcpu: n.maxcpu,
      iowait: r(n.iowait, 5),
      loadavg: r(n.cpu * n.maxcpu * 0.8 * max, 2),
      memtotal: n.maxmem,
      memused: n.mem,
      ...(model.major >= 9
        ? {
            memavailable: Math.round(n.maxmem - n.mem - 1.7 * 1024 ** 3),
            arcsize: 0,
          }
        : {}),
      swaptotal: swapTotal,
      swapused: 0,
      roottotal: n.maxdisk,
      rootused: n.disk,
      netin: r(n.netin * max, 1),
      netout: r(n.netout * max, 1),
      ...(model.major >= 9
        ? {
            pressurecpusome: r(n.cpu * 1.4, 2),
            pressureiosome: r(n.iowait * 300, 2),
            pressureiofull: r(n.iowait * 220, 2),
            pressurememorysome: 0,
            pressurememoryfull: 0,
          }
        : {}),
    };
    return row;
  });
}

export function guestRrd(
  model: ProxmoxModel,
  rt: GuestRuntime,
  timeframe: string,
  cf: string,
): Row[] {
  const ts = times(model, timeframe);
  const g = rt.def;
  const max = cf === 'MAX' ? 1.25 : 1;
  return ts.map((time, i) => {
    if (i === ts.length - 1) return { time };
    const state = rt.at(time * 1000);
    const n = guestNumbers(model, rt, state, time * 1000);
    const net = model.metrics.guestNet(g, time);
    const io = model.metrics.guestDiskIo(g, time);
    const up = n.up;
    const psi = model.metrics.guestPressure(g, time);
    return {
      time,
      cpu: up ? r(Math.min(1, n.cpu * max), 5) : 0,
      maxcpu: g.cores,
      mem: n.mem,
      maxmem: n.maxmem,
      ...(g.type === 'qemu' && model.major >= 9 ? { memhost: n.memhost } : {}),
      disk: n.disk,
      maxdisk: n.maxdisk,
      netin: up ? r(net.in * max, 1) : 0,
      netout: up ? r(net.out * max, 1) : 0,
      diskread: up ? r(io.read * max, 1) : 0,
      diskwrite: up ? r(io.write * max, 1) : 0,
      ...(model.major >= 9
        ? {
            pressurecpusome: up ? psi.cpusome : 0,
            pressurecpufull: 0,
            pressureiosome: up ? psi.iosome : 0,
            pressureiofull: up ? psi.iofull : 0,
            pressurememorysome: 0,
            pressurememoryfull: 0,
          }
        : {}),
    };
  });
}

export const rrdTimeframes = Object.keys(frames);
