import type { GuestInterface } from '@homelab-portal/plugin-proxmox-node';

/** Interfaces whose addresses are not the guest's own (loopback, bridges, CNI). */
const internalInterface =
  /^(lo|docker\d*|br-[0-9a-f]+|veth\w*|cni\d*|flannel\.\d+|cilium_\w+|lxc\w+|kube-ipvs\d+|hassio|virbr\d+|tailscale\d+|wg\d+|vxlan\.\w+)$/;

/**
 * The addresses worth showing for a guest: skip loopback, link-local and
 * container-network interfaces; IPv4 first.
 */
export function primaryAddresses(interfaces: GuestInterface[]): string[] {
  const out: string[] = [];
  for (const i of interfaces) {
    if (internalInterface.test(i.name)) continue;
    for (const a of i.addresses) {
      if (/^127\.|^::1$|^fe80:|^169\.254\./i.test(a.address)) continue;
      out.push(a.address);
    }
  }
  return out.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')));
}
