import { ProxmoxBackupsResponse } from '@homelab-portal/plugin-proxmox-common';
import { BackupJob } from '@homelab-portal/plugin-proxmox-node';

/** A vzdump job (`/cluster/backup`); jobs are enabled unless they say not. */
export function backupJobSummary(
  j: BackupJob,
): ProxmoxBackupsResponse['jobs'][number] {
  return {
    id: j.id,
    schedule: j.schedule,
    storage: j.storage,
    enabled: j.enabled !== false,
    nextRun: j['next-run'],
  };
}
