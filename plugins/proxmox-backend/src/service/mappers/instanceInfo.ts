import { ProxmoxInstanceInfo } from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxInstance } from '@homelab-portal/plugin-proxmox-node';

/** What the frontend may know of a configured instance: no URL secrets, no tokens. */
export function instanceInfo(i: ProxmoxInstance): ProxmoxInstanceInfo {
  return {
    id: i.id,
    webUrl: i.webUrl,
    powerActionsConfigured: i.powerActionsConfigured,
    backupWarningDays: i.backupWarningDays,
  };
}
