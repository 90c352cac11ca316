import { ProxmoxGuestDetail } from '@homelab-portal/plugin-proxmox-common';
import { GuestCurrent } from '@homelab-portal/plugin-proxmox-node';

/** A guest's `status/current`, as the guest page shows it. */
export function guestCurrentSummary(
  c: GuestCurrent,
): NonNullable<ProxmoxGuestDetail['current']> {
  return {
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
  };
}
