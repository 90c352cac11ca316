import { NotFoundError } from '@backstage/errors';
import {
  isTaskSuccess,
  proxmoxEntityRef,
  ProxmoxBackupsResponse,
  ProxmoxGuestDetail,
  ProxmoxGuestSummary,
  ProxmoxGuestsResponse,
  ProxmoxInstanceInfo,
  ProxmoxNodeDetail,
  ProxmoxNodeSummary,
  ProxmoxOverview,
  ProxmoxStorageSummary,
  ProxmoxTask,
  ProxmoxTasksResponse,
  ProxmoxTimeframe,
  ProxmoxUpstreamError,
} from '@homelab-portal/plugin-proxmox-common';
import {
  ClusterResources,
  GuestConfig,
  GuestResource,
  ProxmoxInstance,
  ProxmoxService,
  TaskListItem,
} from '@homelab-portal/plugin-proxmox-node';
import { AddressIndex } from './AddressIndex';
import { primaryAddresses } from './addresses';
import { BackupIndex, jobsFor } from './BackupIndex';
import { dataState, partial } from './dataState';

type PartialErrors = { what: string; error: ProxmoxUpstreamError }[];

/**
 * Builds what the Proxmox views show from the shared client service: one
 * `/cluster/resources` read for the lists, detail calls only for the guest or
 * node someone is looking at, and the last known data (with its age and the
 * error) when Proxmox cannot be reached.
 */
export class ProxmoxViews {
  constructor(
    private readonly proxmox: ProxmoxService,
    private readonly addresses: AddressIndex,
    private readonly backups: BackupIndex,
  ) {}

  getInstance(id: string): ProxmoxInstance {
    return this.proxmox.getInstance(id);
  }

  instances(): ProxmoxInstanceInfo[] {
    return this.proxmox.listInstances().map(info);
  }

  async overview(id: string): Promise<ProxmoxOverview> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.resources();
    const r = snap.value;
    const real = r.guests.filter(g => !g.template);
    const version = await instance.version().then(
      v => v.value.version,
      () => undefined,
    );
    return {
      instance: info(instance),
      version,
      nodes: r.nodes.map(n => nodeSummary(id, n)),
      storage: r.storage.map(s => storageSummary(id, s)),
      counts: {
        vms: {
          running: real.filter(g => g.type === 'qemu' && g.status === 'running')
            .length,
          total: real.filter(g => g.type === 'qemu').length,
        },
        containers: {
          running: real.filter(g => g.type === 'lxc' && g.status === 'running')
            .length,
          total: real.filter(g => g.type === 'lxc').length,
        },
        templates: r.guests.length - real.length,
      },
      state: dataState(snap),
    };
  }

  async guests(id: string): Promise<ProxmoxGuestsResponse> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.resources();
    const ips = this.addresses.lookup(instance, snap.value.guests);
    // Reading backup history can take a while the first time (task logs);
    // the table does not wait for it longer than a moment.
    const backups = await Promise.race([
      this.backups.get(instance).then(
        b => b.value,
        () => undefined,
      ),
      new Promise<'pending'>(r =>
        setTimeout(() => r('pending'), 1500).unref?.(),
      ),
    ]).then(b => (b === 'pending' ? undefined : b));
    const last = backups
      ? BackupIndex.lastBackups(backups)
      : new Map<number, number>();
    return {
      guests: snap.value.guests
        .map(g => ({
          ...guestSummary(id, g),
          ips: ips.get(g.vmid) ?? [],
          lastBackupAt: last.get(g.vmid),
          notBackedUp: backups ? backups.notBackedUp.has(g.vmid) : undefined,
        }))
        .sort((a, b) => a.vmid - b.vmid),
      backupSource: backups?.source ?? 'storage',
      backupsLoading: !backups,
      state: dataState(snap),
    };
  }

  /** The guest as /cluster/resources knows it (node, type), or 404. */
  async findGuest(
    instance: ProxmoxInstance,
    vmid: number,
  ): Promise<{ guest: GuestResource; resources: ClusterResources }> {
    const snap = await instance.resources();
    const guest = snap.value.guests.find(g => g.vmid === vmid);
    if (!guest) {
      throw new NotFoundError(
        `Proxmox instance "${instance.id}" has no guest with VMID ${vmid}`,
      );
    }
    return { guest, resources: snap.value };
  }

  async guest(id: string, vmid: number): Promise<ProxmoxGuestDetail> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.resources();
    const g = snap.value.guests.find(x => x.vmid === vmid);
    if (!g)
      throw new NotFoundError(
        `Proxmox instance "${id}" has no guest with VMID ${vmid}`,
      );
    const partialErrors: PartialErrors = [];
    const offline =
      snap.value.nodes.find(n => n.node === g.node)?.status === 'offline';
    const [current, config, ifaces] = offline
      ? [undefined, undefined, undefined]
      : await Promise.all([
          partial('live status', partialErrors, () =>
            instance.guestCurrent(g.node, g.type, vmid),
          ),
          partial('configuration', partialErrors, () =>
            instance.guestConfig(g.node, g.type, vmid),
          ),
          g.status === 'running' && !g.template
            ? partial('addresses', partialErrors, () =>
                instance.guestInterfaces(g.node, g.type, vmid),
              )
            : Promise.resolve(undefined),
        ]);
    if (offline) {
      partialErrors.push({
        what: 'live status',
        error: {
          kind: 'node-offline',
          message: `Node ${g.node} is offline; showing what the cluster last reported.`,
        },
      });
    }
    const summary = guestSummary(id, g);
    let interfaces: ProxmoxGuestDetail['interfaces'];
    let interfacesUnavailable: string | undefined;
    if (ifaces && 'interfaces' in ifaces.value) {
      interfaces = ifaces.value.interfaces;
      summary.ips = primaryAddresses(ifaces.value.interfaces);
      this.addresses.remember(id, vmid, summary.ips);
    } else if (ifaces && 'unavailable' in ifaces.value) {
      interfacesUnavailable = ifaces.value.unavailable;
    } else if (g.status !== 'running') {
      interfacesUnavailable = `The ${
        g.type === 'qemu' ? 'VM' : 'container'
      } is not running.`;
    }
    const c = current?.value;
    return {
      guest: summary,
      current: c && {
        status: c.status,
        qmpstatus: c.qmpstatus,
        uptime: c.uptime,
        cpu: c.cpu,
        cpus: c.cpus,
        mem: c.mem,
        maxmem: c.maxmem,
        disk: c.disk,
        maxdisk: c.maxdisk,
        netin: c.netin,
        netout: c.netout,
        agent: c.agent,
        haManaged: !!c.ha?.managed,
        haState: c.ha?.state,
        runningQemu: c['running-qemu'],
        lock: c.lock,
      },
      config: config && configSummary(g.type, config.value),
      interfaces,
      interfacesUnavailable,
      webUrl: guestWebUrl(instance.webUrl, g),
      state: dataState(snap),
      partialErrors,
    };
  }

  async guestRrd(id: string, vmid: number, timeframe: ProxmoxTimeframe) {
    const instance = this.proxmox.getInstance(id);
    const { guest } = await this.findGuest(instance, vmid);
    const snap = await instance.guestRrd(
      guest.node,
      guest.type,
      vmid,
      timeframe,
    );
    return { rrd: snap.value, timeframe, state: dataState(snap) };
  }

  async node(
    id: string,
    node: string,
    timeframe: ProxmoxTimeframe,
  ): Promise<ProxmoxNodeDetail> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.resources();
    const n = snap.value.nodes.find(x => x.node === node);
    if (!n)
      throw new NotFoundError(`Proxmox instance "${id}" has no node "${node}"`);
    const partialErrors: PartialErrors = [];
    const online = n.status === 'online';
    const [status, rrd] = online
      ? await Promise.all([
          partial('node status', partialErrors, () =>
            instance.nodeStatus(node),
          ),
          partial('history', partialErrors, () =>
            instance.nodeRrd(node, timeframe),
          ),
        ])
      : [undefined, undefined];
    if (!online) {
      partialErrors.push({
        what: 'node status',
        error: {
          kind: 'node-offline',
          message: `Node ${node} is ${n.status}: Proxmox has no live data for it.`,
        },
      });
    }
    const s = status?.value;
    return {
      node: nodeSummary(id, n),
      status: s && {
        pveversion: s.pveversion,
        kversion: s.kversion,
        cpuModel: s.cpuinfo?.model,
        cpus: s.cpuinfo?.cpus,
        loadavg: s.loadavg,
        memory: s.memory && { total: s.memory.total, used: s.memory.used },
        rootfs: s.rootfs && { total: s.rootfs.total, used: s.rootfs.used },
        swap: s.swap && { total: s.swap.total, used: s.swap.used },
        bootMode: s['boot-info']?.mode,
      },
      rrd: rrd?.value ?? [],
      timeframe,
      storage: snap.value.storage
        .filter(x => x.node === node)
        .map(x => storageSummary(id, x)),
      guests: snap.value.guests
        .filter(g => g.node === node)
        .map(g => guestSummary(id, g)),
      state: dataState(snap),
      partialErrors,
    };
  }

  async guestBackups(
    id: string,
    vmid: number,
  ): Promise<ProxmoxBackupsResponse> {
    const instance = this.proxmox.getInstance(id);
    const { guest } = await this.findGuest(instance, vmid);
    const snap = await this.backups.get(instance);
    const b = snap.value;
    const list = b.byVmid.get(vmid) ?? [];
    const state = dataState(snap);
    if (!state.error && b.errors.length) state.error = b.errors[0].error;
    return {
      vmid,
      source: b.source,
      backups: list,
      lastBackupAt: list.find(x => x.ok)?.time,
      notBackedUp: b.notBackedUp.has(vmid),
      jobs: jobsFor(b.jobs, vmid, guest.pool).map(j => ({
        id: j.id,
        schedule: j.schedule,
        storage: j.storage,
        enabled: j.enabled !== false,
        nextRun: j['next-run'],
      })),
      hint: b.hint,
      warningDays: instance.backupWarningDays,
      state,
    };
  }

  async guestTasks(id: string, vmid: number): Promise<ProxmoxTasksResponse> {
    const instance = this.proxmox.getInstance(id);
    const { guest } = await this.findGuest(instance, vmid);
    const snap = await instance.nodeTasks(guest.node, {
      vmid,
      limit: 20,
      source: 'all',
    });
    return { tasks: snap.value.map(task), state: dataState(snap) };
  }

  async recentTasks(id: string, limit: number): Promise<ProxmoxTasksResponse> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.clusterTasks();
    return {
      tasks: [...snap.value]
        .sort((a, b) => b.starttime - a.starttime)
        .slice(0, limit)
        .map(task),
      state: dataState(snap),
    };
  }
}

function info(i: ProxmoxInstance): ProxmoxInstanceInfo {
  return {
    id: i.id,
    webUrl: i.webUrl,
    powerActionsConfigured: i.powerActionsConfigured,
    backupWarningDays: i.backupWarningDays,
  };
}

export function task(t: TaskListItem): ProxmoxTask {
  const stopped =
    t.endtime !== undefined ||
    (t.status !== undefined && t.status !== 'running');
  return {
    upid: t.upid,
    node: t.node,
    type: t.type,
    id: t.id,
    user: t.user,
    starttime: t.starttime,
    endtime: t.endtime,
    status: stopped ? 'stopped' : 'running',
    exitstatus: stopped ? t.status : undefined,
    ok: stopped ? isTaskSuccess(t.status) : undefined,
  };
}

function nodeSummary(
  instance: string,
  n: ClusterResources['nodes'][number],
): ProxmoxNodeSummary {
  return {
    node: n.node,
    status: n.status,
    uptime: n.uptime,
    cpu: n.cpu,
    maxcpu: n.maxcpu,
    mem: n.mem,
    maxmem: n.maxmem,
    disk: n.disk,
    maxdisk: n.maxdisk,
    entityRef: proxmoxEntityRef({ instance, kind: 'node', node: n.node }),
  };
}

function storageSummary(
  instance: string,
  s: ClusterResources['storage'][number],
): ProxmoxStorageSummary {
  return {
    storage: s.storage,
    node: s.node,
    plugintype: s.plugintype,
    status: s.status,
    shared: !!s.shared,
    content: s.content,
    disk: s.disk,
    maxdisk: s.maxdisk,
    entityRef: proxmoxEntityRef({
      instance,
      kind: 'storage',
      node: s.node,
      storage: s.storage,
    }),
  };
}

function guestSummary(instance: string, g: GuestResource): ProxmoxGuestSummary {
  return {
    vmid: g.vmid,
    type: g.type,
    name: g.name ?? `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`,
    node: g.node,
    status: g.status,
    template: !!g.template,
    uptime: g.uptime,
    cpu: g.cpu,
    maxcpu: g.maxcpu,
    mem: g.mem,
    maxmem: g.maxmem,
    disk: g.disk,
    maxdisk: g.maxdisk,
    tags: g.tags,
    lock: g.lock,
    hastate: g.hastate,
    ips: [],
    entityRef: proxmoxEntityRef({ instance, kind: g.type, vmid: g.vmid }),
  };
}

/** The Proxmox UI's own deep link to a guest. */
export function guestWebUrl(webUrl: string, g: { type: string; vmid: number }) {
  return `${webUrl}/#v1:0:=${g.type}%2F${g.vmid}:4:::::::`;
}

function configSummary(
  type: 'qemu' | 'lxc',
  c: GuestConfig,
): ProxmoxGuestDetail['config'] {
  const num = (v: unknown) =>
    v === undefined || v === '' ? undefined : Number(String(v).split(',')[0]);
  const flag = (v: unknown) =>
    v === undefined ? undefined : /^1/.test(String(v));
  const entries = Object.entries(c);
  const disks = entries
    .filter(([k]) =>
      (type === 'qemu'
        ? /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/
        : /^(rootfs|mp\d+)$/
      ).test(k),
    )
    .filter(([, v]) => !/media=cdrom/.test(String(v)))
    .map(([key, value]) => ({ key, value: String(value) }));
  const networks = entries
    .filter(([k]) => /^net\d+$/.test(k))
    .map(([key, value]) => ({ key, value: String(value) }));
  const smbios = /uuid=([0-9a-f-]{36})/i.exec(String(c.smbios1 ?? ''));
  return {
    cores: num(c.cores),
    sockets: num(c.sockets),
    memoryMiB: num(c.memory),
    ostype: c.ostype === undefined ? undefined : String(c.ostype),
    description:
      c.description === undefined ? undefined : String(c.description).trim(),
    onboot: flag(c.onboot),
    agent:
      type === 'qemu'
        ? /^(1|enabled=1)\b/.test(String(c.agent ?? ''))
        : undefined,
    disks,
    networks,
    unprivileged: type === 'lxc' ? flag(c.unprivileged) : undefined,
    smbiosUuid: smbios?.[1],
  };
}
