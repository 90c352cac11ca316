import { NotFoundError } from '@backstage/errors';
import {
  ProxmoxBackupsResponse,
  ProxmoxGuestDetail,
  ProxmoxGuestsResponse,
  ProxmoxInstanceInfo,
  ProxmoxNodeDetail,
  ProxmoxOverview,
  ProxmoxTasksResponse,
  ProxmoxTimeframe,
  ProxmoxUpstreamError,
} from '@homelab-portal/plugin-proxmox-common';
import {
  ClusterResources,
  GuestResource,
  ProxmoxInstance,
  ProxmoxService,
} from '@homelab-portal/plugin-proxmox-node';
import { AddressIndex } from './AddressIndex';
import { primaryAddresses } from './addresses';
import { BackupIndex, jobsFor } from './BackupIndex';
import { dataState, partial } from './dataState';
import { backupJobSummary } from './mappers/backupJob';
import {
  guestCounts,
  guestSummary,
  nodeSummary,
  storageSummary,
} from './mappers/clusterResources';
import { guestConfigSummary, guestWebUrl } from './mappers/guestConfig';
import { guestCurrentSummary } from './mappers/guestCurrent';
import { instanceInfo } from './mappers/instanceInfo';
import { nodeStatusSummary } from './mappers/nodeStatus';
import { taskSummary } from './mappers/task';

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
    return this.proxmox.listInstances().map(instanceInfo);
  }

  async overview(id: string): Promise<ProxmoxOverview> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.resources();
    const r = snap.value;
    const version = await instance.version().then(
      v => v.value.version,
      () => undefined,
    );
    return {
      instance: instanceInfo(instance),
      version,
      nodes: r.nodes.map(n => nodeSummary(id, n)),
      storage: r.storage.map(s => storageSummary(id, s)),
      counts: guestCounts(r.guests),
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
    return {
      guest: summary,
      current: current && guestCurrentSummary(current.value),
      config: config && guestConfigSummary(g.type, config.value),
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
    return {
      node: nodeSummary(id, n),
      status: status && nodeStatusSummary(status.value),
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
      jobs: jobsFor(b.jobs, vmid, guest.pool).map(backupJobSummary),
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
    return { tasks: snap.value.map(taskSummary), state: dataState(snap) };
  }

  async recentTasks(id: string, limit: number): Promise<ProxmoxTasksResponse> {
    const instance = this.proxmox.getInstance(id);
    const snap = await instance.clusterTasks();
    return {
      tasks: [...snap.value]
        .sort((a, b) => b.starttime - a.starttime)
        .slice(0, limit)
        .map(taskSummary),
      state: dataState(snap),
    };
  }
}
