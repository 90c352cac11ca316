import { Guest } from '../../scenario/schema';
import {
  duration,
  localParts,
  logStamp,
  vzdumpStamp,
  zonedEpoch,
} from './clock';
import { ProxmoxModel, SimTask } from './ProxmoxModel';

const GiB = 1024 ** 3;
const DAY = 86400_000;
/** Task history the sim keeps (real nodes keep a bounded task index). */
const TASK_DAYS = 14;
const KEEP_DAILY = 7;

export type BackupJob = {
  id: string;
  storage: string;
  vmids: number[];
};

export type BackupVolume = {
  volid: string;
  content: 'backup';
  format: string;
  ctime: number;
  size: number;
  subtype: 'qemu' | 'lxc';
  vmid: number;
  notes: string;
  protected?: 1;
};

type GuestRun = { guest: Guest; start: number; end: number; ok: boolean };

/**
 * The household's backup schedule, as vzdump would have produced it: one
 * daily job at 02:00 local time per backup storage, holding every guest that
 * names that storage. `lastBackupDaysAgo` in the scenario says which run was
 * the last good one for a guest (runs are counted back from the last one
 * before the sim started; runs after that succeed). Backup files follow
 * keep-daily=7; tasks and their logs say what happened to every guest.
 */
export class BackupSchedule {
  readonly jobs: BackupJob[];
  private readonly tz: string;
  private readonly runCache = new Map<string, GuestRun[]>();

  constructor(private readonly model: ProxmoxModel) {
    this.tz = model.ctx.scenario.household.timezone;
    const byStorage = new Map<string, number[]>();
    for (const g of model.proxmox.guests) {
      if (!g.backupStorage || g.template) continue;
      byStorage.set(g.backupStorage, [
        ...(byStorage.get(g.backupStorage) ?? []),
        g.vmid,
      ]);
    }
    this.jobs = [...byStorage.entries()].map(([storage, vmids]) => ({
      id: `backup-${hash8(model.ctx.unit(`job:${storage}`))}-${hash8(
        model.ctx.unit(`job2:${storage}`),
      ).slice(0, 4)}`,
      storage,
      vmids: vmids.sort((a, b) => a - b),
    }));
  }

  /** Start of the daily run on the local day `offset` days from `ms`'s day. */
  private runOnDay(ms: number, offsetDays: number): number {
    const p = localParts(ms + offsetDays * DAY, this.tz);
    return zonedEpoch(p.year, p.month, p.day, 2, 0, 0, this.tz);
  }

  /** The latest run at or before `ms`. */
  private latestRun(ms: number): number {
    const today = this.runOnDay(ms, 0);
    return today <= ms ? today : this.runOnDay(ms, -1);
  }

  /** Run start times, newest first, from now back `days` days. */
  runs(days: number): number[] {
    const out: number[] = [];
    let run = this.latestRun(this.model.now());
    const oldest = this.model.now() - days * DAY;
    while (run >= oldest) {
      out.push(run);
      run = this.latestRun(run - 1000);
    }
    return out;
  }

  nextRun(): number {
    const now = this.model.now();
    const today = this.runOnDay(now, 0);
    return today > now ? today : this.runOnDay(now, 1);
  }

  /** Which run this is, counted back from the last run before the sim started. */
  private runIndex(run: number): number {
    const anchor = this.latestRun(this.model.ctx.startedAt);
    return Math.round((anchor - run) / DAY);
  }

  /** Whether the guest's backup in this run succeeded. */
  private succeeded(g: Guest, run: number): boolean {
    const idx = this.runIndex(run);
    if (idx < 0) return true;
    if (g.lastBackupDaysAgo === undefined) return false;
    return idx >= Math.max(0, Math.round(g.lastBackupDaysAgo) - 1);
  }

  jobOf(vmid: number): BackupJob | undefined {
    return this.jobs.find(j => j.vmids.includes(vmid));
  }

  /** The guests of one node in one run, one after another. */
  private nodeRun(node: string, run: number): GuestRun[] {
    const key = `${node}:${run}`;
    const cached = this.runCache.get(key);
    if (cached) return cached;
    const guests = this.jobs
      .flatMap(j => j.vmids)
      .map(id => this.model.guests.get(id)!.def)
      .filter(g => g.node === node)
      .sort((a, b) => a.vmid - b.vmid);
    let t = run + 2000;
    const out = guests.map(guest => {
      const ok = this.succeeded(guest, run);
      const secs = ok
        ? 35 +
          Math.floor(this.model.ctx.unit(`vzdump:${guest.vmid}:${run}`) * 110)
        : 4;
      const r = { guest, start: t, end: t + secs * 1000, ok };
      t = r.end + 1000;
      return r;
    });
    if (this.runCache.size > 5000) this.runCache.clear();
    this.runCache.set(key, out);
    return out;
  }

  private storageOf(storage: string, node: string) {
    return this.model.node(node)?.storage.find(s => s.id === storage);
  }

  private volume(
    r: GuestRun,
    storage: string,
    protectedFlag: boolean,
  ): BackupVolume {
    const g = r.guest;
    const ext = g.type === 'qemu' ? 'vma.zst' : 'tar.zst';
    const size = Math.round(
      g.diskGiB *
        GiB *
        (0.18 + 0.25 * this.model.ctx.unit(`bsize:${g.vmid}`)) *
        (1 + 0.01 * this.model.ctx.unit(`bsize:${g.vmid}:${r.start}`)),
    );
    return {
      volid: `${storage}:backup/vzdump-${g.type}-${g.vmid}-${vzdumpStamp(
        r.start,
        this.tz,
      )}.${ext}`,
      content: 'backup',
      format: ext,
      ctime: Math.floor(r.start / 1000),
      size,
      subtype: g.type,
      vmid: g.vmid,
      notes: g.name,
      ...(protectedFlag ? { protected: 1 as const } : {}),
    };
  }

  /** Backup files on a storage as seen from a node (shared storage: every node). */
  volumes(storage: string, node: string, vmid?: number): BackupVolume[] {
    const st = this.storageOf(storage, node);
    if (!st || !st.content.includes('backup')) return [];
    const job = this.jobs.find(j => j.storage === storage);
    if (!job) return [];
    const out: BackupVolume[] = [];
    for (const id of job.vmids) {
      if (vmid !== undefined && id !== vmid) continue;
      const g = this.model.guests.get(id)!.def;
      if (!st.shared && g.node !== node) continue;
      const depth = (g.lastBackupDaysAgo ?? 0) + KEEP_DAILY + 2;
      const kept: GuestRun[] = [];
      for (const run of this.runs(Math.max(depth, TASK_DAYS))) {
        const r = this.nodeRun(g.node, run).find(x => x.guest.vmid === id);
        if (r?.ok) kept.push(r);
        if (kept.length === KEEP_DAILY) break;
      }
      const protect = this.model.ctx.unit(`protect:${id}`) < 0.25;
      kept.forEach((r, i) =>
        out.push(this.volume(r, storage, protect && i === kept.length - 1)),
      );
    }
    // Real listings come in directory order; sort by volid as `ls` would.
    return out.sort((a, b) => a.volid.localeCompare(b.volid));
  }

  /** vzdump and apt-update tasks of a node over the retained history. */
  historyTasks(node: string): SimTask[] {
    const out: SimTask[] = [];
    const now = this.model.now();
    for (const run of this.runs(TASK_DAYS)) {
      const guests = this.nodeRun(node, run);
      if (guests.length) {
        const end = guests[guests.length - 1].end + 2000;
        const ok = guests.every(g => g.ok);
        const ids = this.fixedUpid(node, 'vzdump', '', 'root@pam', run);
        out.push({
          ...ids,
          node,
          type: 'vzdump',
          id: '',
          user: 'root@pam',
          endsAt: end,
          exitstatus: ok ? 'OK' : 'job errors',
          settled: end <= now,
          log: () => this.vzdumpLog(node, guests, ok),
        });
      }
      const apt =
        run +
        3 * 3600_000 +
        Math.floor(this.model.ctx.unit(`apt:${node}:${run}`) * 3600_000);
      if (apt <= now) {
        const ids = this.fixedUpid(node, 'aptupdate', '', 'root@pam', apt);
        out.push({
          ...ids,
          node,
          type: 'aptupdate',
          id: '',
          user: 'root@pam',
          endsAt: apt + 9000,
          exitstatus: 'OK',
          settled: apt + 9000 <= now,
          log: () => [
            'starting apt-get update',
            'Hit:1 http://deb.debian.org/debian trixie InRelease',
            'Hit:2 http://download.proxmox.com/debian/pve trixie InRelease',
            'Reading package lists...',
            'TASK OK',
          ],
        });
      }
    }
    return out.filter(t => t.starttime * 1000 <= now);
  }

  /** UPIDs of history tasks are a function of node and time, so they stay put. */
  private fixedUpid(
    node: string,
    type: string,
    id: string,
    user: string,
    at: number,
  ) {
    const boot = this.model.nodeBoot.get(node)!;
    const pid =
      0x200000 +
      Math.floor(this.model.ctx.unit(`pid:${node}:${at}`) * 0x1fffff);
    const pstart = Math.floor((at - boot) / 10);
    const starttime = Math.floor(at / 1000);
    const h = (n: number, w = 8) =>
      n.toString(16).toUpperCase().padStart(w, '0');
    return {
      upid: `UPID:${node}:${h(pid)}:${h(pstart)}:${h(
        starttime,
      )}:${type}:${id}:${user}:`,
      pid,
      pstart,
      starttime,
    };
  }

  private vzdumpLog(node: string, guests: GuestRun[], ok: boolean): string[] {
    const job = this.jobs.find(j =>
      guests.some(g => j.vmids.includes(g.guest.vmid)),
    )!;
    const st = this.storageOf(job.storage, node);
    const dumpDir =
      st?.type === 'dir' ? '/var/lib/vz/dump' : `/mnt/pve/${job.storage}/dump`;
    const lines = [
      `INFO: starting new backup job: vzdump ${job.vmids.join(
        ' ',
      )} --mode snapshot --notes-template '{{guestname}}' --compress zstd --storage ${
        job.storage
      } --prune-backups 'keep-daily=7,keep-weekly=4' --notification-mode notification-system --node ${node} --fleecing 0`,
    ];
    for (const r of guests) {
      const g = r.guest;
      lines.push(`INFO: Starting Backup of VM ${g.vmid} (${g.type})`);
      lines.push(`INFO: Backup started at ${logStamp(r.start, this.tz)}`);
      lines.push(
        `INFO: status = ${this.model.guests.get(g.vmid)!.at(r.start).status}`,
      );
      if (!r.ok) {
        lines.push(
          `ERROR: Backup of VM ${
            g.vmid
          } failed - unable to open file '${dumpDir}/vzdump-${g.type}-${
            g.vmid
          }-${vzdumpStamp(r.start, this.tz)}.${
            g.type === 'qemu' ? 'vma' : 'tar'
          }.dat' - Stale file handle`,
        );
        continue;
      }
      lines.push(
        g.type === 'qemu'
          ? `INFO: VM Name: ${g.name}`
          : `INFO: CT Name: ${g.name}`,
      );
      lines.push(
        g.type === 'qemu'
          ? `INFO: include disk 'scsi0' 'local-lvm:vm-${g.vmid}-disk-0' ${g.diskGiB}G`
          : `INFO: including mount point rootfs ('/') in backup`,
      );
      lines.push('INFO: backup mode: snapshot');
      lines.push('INFO: ionice priority: 7');
      const vol = this.volume(r, job.storage, false);
      lines.push(
        `INFO: creating vzdump archive '${dumpDir}/${vol.volid
          .split('/')
          .pop()}'`,
      );
      lines.push(`INFO: archive file size: ${(vol.size / GiB).toFixed(2)}GB`);
      lines.push(
        `INFO: Finished Backup of VM ${g.vmid} (${duration(
          (r.end - r.start) / 1000,
        )})`,
      );
      lines.push(`INFO: Backup finished at ${logStamp(r.end, this.tz)}`);
    }
    lines.push(
      ok
        ? 'INFO: Backup job finished successfully'
        : 'INFO: Backup job finished with errors',
    );
    lines.push(ok ? 'TASK OK' : 'TASK ERROR: job errors');
    return lines;
  }
}

function hash8(u: number): string {
  return Math.floor(u * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
}
