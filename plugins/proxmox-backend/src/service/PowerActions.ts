import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isTaskSuccess,
  parseUpid,
  ProxmoxGuestType,
  ProxmoxPowerAction,
  ProxmoxPowerActionRecord,
} from '@homelab-portal/plugin-proxmox-common';
import {
  ProxmoxApiError,
  ProxmoxService,
} from '@homelab-portal/plugin-proxmox-node';
import { publicMessage } from './dataState';
import { PowerActionStore } from '../database/PowerActionStore';

/** How long a power task is followed before it is written off. */
const GIVE_UP_MS = 15 * 60_000;

/**
 * How long an action may wait for Proxmox's first answer (its task id):
 * far longer than a power call takes, so an action another replica is
 * sending right now is not taken for one whose backend died.
 */
const ORPHAN_MS = 2 * 60_000;

const ORPHANED = 'the backend stopped before Proxmox answered';

/**
 * Power actions: asks Proxmox (with the power token), records the request
 * before anything else, and follows the task in the background until it ends,
 * so the record gets its result even when nobody keeps the page open.
 */
export class PowerActions {
  private readonly following = new Set<number>();
  private stopped = false;

  constructor(
    private readonly proxmox: ProxmoxService,
    private readonly store: PowerActionStore,
    private readonly logger: LoggerService,
    private readonly pollMs = 1000,
    private readonly orphanMs = ORPHAN_MS,
  ) {}

  async run(input: {
    instance: string;
    node: string;
    vmid: number;
    guestType: ProxmoxGuestType;
    action: ProxmoxPowerAction;
    actor: string;
  }): Promise<{ upid: string; record: ProxmoxPowerActionRecord }> {
    const instance = this.proxmox.getInstance(input.instance);
    const record = await this.store.begin(input);
    let upid: string;
    try {
      upid = await instance.power(
        input.node,
        input.guestType,
        input.vmid,
        input.action,
      );
    } catch (error) {
      await this.store.finish(record.id, 'failed', publicMessage(error));
      throw error;
    }
    const started = await this.store.started(record.id, upid);
    this.follow(started);
    return { upid, record: started };
  }

  /**
   * Follows every action left running: after a restart, and on a replica
   * starting while another one runs actions. An action still without a
   * task id is failed only once it is older than any power call could be.
   */
  async resume() {
    for (const r of await this.store.unfinished()) {
      if (!r.upid && this.orphaned(r)) {
        await this.store.finish(r.id, 'failed', ORPHANED);
      } else {
        this.follow(r);
      }
    }
  }

  private orphaned(record: ProxmoxPowerActionRecord) {
    return Date.now() - Date.parse(record.requestedAt) > this.orphanMs;
  }

  /** Brings a record up to date with its task (the status route calls this). */
  async update(
    record: ProxmoxPowerActionRecord,
  ): Promise<ProxmoxPowerActionRecord> {
    if (record.result !== 'running' || !record.upid) return record;
    const task = parseUpid(record.upid);
    if (!task) return record;
    const instance = this.proxmox.getInstance(record.instance);
    const status = await instance.taskStatus(task.node, record.upid);
    if (status.status !== 'stopped') return record;
    instance.invalidateGuest(record.vmid);
    return this.store.finish(
      record.id,
      isTaskSuccess(status.exitstatus) ? 'ok' : 'failed',
      status.exitstatus,
    );
  }

  stop() {
    this.stopped = true;
  }

  private follow(record: ProxmoxPowerActionRecord) {
    if (this.following.has(record.id)) return;
    this.following.add(record.id);
    const since = Date.now();
    const tick = async () => {
      if (this.stopped) return;
      try {
        let now = await this.update(await this.store.get(record.id));
        if (now.result === 'running' && !now.upid && this.orphaned(now)) {
          now = await this.store.finish(now.id, 'failed', ORPHANED);
        }
        if (now.result !== 'running') {
          this.following.delete(record.id);
          this.logger.info(
            `Power action ${now.action} of guest ${now.vmid} (${
              now.instance
            }) by ${now.actor}: ${now.result} (${now.message ?? ''})`,
            { upid: now.upid },
          );
          return;
        }
      } catch (error) {
        // A blip while following is not the action failing; try again.
        if (error instanceof ProxmoxApiError && error.kind === 'not-found') {
          await this.store.finish(record.id, 'failed', error.publicMessage);
          this.following.delete(record.id);
          return;
        }
      }
      if (Date.now() - since > GIVE_UP_MS) {
        await this.store.finish(
          record.id,
          'failed',
          'no result from Proxmox within 15 minutes',
        );
        this.following.delete(record.id);
        return;
      }
      setTimeout(tick, this.pollMs).unref?.();
    };
    setTimeout(tick, this.pollMs).unref?.();
  }
}
