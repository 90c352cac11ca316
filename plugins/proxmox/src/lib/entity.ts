import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PROXMOX_INSTANCE,
  ANNOTATION_PROXMOX_NODE,
  ANNOTATION_PROXMOX_TYPE,
  ANNOTATION_PROXMOX_VMID,
} from '@homelab-portal/plugin-proxmox-common';

/** What a catalog entity is in Proxmox, from the provider's annotations. */
export type ProxmoxTarget =
  | { kind: 'node'; instance: string; node: string }
  | {
      kind: 'guest';
      instance: string;
      node: string;
      vmid: number;
      type: 'qemu' | 'lxc';
    };

export function proxmoxTargetOf(entity: Entity): ProxmoxTarget | undefined {
  const a = entity.metadata.annotations ?? {};
  const instance = a[ANNOTATION_PROXMOX_INSTANCE];
  const type = a[ANNOTATION_PROXMOX_TYPE];
  const node = a[ANNOTATION_PROXMOX_NODE];
  if (!instance || !node) return undefined;
  if (type === 'node') return { kind: 'node', instance, node };
  if (type === 'qemu' || type === 'lxc') {
    const vmid = Number(a[ANNOTATION_PROXMOX_VMID]);
    if (!Number.isInteger(vmid)) return undefined;
    return { kind: 'guest', instance, node, vmid, type };
  }
  return undefined;
}

/**
 * Whether an entity is a Proxmox node, VM or container (the entities that
 * get the Proxmox tab).
 *
 * @public
 */
export function isProxmoxEntity(entity: Entity): boolean {
  return proxmoxTargetOf(entity) !== undefined;
}
