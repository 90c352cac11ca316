import { BackupSchedule } from '../model/backups';
import {
  GuestRuntime,
  PowerAction,
  ProxmoxModel,
  SimTask,
} from '../model/ProxmoxModel';
import { guestRrd, nodeRrd } from '../model/rrd';
import { privilegesOn, Token } from './access';
import { clusterEndpoints } from './endpoints/cluster';
import { guestEndpoints } from './endpoints/guest';
import { nodeEndpoints } from './endpoints/node';
import {
  agentAudit,
  can,
  guestOf,
  requireAgent,
  vmAudit,
} from './endpoints/shared';
import { P, ParamSpec, PveError } from './pveHttp';
import {
  hashOrder,
  linkLocal,
  lxcConfig,
  lxcStatus,
  nodeNumbers,
  Obj,
  qemuConfig,
  qemuCurrent,
  qemuStatus,
  resourceGuest,
  resourceNode,
  resourceStorage,
  storageNumbers,
} from './views';

/**
 * A permission check as the schema spells it: ['perm', path, privs, 'any', 1],
 * or ['or', check, check, ...].
 */
export type PermCheck = [string, ...unknown[]] &
  ([string, string, string[], ...unknown[]] | ['or', ...unknown[]]);

export type Call = {
  model: ProxmoxModel;
  backups: BackupSchedule;
  token: Token;
  params: Record<string, string | number | boolean>;
  sslFingerprint: string;
};

export type Reply = { data: unknown; total?: number };

export type Endpoint = {
  method: 'GET' | 'POST';
  /** The schema path, `{param}` for path parameters. */
  path: string;
  /** Parameters; a function when they differ between releases. */
  params:
    | Record<string, ParamSpec>
    | ((major: number) => Record<string, ParamSpec>);
  /** The schema's permission check for a major release; none = `user: all`. */
  check?: (major: number) => PermCheck | undefined;
  handle: (call: Call) => Reply;
};

const rrdFrames = (node: boolean, major: number) => [
  'hour',
  'day',
  'week',
  'month',
  'year',
  ...(node && major >= 9 ? ['decade'] : []),
];

const sysAuditRoot = () => ['perm', '/', ['Sys.Audit']] as PermCheck;
const sysAuditNode = () =>
  ['perm', '/nodes/{node}', ['Sys.Audit']] as PermCheck;
const powerMgmt = () => ['perm', '/vms/{vmid}', ['VM.PowerMgmt']] as PermCheck;
const datastoreAudit = () =>
  [
    'perm',
    '/storage/{storage}',
    ['Datastore.Audit', 'Datastore.AllocateSpace'],
    'any',
    1,
  ] as PermCheck;

/** Task list entries: finished ones carry endtime and status (= exit status). */
function taskEntry(t: SimTask, now: number): Obj {
  const base: Obj = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
  };
  return t.endsAt <= now
    ? { ...base, endtime: Math.floor(t.endsAt / 1000), status: t.exitstatus }
    : base;
}

function tasksOfNode(c: Call, node: string): SimTask[] {
  return [
    ...c.backups.historyTasks(node),
    ...c.model.dynamicTasks().filter(t => t.node === node),
  ].sort((a, b) => b.starttime - a.starttime);
}

function findTask(c: Call): SimTask {
  const node = String(c.params.node);
  c.model.requireNode(node);
  const upid = String(c.params.upid);
  const task =
    c.model.findDynamicTask(upid) ??
    c.backups.historyTasks(node).find(t => t.upid === upid);
  if (!task || task.node !== node) {
    throw new PveError(400, `unable to parse worker upid '${upid}'`);
  }
  const own = task.user === c.token.id || task.user === c.token.user;
  if (!own && !can(c, `/nodes/${node}`, ['Sys.Audit'])) {
    throw new PveError(
      403,
      `Permission check failed (/nodes/${node}, Sys.Audit)`,
    );
  }
  return task;
}

function power(
  type: 'qemu' | 'lxc',
  action: PowerAction,
  extra:
    | Record<string, ParamSpec>
    | ((major: number) => Record<string, ParamSpec>),
): Endpoint {
  return {
    method: 'POST',
    path: `/nodes/{node}/${type}/{vmid}/status/${action}`,
    params: major => ({
      node: P.node,
      vmid: P.vmid,
      ...(typeof extra === 'function' ? extra(major) : extra),
    }),
    check: powerMgmt,
    handle: c => {
      c.model.requireNode(String(c.params.node));
      return {
        data: c.model.power(
          String(c.params.node),
          type,
          Number(c.params.vmid),
          action,
          c.token.id,
        ),
      };
    },
  };
}

/** `GET /nodes/{node}/{qemu|lxc}/{vmid}/rrddata`: the same for both kinds of guest. */
function guestRrdEndpoint(type: 'qemu' | 'lxc'): Endpoint {
  return {
    method: 'GET',
    path: `/nodes/{node}/${type}/{vmid}/rrddata`,
    params: {
      node: P.node,
      vmid: P.vmid,
      timeframe: { type: 'string', enum: rrdFrames(false, 9) },
      cf: { type: 'string', enum: ['AVERAGE', 'MAX'], optional: 1 },
    },
    check: vmAudit,
    handle: c => ({
      data: guestRrd(
        c.model,
        guestOf(c, type),
        String(c.params.timeframe),
        String(c.params.cf ?? 'AVERAGE'),
      ),
    }),
  };
}

function agentInterfaces(c: Call, rt: GuestRuntime): Obj[] {
  const g = rt.def;
  const lo = {
    name: 'lo',
    'hardware-address': '00:00:00:00:00:00',
    'ip-addresses': [
      { 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 },
      { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 },
    ],
  };
  const mac = g.mac.toLowerCase();
  const main = {
    name: g.tags.includes('home-assistant') ? 'enp6s18' : 'ens18',
    'hardware-address': mac,
    'ip-addresses': [
      ...(g.ip
        ? [{ 'ip-address-type': 'ipv4', 'ip-address': g.ip, prefix: 24 }]
        : []),
      { 'ip-address-type': 'ipv6', 'ip-address': linkLocal(mac), prefix: 64 },
    ],
  };
  const extra: Obj[] = [];
  if (g.tags.includes('talos')) {
    const n = g.vmid % 256;
    extra.push({
      name: 'cilium_host',
      'hardware-address': `4a:1c:7e:22:${(n >> 4).toString(16)}${(
        n & 15
      ).toString(16)}:0b`,
      'ip-addresses': [
        {
          'ip-address-type': 'ipv4',
          'ip-address': `10.244.${n % 16}.1`,
          prefix: 32,
        },
      ],
    });
  }
  if (g.tags.includes('home-assistant')) {
    extra.push({
      name: 'hassio',
      'hardware-address': '02:42:5e:1d:7a:10',
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': '172.30.32.1', prefix: 23 },
      ],
    });
  }
  const stats = (i: number) => {
    const up =
      (c.model.now() - (rt.at(c.model.now()).runningSince ?? c.model.now())) /
      1000;
    const rate = 2e4 + g.load * 3e6;
    const rx = Math.round(rate * up * (i === 0 ? 0.2 : 1));
    return {
      'rx-bytes': rx,
      'rx-dropped': 0,
      'rx-errs': 0,
      'rx-packets': Math.round(rx / 900),
      'tx-bytes': Math.round(rx * 0.8),
      'tx-dropped': 0,
      'tx-errs': 0,
      'tx-packets': Math.round((rx * 0.8) / 800),
    };
  };
  return [lo, main, ...extra].map((i, n) => ({ ...i, statistics: stats(n) }));
}

export function buildEndpoints(): Endpoint[] {
  return [
    ...nodeEndpoints(),
    ...clusterEndpoints(),
    ...guestEndpoints(),
    {
      method: 'GET',
      path: '/version',
      params: {},
      handle: c => ({ data: { ...c.model.version } }),
    },
    {
      method: 'GET',
      path: '/cluster/status',
      params: {},
      check: sysAuditRoot,
      handle: c => {
        const nodes = c.model.nodes.map((n, i) => ({
          type: 'node',
          id: `node/${n.name}`,
          name: n.name,
          ip: n.ip,
          local: i === 0 ? 1 : 0,
          nodeid: c.model.nodes.length > 1 ? i + 1 : 0,
          online: n.online ? 1 : 0,
          level: '',
        }));
        if (c.model.nodes.length === 1) return { data: nodes };
        const online = c.model.nodes.filter(n => n.online).length;
        return {
          data: [
            {
              type: 'cluster',
              id: 'cluster',
              name: c.model.proxmox.clusterName ?? 'homelab',
              nodes: c.model.nodes.length,
              quorate: online * 2 > c.model.nodes.length ? 1 : 0,
              version: c.model.nodes.length + 2,
            },
            ...nodes,
          ],
        };
      },
    },
    {
      method: 'GET',
      path: '/cluster/resources',
      params: {
        type: {
          type: 'string',
          enum: ['vm', 'storage', 'node', 'sdn'],
          optional: 1,
        },
      },
      handle: c => {
        const type = c.params.type as string | undefined;
        const m = c.model;
        const out: Obj[] = [];
        if (!type || type === 'vm') {
          for (const rt of m.guests.values()) {
            if (can(c, `/vms/${rt.def.vmid}`, ['VM.Audit']))
              out.push(resourceGuest(m, rt));
          }
        }
        if (!type || type === 'node') {
          for (const n of m.nodes) {
            out.push(
              resourceNode(m, n, can(c, `/nodes/${n.name}`, ['Sys.Audit'])),
            );
          }
        }
        if (!type || type === 'storage') {
          for (const n of m.nodes) {
            for (const s of n.storage) {
              if (
                can(c, `/storage/${s.id}`, [
                  'Datastore.Audit',
                  'Datastore.AllocateSpace',
                ])
              ) {
                out.push(resourceStorage(m, n, s));
              }
            }
          }
        }
        if (!type || type === 'sdn') {
          for (const n of m.nodes) {
            out.push(
              m.major >= 9
                ? {
                    id: `network/${n.name}/zone/localnetwork`,
                    type: 'network',
                    'network-type': 'zone',
                    network: 'localnetwork',
                    node: n.name,
                    status: n.online ? 'ok' : 'unknown',
                  }
                : {
                    id: `sdn/${n.name}/localnetwork`,
                    sdn: 'localnetwork',
                    node: n.name,
                    type: 'sdn',
                    status: n.online ? 'ok' : 'unknown',
                  },
            );
          }
        }
        return { data: out };
      },
    },
    {
      method: 'GET',
      path: '/cluster/ha/status/current',
      params: {},
      check: sysAuditRoot,
      handle: c => ({
        data: [
          {
            id: 'quorum',
            type: 'quorum',
            node: c.model.nodes[0].name,
            status: 'OK',
            quorate: 1,
          },
          ...(c.model.major >= 9
            ? [
                {
                  id: 'fencing',
                  type: 'fencing',
                  node: c.model.nodes[0].name,
                  status: 'standby (CRM watchdog standby)',
                  'armed-state': 'standby',
                },
              ]
            : []),
        ],
      }),
    },
    {
      method: 'GET',
      path: '/cluster/backup',
      params: {},
      check: sysAuditRoot,
      handle: c => ({ data: c.backups.jobs.map(j => backupJob(c, j)) }),
    },
    {
      method: 'GET',
      path: '/cluster/backup/{id}',
      params: { id: { type: 'string', maxLength: 50, pattern: '\\S+' } },
      check: sysAuditRoot,
      handle: c => {
        const job = c.backups.jobs.find(j => j.id === c.params.id);
        if (!job)
          throw new PveError(500, `Job '${c.params.id}' does not exist`);
        return { data: backupJob(c, job) };
      },
    },
    {
      method: 'GET',
      path: '/cluster/backup-info/not-backed-up',
      params: {},
      check: sysAuditRoot,
      handle: c => ({
        data: [...c.model.guests.values()]
          .filter(rt => !c.backups.jobOf(rt.def.vmid))
          .map(rt => ({
            vmid: rt.def.vmid,
            type: rt.def.type,
            name: rt.def.name,
          })),
      }),
    },
    {
      method: 'GET',
      path: '/cluster/tasks',
      params: {},
      handle: c => {
        const now = c.model.now();
        const all = c.model.nodes
          .filter(n => n.online)
          .flatMap(n =>
            can(c, `/nodes/${n.name}`, ['Sys.Audit'])
              ? tasksOfNode(c, n.name)
              : tasksOfNode(c, n.name).filter(t => t.user === c.token.id),
          )
          .sort((a, b) => b.starttime - a.starttime)
          .slice(0, 50);
        return { data: all.map(t => taskEntry(t, now)) };
      },
    },
    {
      method: 'GET',
      path: '/access/permissions',
      params: {
        path: { type: 'string', optional: 1 },
        userid: {
          type: 'string',
          optional: 1,
          pattern:
            '[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+(?:![A-Za-z][A-Za-z0-9.\\-_]+)?',
        },
      },
      handle: c => {
        if (c.params.userid && c.params.userid !== c.token.id) {
          throw new PveError(
            403,
            `Permission check failed (/access, Sys.Audit)`,
          );
        }
        const paths = c.params.path
          ? [String(c.params.path)]
          : [...new Set(c.token.acl.map(a => a.path))];
        const out: Record<string, Record<string, number>> = {};
        for (const p of paths) {
          const privs = privilegesOn(c.token, p, c.model.major);
          if (privs.size || c.params.path) {
            out[p] = Object.fromEntries([...privs].sort().map(x => [x, 1]));
          }
        }
        return { data: out };
      },
    },
    {
      method: 'GET',
      path: '/nodes',
      params: {},
      handle: c => ({
        data: c.model.nodes.map(n => {
          if (!n.online)
            return {
              id: `node/${n.name}`,
              node: n.name,
              type: 'node',
              status: 'offline',
            };
          const stats = can(c, `/nodes/${n.name}`, ['Sys.Audit']);
          const num = nodeNumbers(
            c.model,
            n,
            Math.floor(c.model.now() / 10_000) * 10_000,
          );
          return {
            id: `node/${n.name}`,
            node: n.name,
            type: 'node',
            status: 'online',
            ...(stats
              ? {
                  uptime: num.uptime,
                  cpu: num.cpu,
                  maxcpu: num.maxcpu,
                  mem: num.mem,
                  maxmem: num.maxmem,
                  disk: num.disk,
                  maxdisk: num.maxdisk,
                }
              : {}),
            level: '',
            ssl_fingerprint: c.sslFingerprint,
          };
        }),
      }),
    },
    {
      method: 'GET',
      path: '/nodes/{node}/status',
      params: { node: P.node },
      check: sysAuditNode,
      handle: c => {
        const n = c.model.requireNode(String(c.params.node));
        const num = nodeNumbers(c.model, n, c.model.now());
        const kernel = /^Linux (\S+) (.*)$/.exec(n.kernel);
        const load = num.cpu * num.maxcpu * 0.8;
        return {
          data: {
            uptime: num.uptime,
            idle: 0,
            loadavg: [load, load * 1.1, load * 1.05].map(x => x.toFixed(2)),
            kversion: n.kernel,
            'current-kernel': {
              sysname: 'Linux',
              release: kernel?.[1] ?? '6.14.11-4-pve',
              version: kernel?.[2] ?? '#1 SMP PREEMPT_DYNAMIC',
              machine: 'x86_64',
            },
            'boot-info': { mode: 'efi', secureboot: 0 },
            cpuinfo: {
              user_hz: 100,
              vendor: /AMD/.test(n.cpuModel) ? 'AuthenticAMD' : 'GenuineIntel',
              family: '6',
              model: n.cpuModel,
              mhz: (
                3400 +
                c.model.ctx.unit(
                  `mhz:${n.name}:${Math.floor(c.model.now() / 60000)}`,
                )
              ).toFixed(3),
              cpus: n.cpus,
              sockets: 1,
              cores: Math.max(1, n.cpus / 2),
              hvm: '1',
              flags:
                'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc vmx aes avx avx2',
            },
            cpu: num.cpu,
            wait: num.iowait,
            memory: {
              total: num.maxmem,
              used: num.mem,
              free: Math.round((num.maxmem - num.mem) * 0.05),
              available: num.maxmem - num.mem,
            },
            ksm: { shared: 0 },
            swap: { total: 8589930496, used: 0, free: 8589930496 },
            pveversion: n.pveVersion,
            rootfs: {
              total: num.maxdisk,
              used: num.disk,
              avail: Math.round((num.maxdisk - num.disk) * 0.94),
              free: num.maxdisk - num.disk,
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/rrddata',
      params: major => ({
        node: P.node,
        timeframe: { type: 'string', enum: rrdFrames(true, major) },
        cf: { type: 'string', enum: ['AVERAGE', 'MAX'], optional: 1 },
      }),
      check: sysAuditNode,
      handle: c => {
        const n = c.model.requireNode(String(c.params.node));
        return {
          data: nodeRrd(
            c.model,
            n,
            String(c.params.timeframe),
            String(c.params.cf ?? 'AVERAGE'),
          ),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu',
      params: { node: P.node, full: P.optionalBool },
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        return {
          data: c.model
            .guestsOn(node.name)
            .filter(
              rt =>
                rt.def.type === 'qemu' &&
                can(c, `/vms/${rt.def.vmid}`, ['VM.Audit']),
            )
            .map(rt => {
              const s = qemuStatus(c.model, rt, true);
              if (!c.params.full) return s;
              const st = c.model.stateNow(rt).status;
              return { ...s, qmpstatus: st };
            }),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/status/current',
      params: { node: P.node, vmid: P.vmid },
      check: vmAudit,
      handle: c => ({ data: qemuCurrent(c.model, guestOf(c, 'qemu')) }),
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/config',
      params: {
        node: P.node,
        vmid: P.vmid,
        current: { type: 'boolean', optional: 1 },
        snapshot: {
          type: 'string',
          optional: 1,
          format: 'pve-configid',
          maxLength: 40,
        },
      },
      check: vmAudit,
      handle: c => {
        const rt = guestOf(c, 'qemu');
        if (c.params.snapshot)
          throw new PveError(
            500,
            `snapshot '${c.params.snapshot}' does not exist`,
          );
        return { data: sortKeys(qemuConfig(c.model, rt)) };
      },
    },
    guestRrdEndpoint('qemu'),
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
      params: { node: P.node, vmid: P.vmid },
      check: agentAudit,
      handle: c => {
        const rt = guestOf(c, 'qemu');
        requireAgent(c, rt);
        return { data: { result: agentInterfaces(c, rt) } };
      },
    },
    power('qemu', 'start', major => ({
      'force-cpu': P.optionalString,
      machine: P.optionalString,
      migratedfrom: { type: 'string', optional: 1, format: 'pve-node' },
      migration_network: { type: 'string', optional: 1, format: 'CIDR' },
      migration_type: {
        type: 'string',
        enum: ['secure', 'insecure'],
        optional: 1,
      },
      'nets-host-mtu': {
        type: 'string',
        optional: 1,
        pattern: 'net\\d+=\\d+(,net\\d+=\\d+)*',
      },
      skiplock: P.optionalBool,
      stateuri: { type: 'string', optional: 1, maxLength: 128 },
      targetstorage: P.optionalString,
      timeout: { type: 'integer', optional: 1, minimum: 0 },
      ...(major >= 9 ? { 'with-conntrack-state': P.optionalBool } : {}),
    })),
    power('qemu', 'stop', {
      keepActive: P.optionalBool,
      migratedfrom: { type: 'string', optional: 1, format: 'pve-node' },
      'overrule-shutdown': P.optionalBool,
      skiplock: P.optionalBool,
      timeout: { type: 'integer', optional: 1, minimum: 0 },
    }),
    power('qemu', 'shutdown', {
      forceStop: P.optionalBool,
      keepActive: P.optionalBool,
      skiplock: P.optionalBool,
      timeout: { type: 'integer', optional: 1, minimum: 0 },
    }),
    power('qemu', 'reboot', {
      timeout: { type: 'integer', optional: 1, minimum: 0 },
    }),
    {
      method: 'GET',
      path: '/nodes/{node}/lxc',
      params: { node: P.node },
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        return {
          data: c.model
            .guestsOn(node.name)
            .filter(
              rt =>
                rt.def.type === 'lxc' &&
                can(c, `/vms/${rt.def.vmid}`, ['VM.Audit']),
            )
            .map(rt => lxcStatus(c.model, rt, false)),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/lxc/{vmid}/status/current',
      params: { node: P.node, vmid: P.vmid },
      check: vmAudit,
      handle: c => ({ data: lxcStatus(c.model, guestOf(c, 'lxc'), true) }),
    },
    {
      method: 'GET',
      path: '/nodes/{node}/lxc/{vmid}/config',
      params: {
        node: P.node,
        vmid: P.vmid,
        current: { type: 'boolean', optional: 1 },
        snapshot: {
          type: 'string',
          optional: 1,
          format: 'pve-configid',
          maxLength: 40,
        },
      },
      check: vmAudit,
      handle: c => {
        const rt = guestOf(c, 'lxc');
        if (c.params.snapshot)
          throw new PveError(
            500,
            `snapshot '${c.params.snapshot}' does not exist`,
          );
        return { data: sortKeys(lxcConfig(rt)) };
      },
    },
    guestRrdEndpoint('lxc'),
    {
      method: 'GET',
      path: '/nodes/{node}/lxc/{vmid}/interfaces',
      params: { node: P.node, vmid: P.vmid },
      check: vmAudit,
      handle: c => {
        const rt = guestOf(c, 'lxc');
        if (c.model.stateNow(rt).status === 'stopped') {
          throw new PveError(500, `CT ${rt.def.vmid} not running`);
        }
        const mac = rt.def.mac.toLowerCase();
        const ll = linkLocal(mac);
        return {
          data: [
            {
              name: 'lo',
              hwaddr: '00:00:00:00:00:00',
              'hardware-address': '00:00:00:00:00:00',
              inet: '127.0.0.1/8',
              inet6: '::1/128',
              'ip-addresses': [
                {
                  'ip-address': '127.0.0.1',
                  'ip-address-type': 'inet',
                  prefix: 8,
                },
                {
                  'ip-address': '::1',
                  'ip-address-type': 'inet6',
                  prefix: 128,
                },
              ],
            },
            {
              name: 'eth0',
              hwaddr: mac,
              'hardware-address': mac,
              ...(rt.def.ip ? { inet: `${rt.def.ip}/24` } : {}),
              inet6: `${ll}/64`,
              'ip-addresses': [
                ...(rt.def.ip
                  ? [
                      {
                        'ip-address': rt.def.ip,
                        'ip-address-type': 'inet',
                        prefix: 24,
                      },
                    ]
                  : []),
                { 'ip-address': ll, 'ip-address-type': 'inet6', prefix: 64 },
              ],
            },
          ],
        };
      },
    },
    power('lxc', 'start', { debug: P.optionalBool, skiplock: P.optionalBool }),
    power('lxc', 'stop', {
      'overrule-shutdown': P.optionalBool,
      skiplock: P.optionalBool,
    }),
    power('lxc', 'shutdown', {
      forceStop: P.optionalBool,
      timeout: { type: 'integer', optional: 1, minimum: 0 },
    }),
    power('lxc', 'reboot', {
      timeout: { type: 'integer', optional: 1, minimum: 0 },
    }),
    {
      method: 'GET',
      path: '/nodes/{node}/storage',
      params: {
        node: P.node,
        content: {
          type: 'string',
          optional: 1,
          format: 'pve-storage-content-list',
        },
        enabled: P.optionalBool,
        format: P.optionalBool,
        storage: { type: 'string', optional: 1, format: 'pve-storage-id' },
        target: { type: 'string', optional: 1, format: 'pve-node' },
      },
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const wanted = c.params.content
          ? String(c.params.content).split(',')
          : undefined;
        return {
          data: node.storage
            .filter(s => !c.params.storage || s.id === c.params.storage)
            .filter(s => !wanted || wanted.some(w => s.content.includes(w)))
            .filter(s =>
              can(c, `/storage/${s.id}`, [
                'Datastore.Audit',
                'Datastore.AllocateSpace',
              ]),
            )
            .map(s => ({
              storage: s.id,
              type: s.type,
              content: hashOrder(
                c.model,
                `${node.name}/${s.id}`,
                s.content,
              ).join(','),
              active: 1,
              enabled: 1,
              shared: s.shared ? 1 : 0,
              ...storageNumbers(s),
              ...(c.params.format &&
              c.model.major >= 9 &&
              s.content.includes('images')
                ? {
                    formats: { default: 'raw', supported: ['raw'] },
                    select_existing: 1,
                  }
                : {}),
            })),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/storage/{storage}/status',
      params: { node: P.node, storage: P.storage },
      check: datastoreAudit,
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const s = node.storage.find(x => x.id === c.params.storage);
        if (!s)
          throw new PveError(
            500,
            `storage '${c.params.storage}' does not exist`,
          );
        const n = storageNumbers(s);
        return {
          data: {
            type: s.type,
            content: hashOrder(c.model, `${node.name}/${s.id}`, s.content).join(
              ',',
            ),
            active: 1,
            enabled: 1,
            shared: s.shared ? 1 : 0,
            total: n.total,
            used: n.used,
            avail: n.avail,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/storage/{storage}/content',
      params: {
        node: P.node,
        storage: P.storage,
        content: { type: 'string', optional: 1, format: 'pve-storage-content' },
        vmid: P.optionalVmid,
      },
      check: datastoreAudit,
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const s = node.storage.find(x => x.id === c.params.storage);
        if (!s)
          throw new PveError(
            500,
            `storage '${c.params.storage}' does not exist`,
          );
        if (c.params.content && c.params.content !== 'backup')
          return { data: [] };
        const vmid =
          c.params.vmid === undefined ? undefined : Number(c.params.vmid);
        // pve-storage check_volume_access: backup volumes are silently dropped
        // unless the caller may allocate on the storage, or may allocate space
        // there and back up the owning guest.
        const mayAllocate = can(c, `/storage/${s.id}`, ['Datastore.Allocate']);
        const maySpace = can(c, `/storage/${s.id}`, [
          'Datastore.AllocateSpace',
        ]);
        return {
          data: c.backups
            .volumes(s.id, node.name, vmid)
            .filter(
              v =>
                mayAllocate ||
                (maySpace && can(c, `/vms/${v.vmid}`, ['VM.Backup'])),
            ),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/tasks',
      params: {
        node: P.node,
        errors: P.optionalBool,
        limit: { type: 'integer', optional: 1, minimum: 0 },
        since: P.optionalInt,
        source: {
          type: 'string',
          enum: ['archive', 'active', 'all'],
          optional: 1,
        },
        start: { type: 'integer', optional: 1, minimum: 0 },
        statusfilter: {
          type: 'string',
          optional: 1,
          format: 'pve-task-status-type-list',
        },
        typefilter: P.optionalString,
        until: P.optionalInt,
        userfilter: P.optionalString,
        vmid: P.optionalVmid,
      },
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const now = c.model.now();
        const source = String(c.params.source ?? 'archive');
        const statuses = c.params.statusfilter
          ? String(c.params.statusfilter).split(/[,;\s]+/)
          : undefined;
        const audit = can(c, `/nodes/${node.name}`, ['Sys.Audit']);
        const list = tasksOfNode(c, node.name)
          .filter(t => audit || t.user === c.token.id)
          .filter(t => {
            if (source === 'all') return true;
            return source === 'active' ? t.endsAt > now : t.endsAt <= now;
          })
          .filter(
            t => c.params.vmid === undefined || t.id === String(c.params.vmid),
          )
          .filter(t => !c.params.typefilter || t.type === c.params.typefilter)
          .filter(
            t =>
              !c.params.userfilter ||
              t.user.includes(String(c.params.userfilter)),
          )
          .filter(
            t =>
              c.params.since === undefined ||
              t.starttime >= Number(c.params.since),
          )
          .filter(
            t =>
              c.params.until === undefined ||
              t.starttime <= Number(c.params.until),
          )
          .filter(
            t => !c.params.errors || (t.endsAt <= now && t.exitstatus !== 'OK'),
          )
          .filter(t => {
            if (!statuses) return true;
            let kind = 'error';
            if (t.endsAt > now) kind = 'running';
            else if (t.exitstatus === 'OK') kind = 'ok';
            else if (/^WARNINGS/.test(t.exitstatus)) kind = 'warning';
            else if (/^unexpected status/.test(t.exitstatus)) kind = 'unknown';
            return statuses.includes(kind);
          });
        const start = Number(c.params.start ?? 0);
        const limit = Number(c.params.limit ?? 50);
        return {
          data: list.slice(start, start + limit).map(t => taskEntry(t, now)),
          total: list.length,
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/tasks/{upid}/status',
      params: { node: P.node, upid: { type: 'string' } },
      handle: c => {
        const t = findTask(c);
        const done = t.endsAt <= c.model.now();
        return {
          data: {
            upid: t.upid,
            node: t.node,
            pid: t.pid,
            pstart: t.pstart,
            starttime: t.starttime,
            type: t.type,
            id: t.id,
            user: t.user,
            status: done ? 'stopped' : 'running',
            ...(done ? { exitstatus: t.exitstatus } : {}),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/tasks/{upid}/log',
      params: {
        node: P.node,
        upid: { type: 'string' },
        download: P.optionalBool,
        limit: { type: 'integer', optional: 1, minimum: 0 },
        start: { type: 'integer', optional: 1, minimum: 0 },
      },
      handle: c => {
        const t = findTask(c);
        const done = t.endsAt <= c.model.now();
        const lines = done ? t.log() : t.log().slice(0, -1);
        const start = Number(c.params.start ?? 0);
        const limit = Number(c.params.limit ?? 50);
        return {
          data: lines
            .slice(start, start + limit)
            .map((text, i) => ({ n: start + i + 1, t: text })),
          total: lines.length,
        };
      },
    },
  ];
}

function backupJob(
  c: Call,
  job: { id: string; storage: string; vmids: number[] },
): Obj {
  return {
    id: job.id,
    type: 'vzdump',
    enabled: 1,
    schedule: '02:00',
    vmid: job.vmids.join(','),
    storage: job.storage,
    mode: 'snapshot',
    compress: 'zstd',
    'notes-template': '{{guestname}}',
    'notification-mode': 'notification-system',
    'prune-backups': { 'keep-daily': 7, 'keep-weekly': 4 },
    fleecing: { enabled: 0 },
    'next-run': Math.floor(c.backups.nextRun() / 1000),
  };
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(
    Object.entries(o).sort(([a], [b]) => a.localeCompare(b)),
  );
}
