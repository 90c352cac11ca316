import type {
  ProxmoxGuestType,
  ProxmoxPowerAction,
} from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxApiError } from '../api/errors';
import { ProxmoxClient, RrdTimeframe, TaskQuery } from '../api/ProxmoxClient';
import { GuestInterface, TaskStatus } from '../api/wire';
import {
  CacheGetOptions,
  Snapshot,
  SnapshotCache,
} from '../cache/SnapshotCache';
import { ProxmoxInstanceConfig } from '../config/readProxmoxConfig';

/** Interfaces of a guest, or why there are none (agent off, guest stopped, ...). */
/** @public */
export type GuestInterfacesResult =
  | { interfaces: GuestInterface[] }
  | { unavailable: string };

/** How long each kind of answer is reused, ms. */
const ttl = {
  version: 3600_000,
  nodeStatus: 10_000,
  rrd: 60_000,
  guestCurrent: 5_000,
  guestConfig: 60_000,
  interfaces: 60_000,
  storage: 60_000,
  backups: 300_000,
  jobs: 300_000,
  tasks: 10_000,
  taskStatus: 1_000,
  taskLog: 3600_000,
  permissions: 600_000,
};

/**
 * One Proxmox instance: its clients (the read token, and the power token if
 * configured) behind one coalescing cache. `/cluster/resources` is read once
 * per refresh for everyone; detail calls are made when someone looks, and
 * reused for a short while.
 *
 * @public
 */
export class ProxmoxInstance {
  readonly id: string;
  readonly webUrl: string;
  readonly backupWarningDays: number;
  private readonly finishedTasks = new Map<string, TaskStatus>();

  constructor(
    readonly config: ProxmoxInstanceConfig,
    private readonly reader: ProxmoxClient,
    private readonly operator: ProxmoxClient | undefined,
    private readonly cache: SnapshotCache,
  ) {
    this.id = config.id;
    this.webUrl = config.webUrl;
    this.backupWarningDays = config.backupWarningDays;
  }

  get powerActionsConfigured(): boolean {
    return !!this.operator;
  }

  /** The token used for reads (for messages; never the secret). */
  get readTokenId() {
    return this.reader.tokenId;
  }

  private key(...parts: (string | number | undefined)[]) {
    return [this.id, ...parts.map(p => p ?? '')].join(':');
  }

  /** Everything at once (nodes, guests, storage): the one call lists are built from. */
  resources(options: CacheGetOptions = {}) {
    return this.cache.get(
      this.key('resources'),
      this.config.cacheSeconds * 1000,
      () => this.reader.clusterResources(),
      options,
    );
  }

  version() {
    return this.cache.get(this.key('version'), ttl.version, () =>
      this.reader.version(),
    );
  }

  nodeStatus(node: string) {
    return this.cache.get(
      this.key('node', node, 'status'),
      ttl.nodeStatus,
      () => this.reader.nodeStatus(node),
    );
  }

  nodeRrd(node: string, timeframe: RrdTimeframe) {
    return this.cache.get(
      this.key('node', node, 'rrd', timeframe),
      ttl.rrd,
      () => this.reader.nodeRrd(node, timeframe),
    );
  }

  guestCurrent(node: string, type: ProxmoxGuestType, vmid: number) {
    return this.cache.get(
      this.key('guest', vmid, 'current', node),
      ttl.guestCurrent,
      () => this.reader.guestCurrent(node, type, vmid),
    );
  }

  guestConfig(node: string, type: ProxmoxGuestType, vmid: number) {
    return this.cache.get(
      this.key('guest', vmid, 'config', node),
      ttl.guestConfig,
      () => this.reader.guestConfig(node, type, vmid),
    );
  }

  guestRrd(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
    timeframe: Exclude<RrdTimeframe, 'decade'>,
  ) {
    return this.cache.get(
      this.key('guest', vmid, 'rrd', node, timeframe),
      ttl.rrd,
      () => this.reader.guestRrd(node, type, vmid, timeframe),
    );
  }

  /**
   * Addresses of a guest. "No agent configured", "not running" and missing
   * privileges are answers, not failures: they are cached like data so a
   * guest without an agent is not asked again on every view.
   */
  guestInterfaces(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
  ): Promise<Snapshot<GuestInterfacesResult>> {
    return this.cache.get(
      this.key('guest', vmid, 'interfaces', node),
      ttl.interfaces,
      async () => {
        try {
          return {
            interfaces: await this.reader.guestInterfaces(node, type, vmid),
          };
        } catch (error) {
          if (
            error instanceof ProxmoxApiError &&
            (error.kind === 'conflict' || error.kind === 'permission')
          ) {
            return { unavailable: error.message };
          }
          throw error;
        }
      },
    );
  }

  storageList(node: string, content?: string) {
    return this.cache.get(
      this.key('node', node, 'storage', content),
      ttl.storage,
      () => this.reader.storageList(node, content),
    );
  }

  backupContent(node: string, storage: string) {
    return this.cache.get(this.key('backups', node, storage), ttl.backups, () =>
      this.reader.storageContent(node, storage, { content: 'backup' }),
    );
  }

  backupJobs() {
    return this.cache.get(this.key('backup-jobs'), ttl.jobs, () =>
      this.reader.backupJobs(),
    );
  }

  notBackedUp() {
    return this.cache.get(this.key('not-backed-up'), ttl.jobs, () =>
      this.reader.notBackedUp(),
    );
  }

  nodeTasks(node: string, query: TaskQuery = {}) {
    return this.cache.get(
      this.key('tasks', node, JSON.stringify(query)),
      ttl.tasks,
      () => this.reader.nodeTasks(node, query),
    );
  }

  clusterTasks() {
    return this.cache.get(this.key('tasks', 'cluster'), ttl.tasks, () =>
      this.reader.clusterTasks(),
    );
  }

  /** A task's state; finished tasks never change, so they are kept. */
  async taskStatus(node: string, upid: string): Promise<TaskStatus> {
    const done = this.finishedTasks.get(upid);
    if (done) return done;
    const snap = await this.cache.get(
      this.key('task', upid),
      ttl.taskStatus,
      () => this.reader.taskStatus(node, upid),
      { fresh: false },
    );
    if (snap.error) throw snap.error;
    if (snap.value.status === 'stopped') {
      this.finishedTasks.set(upid, snap.value);
      if (this.finishedTasks.size > 2000) {
        this.finishedTasks.delete(this.finishedTasks.keys().next().value!);
      }
    }
    return snap.value;
  }

  taskLog(node: string, upid: string) {
    return this.cache.get(this.key('task-log', upid), ttl.taskLog, () =>
      this.reader.taskLog(node, upid),
    );
  }

  permissions(path: string) {
    return this.cache.get(this.key('permissions', path), ttl.permissions, () =>
      this.reader.permissions(path),
    );
  }

  /**
   * Starts a power action with the power token. Refused before any call when
   * no power token is configured. Afterwards the guest's cached state is
   * dropped so the next read shows the change.
   */
  async power(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
    action: ProxmoxPowerAction,
  ): Promise<string> {
    if (!this.operator) {
      throw new ProxmoxApiError(
        'permission',
        `Power actions are not configured for Proxmox instance "${this.id}": add proxmox.instances.${this.id}.powerActions with a token that has VM.PowerMgmt.`,
        { instance: this.id },
      );
    }
    try {
      return await this.operator.power(node, type, vmid, action);
    } finally {
      this.invalidateGuest(vmid);
    }
  }

  /** Drops cached state of a guest (and the lists it appears in). */
  invalidateGuest(vmid: number) {
    this.cache.invalidate(this.key('guest', vmid, 'current'));
    this.cache.invalidate(this.key('resources'));
    this.cache.invalidate(this.key('tasks'));
  }

  async close() {
    await Promise.all([this.reader.close(), this.operator?.close()]);
  }
}
