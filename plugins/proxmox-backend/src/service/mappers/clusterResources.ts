import {
  proxmoxEntityRef,
  ProxmoxGuestSummary,
  ProxmoxNodeSummary,
  ProxmoxOverview,
  ProxmoxStorageSummary,
} from '@homelab-portal/plugin-proxmox-common';
import {
  GuestResource,
  NodeResource,
  StorageResource,
} from '@homelab-portal/plugin-proxmox-node';

/** A node as `/cluster/resources` lists it, with its catalog entity. */
export function nodeSummary(
  instance: string,
  n: NodeResource,
): ProxmoxNodeSummary {
  return {
    node: n.node,
    status: n.status,
    uptime: n.uptime,
    cpu: n.cpu,
    maxcpu: n.maxcpu,
    mem: n.mem,
    maxmem: n.maxmem,
    disk: n.disk,
    maxdisk: n.maxdisk,
    entityRef: proxmoxEntityRef({ instance, kind: 'node', node: n.node }),
  };
}

/** A storage as `/cluster/resources` lists it, with its catalog entity. */
export function storageSummary(
  instance: string,
  s: StorageResource,
): ProxmoxStorageSummary {
  return {
    storage: s.storage,
    node: s.node,
    plugintype: s.plugintype,
    status: s.status,
    shared: !!s.shared,
    content: s.content,
    disk: s.disk,
    maxdisk: s.maxdisk,
    entityRef: proxmoxEntityRef({
      instance,
      kind: 'storage',
      node: s.node,
      storage: s.storage,
    }),
  };
}

/**
 * A guest as `/cluster/resources` lists it. Addresses come from elsewhere
 * (guest agent, LXC interfaces), so they start empty.
 */
export function guestSummary(
  instance: string,
  g: GuestResource,
): ProxmoxGuestSummary {
  return {
    vmid: g.vmid,
    type: g.type,
    name: g.name ?? `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid}`,
    node: g.node,
    status: g.status,
    template: !!g.template,
    uptime: g.uptime,
    cpu: g.cpu,
    maxcpu: g.maxcpu,
    mem: g.mem,
    maxmem: g.maxmem,
    disk: g.disk,
    maxdisk: g.maxdisk,
    tags: g.tags,
    lock: g.lock,
    hastate: g.hastate,
    ips: [],
    entityRef: proxmoxEntityRef({ instance, kind: g.type, vmid: g.vmid }),
  };
}

/** Running and total VMs and containers; templates are counted apart. */
export function guestCounts(
  guests: GuestResource[],
): ProxmoxOverview['counts'] {
  const real = guests.filter(g => !g.template);
  const count = (type: GuestResource['type']) => {
    const ofType = real.filter(g => g.type === type);
    return {
      running: ofType.filter(g => g.status === 'running').length,
      total: ofType.length,
    };
  };
  return {
    vms: count('qemu'),
    containers: count('lxc'),
    templates: guests.length - real.length,
  };
}
