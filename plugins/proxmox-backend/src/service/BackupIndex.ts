import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ProxmoxBackup,
  ProxmoxBackupSource,
  ProxmoxUpstreamError,
} from '@homelab-portal/plugin-proxmox-common';
import {
  BackupJob,
  ClusterResources,
  ProxmoxInstance,
  Snapshot,
  SnapshotCache,
} from '@homelab-portal/plugin-proxmox-node';
import { upstreamError } from './dataState';
import { parseVzdumpLog } from './vzdumpLog';

export type BackupIndexValue = {
  source: ProxmoxBackupSource;
  hint?: string;
  /** Newest first. */
  byVmid: Map<number, ProxmoxBackup[]>;
  notBackedUp: Set<number>;
  jobs: BackupJob[];
  errors: { what: string; error: ProxmoxUpstreamError }[];
};

/** Runs of the daily backup job looked at when reading task history. */
const TASKS_PER_NODE = 14;

/**
 * Backups of every guest of an instance, read once and reused for a few
 * minutes. Where the token may list backup files they come from the backup
 * storages; where it may not (Proxmox then silently answers with an empty
 * list), from the backup task logs, which a read-only token can read.
 */
export class BackupIndex {
  private readonly cache = new SnapshotCache();

  constructor(
    private readonly logger: LoggerService,
    private readonly ttlMs = 300_000,
  ) {}

  get(instance: ProxmoxInstance): Promise<Snapshot<BackupIndexValue>> {
    return this.cache.get(instance.id, this.ttlMs, () => this.build(instance));
  }

  /** The newest successful backup of each guest. */
  static lastBackups(value: BackupIndexValue): Map<number, number> {
    const out = new Map<number, number>();
    for (const [vmid, list] of value.byVmid) {
      const ok = list.find(b => b.ok);
      if (ok) out.set(vmid, ok.time);
    }
    return out;
  }

  private async build(instance: ProxmoxInstance): Promise<BackupIndexValue> {
    const resources = (await instance.resources()).value;
    const errors: BackupIndexValue['errors'] = [];
    const targets = backupTargets(resources);
    const listable = await this.tokenMayListBackups(instance, [
      ...new Set(targets.map(t => t.storage)),
    ]);
    const byVmid = new Map<number, ProxmoxBackup[]>();
    const add = (vmid: number, b: ProxmoxBackup) => {
      byVmid.set(vmid, [...(byVmid.get(vmid) ?? []), b]);
    };
    let source: ProxmoxBackupSource = 'storage';
    let hint: string | undefined;
    if (listable !== false) {
      for (const t of targets) {
        try {
          const items = (await instance.backupContent(t.node, t.storage)).value;
          for (const item of items) {
            if (item.vmid === undefined) continue;
            add(item.vmid, {
              time: item.ctime ?? 0,
              storage: t.storage,
              volid: item.volid,
              size: item.size,
              format: item.format,
              notes: item.notes,
              protected: item.protected,
              ok: true,
            });
          }
        } catch (error) {
          errors.push({
            what: `backups on ${t.storage} (${t.node})`,
            error: upstreamError(error),
          });
        }
      }
    }
    if (listable === false || (listable === undefined && byVmid.size === 0)) {
      source = 'task-history';
      byVmid.clear();
      hint = `The API token ${instance.readTokenId} may not list backup files: without Datastore.Allocate (or Datastore.AllocateSpace plus VM.Backup) Proxmox answers with an empty list, not an error. Backups shown here come from the backup task logs instead. To list the files themselves, grant e.g. PVEDatastoreAdmin on the backup storage (it also allows creating and deleting backups).`;
      const nodes = resources.nodes
        .filter(n => n.status === 'online')
        .map(n => n.node);
      await Promise.all(
        nodes.map(async node => {
          try {
            const tasks = (
              await instance.nodeTasks(node, {
                typefilter: 'vzdump',
                limit: TASKS_PER_NODE,
              })
            ).value;
            const finished = tasks.filter(t => t.endtime !== undefined);
            // A few logs at a time: finished logs never change and are kept.
            for (let i = 0; i < finished.length; i += 4) {
              const batch = finished.slice(i, i + 4);
              const logs = await Promise.all(
                batch.map(t => instance.taskLog(node, t.upid)),
              );
              batch.forEach((task, j) => {
                for (const r of parseVzdumpLog(
                  logs[j].value.map(l => l.t),
                  task.status,
                )) {
                  add(r.vmid, {
                    time: task.starttime,
                    ok: r.ok,
                    error: r.error,
                    upid: task.upid,
                  });
                }
              });
            }
          } catch (error) {
            errors.push({
              what: `backup tasks of node ${node}`,
              error: upstreamError(error),
            });
          }
        }),
      );
    }
    for (const list of byVmid.values()) list.sort((a, b) => b.time - a.time);

    let notBackedUp = new Set<number>();
    try {
      notBackedUp = new Set(
        (await instance.notBackedUp()).value.map(g => g.vmid),
      );
    } catch (error) {
      errors.push({
        what: 'guests in no backup job',
        error: upstreamError(error),
      });
    }
    let jobs: BackupJob[] = [];
    try {
      jobs = (await instance.backupJobs()).value;
    } catch (error) {
      errors.push({ what: 'backup jobs', error: upstreamError(error) });
    }
    this.logger.debug(
      `Backup index of ${instance.id}: ${byVmid.size} guests with backups (from ${source})`,
    );
    return { source, hint, byVmid, notBackedUp, jobs, errors };
  }

  /**
   * Whether the token may see backup files (pve-storage check_volume_access):
   * true, false, or undefined when its privileges cannot be read.
   */
  private async tokenMayListBackups(
    instance: ProxmoxInstance,
    storages: string[],
  ): Promise<boolean | undefined> {
    try {
      const vms = (await instance.permissions('/vms')).value['/vms'] ?? {};
      for (const s of storages) {
        const p =
          (await instance.permissions(`/storage/${s}`)).value[
            `/storage/${s}`
          ] ?? {};
        const ok =
          !!p['Datastore.Allocate'] ||
          (!!p['Datastore.AllocateSpace'] && !!vms['VM.Backup']);
        if (!ok) return false;
      }
      return true;
    } catch {
      return undefined;
    }
  }
}

/** Storages holding backups: a shared one once, a local one per online node. */
export function backupTargets(
  resources: ClusterResources,
): { node: string; storage: string }[] {
  const online = new Set(
    resources.nodes.filter(n => n.status === 'online').map(n => n.node),
  );
  const seenShared = new Set<string>();
  const out: { node: string; storage: string }[] = [];
  for (const s of resources.storage) {
    if (!s.content.includes('backup') || !online.has(s.node)) continue;
    if (s.shared) {
      if (seenShared.has(s.storage)) continue;
      seenShared.add(s.storage);
    }
    out.push({ node: s.node, storage: s.storage });
  }
  return out;
}

/** The backup jobs that include a guest. */
export function jobsFor(
  jobs: BackupJob[],
  vmid: number,
  pool?: string,
): BackupJob[] {
  const list = (v: unknown) =>
    String(v ?? '')
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
  return jobs.filter(j => {
    if (j.all) return !list(j.exclude).includes(vmid);
    if (list(j.vmid).includes(vmid)) return true;
    return !!pool && j.pool === pool;
  });
}
