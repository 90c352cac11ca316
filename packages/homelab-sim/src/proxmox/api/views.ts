import { createHash } from 'node:crypto';
import { Guest } from '../../scenario/schema';
import {
  GuestRuntime,
  ProxmoxModel,
  ProxmoxNodeDef,
} from '../model/ProxmoxModel';

/**
 * The JSON bodies, shaped field by field like the PVE code that builds them
 * (example-homelab.json): 0/1 for booleans, optional keys omitted rather than
 * null, QEMU `memory` as a string, LXC pressure values as strings, tags as
 * one `;`-separated string. 8.x leaves out what 9.x added.
 */

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export type Obj = Record<string, unknown>;

const tagString = (g: Guest) =>
  g.tags.length ? { tags: [...g.tags].sort().join(';') } : {};

function uptimeSec(since: number | undefined, t: number) {
  return since === undefined ? 0 : Math.max(0, Math.floor((t - since) / 1000));
}

/** The live numbers of a guest at a moment, for a given run state. */
export function guestNumbers(
  model: ProxmoxModel,
  rt: GuestRuntime,
  state: { status: string; runningSince?: number },
  t: number,
) {
  const g = rt.def;
  const m = model.metrics;
  const tSec = t / 1000;
  const up = state.status !== 'stopped';
  const uptime = up ? uptimeSec(state.runningSince, t) : 0;
  const net = m.guestNetMean(g);
  const io = m.guestDiskIoMean(g);
  return {
    up,
    uptime,
    cpu: up ? round(m.guestCpu(g, tSec), 7) : 0,
    maxmem: Math.round(g.memoryGiB * GiB),
    mem: up ? m.guestMem(g, tSec) : 0,
    memhost: up && g.type === 'qemu' ? m.guestMemHost(g) : 0,
    maxdisk: Math.round(g.diskGiB * GiB),
    disk: m.guestDisk(g),
    netin: up ? Math.round(net.in * uptime) : 0,
    netout: up ? Math.round(net.out * uptime) : 0,
    diskread: up ? Math.round(io.read * uptime) : 0,
    diskwrite: up ? Math.round(io.write * uptime) : 0,
    pid: up ? 1000 + (g.vmid % 9000) : undefined,
  };
}

function round(n: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function pressure(model: ProxmoxModel, g: Guest, t: number, asString: boolean) {
  const p = model.metrics.guestPressure(g, t / 1000);
  const v = (n: number) => (asString ? n.toFixed(2) : n);
  return {
    pressurecpusome: v(p.cpusome),
    pressurecpufull: v(p.cpufull),
    pressureiosome: v(p.iosome),
    pressureiofull: v(p.iofull),
    pressurememorysome: v(p.memorysome),
    pressurememoryfull: v(p.memoryfull),
  };
}

/** One qemu/lxc entry of /cluster/resources. */
export function resourceGuest(model: ProxmoxModel, rt: GuestRuntime): Obj {
  const g = rt.def;
  const node = model.node(g.node)!;
  const t = Math.floor(model.now() / 10_000) * 10_000;
  const state = model.stateBroadcast(rt);
  const n = guestNumbers(model, rt, state, t);
  // pvestatd stores the QMP run state for QEMU; LXC has no "paused".
  let status: string = state.status;
  if (!node.online) status = 'unknown';
  else if (state.status === 'paused' && g.type === 'lxc') status = 'running';
  return {
    id: `${g.type}/${g.vmid}`,
    vmid: g.vmid,
    node: g.node,
    type: g.type,
    status,
    name: g.name,
    template: g.template ? 1 : 0,
    maxcpu: g.cores,
    maxmem: n.maxmem,
    maxdisk: n.maxdisk,
    uptime: n.uptime,
    cpu: n.cpu,
    mem: n.mem,
    disk: n.disk,
    netin: n.netin,
    netout: n.netout,
    diskread: n.diskread,
    diskwrite: n.diskwrite,
    ...(g.type === 'qemu' && model.major >= 9 ? { memhost: n.memhost } : {}),
    ...tagString(g),
  };
}

/** Node numbers now. */
export function nodeNumbers(
  model: ProxmoxModel,
  node: ProxmoxNodeDef,
  t: number,
) {
  const tSec = t / 1000;
  let cores = 0;
  let mem = 2.6 * GiB;
  let netIn = 4e3;
  let netOut = 3e3;
  for (const rt of model.guestsOn(node.name)) {
    const st = rt.at(t);
    if (st.status === 'stopped') continue;
    cores += model.metrics.guestCpu(rt.def, tSec) * rt.def.cores;
    mem +=
      rt.def.type === 'qemu'
        ? model.metrics.guestMemHost(rt.def)
        : model.metrics.guestMem(rt.def, tSec);
    const net = model.metrics.guestNet(rt.def, tSec);
    netIn += net.in;
    netOut += net.out;
  }
  const maxmem = Math.round(node.memoryGiB * GiB);
  const cpu = Math.min(
    1,
    0.015 +
      (cores / node.cpus) * 0.92 +
      0.01 * model.metrics.nodeNoise(node.name, tSec),
  );
  const rootTotal = Math.round(node.rootfsGiB * GiB);
  return {
    cpu,
    maxcpu: node.cpus,
    mem: Math.min(maxmem, Math.round(mem)),
    maxmem,
    disk: Math.round(
      rootTotal * (0.14 + 0.02 * model.ctx.unit(`root:${node.name}`)),
    ),
    maxdisk: rootTotal,
    uptime: Math.floor((t - model.nodeBoot.get(node.name)!) / 1000),
    netin: netIn,
    netout: netOut,
    iowait: model.metrics.nodeIoWait(node.name, tSec),
  };
}

export function resourceNode(
  model: ProxmoxModel,
  node: ProxmoxNodeDef,
  withStats: boolean,
): Obj {
  if (!node.online) {
    return {
      id: `node/${node.name}`,
      node: node.name,
      type: 'node',
      status: 'offline',
      level: '',
    };
  }
  const base: Obj = {
    id: `node/${node.name}`,
    node: node.name,
    type: 'node',
    status: 'online',
  };
  if (!withStats) return { ...base, level: '', 'cgroup-mode': 2 };
  const n = nodeNumbers(model, node, Math.floor(model.now() / 10_000) * 10_000);
  return {
    ...base,
    uptime: n.uptime,
    cpu: n.cpu,
    mem: n.mem,
    disk: n.disk,
    level: '',
    maxcpu: n.maxcpu,
    maxmem: n.maxmem,
    maxdisk: n.maxdisk,
    'cgroup-mode': 2,
  };
}

/** Storage content lists come in Perl hash order: stable but unordered. */
export function hashOrder(model: ProxmoxModel, key: string, items: string[]) {
  return [...items].sort(
    (a, b) =>
      model.ctx.unit(`ho:${key}:${a}`) - model.ctx.unit(`ho:${key}:${b}`),
  );
}

export function storageNumbers(s: ProxmoxNodeDef['storage'][number]) {
  const total = Math.round(s.totalGiB * GiB);
  const used = Math.round(s.usedGiB * GiB);
  return { total, used, avail: total - used, used_fraction: used / total };
}

export function resourceStorage(
  model: ProxmoxModel,
  node: ProxmoxNodeDef,
  s: ProxmoxNodeDef['storage'][number],
): Obj {
  const n = storageNumbers(s);
  const base: Obj = {
    id: `storage/${node.name}/${s.id}`,
    storage: s.id,
    node: node.name,
    type: 'storage',
    plugintype: s.type,
    status: node.online ? 'available' : 'unknown',
    shared: s.shared ? 1 : 0,
    content: hashOrder(model, `${node.name}/${s.id}`, s.content).join(','),
  };
  return node.online ? { ...base, maxdisk: n.total, disk: n.used } : base;
}

/** qemu list entry / status/current base (`mem` in the list is the host's view). */
export function qemuStatus(
  model: ProxmoxModel,
  rt: GuestRuntime,
  forList: boolean,
): Obj {
  const g = rt.def;
  const t = model.now();
  const state = model.stateNow(rt);
  const n = guestNumbers(model, rt, state, t);
  const v9 = model.major >= 9;
  const out: Obj = {
    vmid: g.vmid,
    name: g.name,
    status: state.status === 'stopped' ? 'stopped' : 'running',
    cpus: g.cores,
    maxmem: n.maxmem,
    maxdisk: n.maxdisk,
    disk: 0,
    ...(n.up ? { pid: n.pid } : {}),
    uptime: n.uptime,
    cpu: n.cpu,
    mem: forList && v9 ? n.memhost : n.mem,
    ...(v9 ? { memhost: n.memhost } : {}),
    netin: n.netin,
    netout: n.netout,
    ...(n.up && v9 ? pressure(model, g, t, false) : {}),
    ...tagString(g),
    ...(g.template ? { template: 1, serial: 1 } : {}),
  };
  return out;
}

export function qemuCurrent(model: ProxmoxModel, rt: GuestRuntime): Obj {
  const g = rt.def;
  const state = model.stateNow(rt);
  const base = qemuStatus(model, rt, false);
  const t = model.now();
  const n = guestNumbers(model, rt, state, t);
  const qmpstatus = state.status === 'paused' ? 'paused' : state.status;
  if (!n.up) return { ...base, ha: { managed: 0 }, qmpstatus };
  const maxmem = n.maxmem;
  const free = Math.max(0, maxmem - n.mem - 67 * MiB);
  return {
    ...base,
    ha: { managed: 0 },
    ...(g.guestAgent ? { agent: 1 } : {}),
    freemem: free,
    balloon: maxmem,
    ballooninfo: {
      actual: maxmem,
      max_mem: maxmem,
      total_mem: maxmem - 64 * MiB,
      free_mem: free,
      mem_swapped_in: 0,
      mem_swapped_out: 0,
      major_page_faults: 1532,
      minor_page_faults: 400000 + (g.vmid % 1000) * 1234,
      last_update: Math.floor(t / 1000) - 3,
    },
    diskread: n.diskread,
    diskwrite: n.diskwrite,
    nics: { [`tap${g.vmid}i0`]: { netin: n.netin, netout: n.netout } },
    qmpstatus,
    'running-machine': g.tags.includes('home-assistant')
      ? 'pc-q35-10.1+pve0'
      : 'pc-i440fx-10.1+pve0',
    'running-qemu': '10.1.2',
  };
}

export function lxcStatus(
  model: ProxmoxModel,
  rt: GuestRuntime,
  withHa: boolean,
): Obj {
  const g = rt.def;
  const t = model.now();
  const state = model.stateNow(rt);
  const n = guestNumbers(model, rt, state, t);
  return {
    vmid: g.vmid,
    type: 'lxc',
    name: g.name,
    status: n.up ? 'running' : 'stopped',
    cpus: g.cores,
    maxmem: n.maxmem,
    maxswap: n.maxmem,
    maxdisk: n.maxdisk,
    disk: n.disk,
    ...(n.up ? { pid: n.pid } : {}),
    uptime: n.uptime,
    cpu: n.cpu,
    mem: n.mem,
    swap: 0,
    netin: n.netin,
    netout: n.netout,
    diskread: n.diskread,
    diskwrite: n.diskwrite,
    ...(n.up && model.major >= 9 ? pressure(model, g, t, true) : {}),
    ...tagString(g),
    ...(g.template ? { template: 1 } : {}),
    ...(withHa ? { ha: { managed: 0 } } : {}),
  };
}

function digest(obj: Obj) {
  return createHash('sha1').update(JSON.stringify(obj)).digest('hex');
}

function uuidFor(model: ProxmoxModel, key: string) {
  const h = createHash('sha1')
    .update(`${model.ctx.scenario.seed}:${key}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

export function qemuConfig(model: ProxmoxModel, rt: GuestRuntime): Obj {
  const g = rt.def;
  const ha = g.tags.includes('home-assistant');
  const cfg: Obj = {
    ...(g.guestAgent ? { agent: '1' } : {}),
    ...(ha ? { bios: 'ovmf' } : {}),
    boot: g.template ? 'order=scsi0' : 'order=scsi0;net0',
    cores: g.cores,
    cpu: g.template ? 'x86-64-v2-AES' : 'host',
    ...(g.description ? { description: g.description.trim() } : {}),
    ...(ha
      ? {
          efidisk0: `local-lvm:vm-${g.vmid}-disk-0,efitype=4m,pre-enrolled-keys=0,size=4M`,
        }
      : {}),
    ...(ha ? { machine: 'q35' } : {}),
    memory: String(Math.round(g.memoryGiB * 1024)),
    ...(model.major >= 9
      ? { meta: 'creation-qemu=10.0.2,ctime=1757318400' }
      : {}),
    name: g.name,
    net0: `virtio=${g.mac},bridge=vmbr0,firewall=1`,
    numa: 0,
    ...(g.template ? {} : { onboot: 1 }),
    ostype: g.ostype,
    scsi0: g.template
      ? `local-lvm:base-${g.vmid}-disk-0,size=${g.diskGiB}G`
      : `local-lvm:vm-${g.vmid}-disk-${ha ? 1 : 0},discard=on,iothread=1,size=${
          g.diskGiB
        }G,ssd=1`,
    scsihw: 'virtio-scsi-single',
    ...(g.template ? { serial0: 'socket', vga: 'serial0' } : {}),
    smbios1: `uuid=${g.smbiosUuid ?? uuidFor(model, `smbios:${g.vmid}`)}`,
    sockets: 1,
    ...(g.template ? {} : { startup: `order=${(g.vmid % 10) + 1}` }),
    ...tagString(g),
    ...(g.template ? { template: 1 } : {}),
    vmgenid: uuidFor(model, `vmgenid:${g.vmid}`),
  };
  const sorted = Object.fromEntries(
    Object.entries(cfg).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { ...sorted, digest: digest(sorted) };
}

export function lxcConfig(rt: GuestRuntime): Obj {
  const g = rt.def;
  const mem = Math.round(g.memoryGiB * 1024);
  const cfg: Obj = {
    arch: 'amd64',
    cores: g.cores,
    ...(g.description ? { description: `${g.description}\n` } : {}),
    features: 'nesting=1',
    hostname: g.name,
    memory: mem,
    net0: `name=eth0,bridge=vmbr0,firewall=1,gw=192.168.1.1,hwaddr=${g.mac}${
      g.ip ? `,ip=${g.ip}/24` : ',ip=dhcp'
    },type=veth`,
    onboot: 1,
    ostype: g.ostype,
    rootfs: `local-lvm:vm-${g.vmid}-disk-0,size=${g.diskGiB}G`,
    startup: 'order=3',
    swap: mem,
    ...tagString(g),
    ...(g.template ? { template: 1 } : {}),
    unprivileged: 1,
  };
  return { ...cfg, digest: digest(cfg) };
}

/** IPv6 link-local address derived from a MAC (EUI-64), as the kernel does. */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map(x => parseInt(x, 16));
  b[0] ^= 2;
  const w = [
    (b[0] << 8) | b[1],
    (b[2] << 8) | 0xff,
    (0xfe << 8) | b[3],
    (b[4] << 8) | b[5],
  ];
  return `fe80::${w.map(x => x.toString(16)).join(':')}`;
}
