import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  ProxmoxGuestType,
  ProxmoxPowerAction,
  ProxmoxPowerActionRecord,
} from '@homelab-portal/plugin-proxmox-common';
import { Knex } from 'knex';

const TABLE = 'proxmox_power_actions';

type Row = {
  id: number | string;
  instance: string;
  node: string;
  vmid: number;
  guest_type: string;
  action: string;
  actor: string;
  requested_at: Date | string | number;
  upid: string | null;
  result: string;
  message: string | null;
  finished_at: Date | string | number | null;
};

/** SQLite hands back numbers or strings for dates, PostgreSQL Date objects. */
function iso(v: Date | string | number): string {
  return new Date(v).toISOString();
}

function toRecord(row: Row): ProxmoxPowerActionRecord {
  return {
    id: Number(row.id),
    instance: row.instance,
    node: row.node,
    vmid: Number(row.vmid),
    guestType: row.guest_type as ProxmoxGuestType,
    action: row.action as ProxmoxPowerAction,
    actor: row.actor,
    requestedAt: iso(row.requested_at),
    upid: row.upid ?? undefined,
    result: row.result as ProxmoxPowerActionRecord['result'],
    message: row.message ?? undefined,
    finishedAt: row.finished_at ? iso(row.finished_at) : undefined,
  };
}

/**
 * The power-action log in the plugin's own database (SQLite or PostgreSQL,
 * through the database service; knex migrations in `migrations/`).
 */
export class PowerActionStore {
  static async create(database: DatabaseService): Promise<PowerActionStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@homelab-portal/plugin-proxmox-backend',
          'migrations',
        ),
      });
    }
    return new PowerActionStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async begin(input: {
    instance: string;
    node: string;
    vmid: number;
    guestType: ProxmoxGuestType;
    action: ProxmoxPowerAction;
    actor: string;
    requestedAt?: Date;
  }): Promise<ProxmoxPowerActionRecord> {
    const [row] = await this.knex<Row>(TABLE)
      .insert({
        instance: input.instance,
        node: input.node,
        vmid: input.vmid,
        guest_type: input.guestType,
        action: input.action,
        actor: input.actor,
        requested_at: input.requestedAt ?? new Date(),
        upid: null,
        result: 'running',
        message: null,
        finished_at: null,
      } as Partial<Row>)
      .returning('*');
    return toRecord(row as Row);
  }

  async started(id: number, upid: string): Promise<ProxmoxPowerActionRecord> {
    await this.knex(TABLE).where({ id }).update({ upid });
    return this.get(id);
  }

  /** Marks an action finished; a finished action is never changed again. */
  async finish(
    id: number,
    result: 'ok' | 'failed',
    message: string | undefined,
    finishedAt = new Date(),
  ): Promise<ProxmoxPowerActionRecord> {
    await this.knex(TABLE)
      .where({ id, result: 'running' })
      .update({ result, message: message ?? null, finished_at: finishedAt });
    return this.get(id);
  }

  async get(id: number): Promise<ProxmoxPowerActionRecord> {
    const row = await this.knex<Row>(TABLE).where({ id }).first();
    if (!row) throw new Error(`no power action ${id}`);
    return toRecord(row);
  }

  async byUpid(upid: string): Promise<ProxmoxPowerActionRecord | undefined> {
    const row = await this.knex<Row>(TABLE).where({ upid }).first();
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async forGuest(
    instance: string,
    vmid: number,
    limit = 50,
  ): Promise<ProxmoxPowerActionRecord[]> {
    const rows = await this.knex<Row>(TABLE)
      .where({ instance, vmid })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toRecord);
  }

  /** Deletes finished actions older than `before`; returns how many. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    return this.knex(TABLE)
      .whereNot({ result: 'running' })
      .where('finished_at', '<', before)
      .delete();
  }

  /** Actions still running (to follow again after a restart). */
  async unfinished(): Promise<ProxmoxPowerActionRecord[]> {
    const rows = await this.knex<Row>(TABLE)
      .where({ result: 'running' })
      .orderBy('id');
    return rows.map(toRecord);
  }
}
