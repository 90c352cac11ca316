import { ProxmoxNodeDetail } from '@homelab-portal/plugin-proxmox-common';
import { NodeStatus } from '@homelab-portal/plugin-proxmox-node';

/** A node's `status`, as the node page shows it. */
export function nodeStatusSummary(
  s: NodeStatus,
): NonNullable<ProxmoxNodeDetail['status']> {
  return {
    pveversion: s.pveversion,
    kversion: s.kversion,
    cpuModel: s.cpuinfo?.model,
    cpus: s.cpuinfo?.cpus,
    loadavg: s.loadavg,
    memory: s.memory && { total: s.memory.total, used: s.memory.used },
    rootfs: s.rootfs && { total: s.rootfs.total, used: s.rootfs.used },
    swap: s.swap && { total: s.swap.total, used: s.swap.used },
    bootMode: s['boot-info']?.mode,
  };
}
