import type { Entity } from '@backstage/catalog-model';

/**
 * Optional, hand-set link from a virtual-machine entity to the Talos node
 * running in it: the node's address or hostname as the talosconfig names it.
 * Without it, the Talos backend finds the VM by SMBIOS UUID, MAC, IP (any
 * annotation carrying one) or, as a last resort, by the VM's name.
 *
 * @public
 */
export const ANNOTATION_TALOS_NODE = 'talos.homelab.dev/node';

/**
 * The catalog tag that marks a VM as a Talos node (Proxmox tags become entity
 * tags, and the household tags its Talos VMs `talos`).
 *
 * @public
 */
export const TALOS_TAG = 'talos';

/**
 * Whether an entity is a virtual machine that may run a Talos node, so the
 * Talos tab and card belong on its page.
 *
 * @public
 */
export function isTalosVmEntity(entity: Entity): boolean {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'resource') return false;
  if (
    (entity.spec as { type?: unknown } | undefined)?.type !== 'virtual-machine'
  )
    return false;
  return (
    Boolean(entity.metadata.annotations?.[ANNOTATION_TALOS_NODE]) ||
    (entity.metadata.tags ?? []).includes(TALOS_TAG)
  );
}
