import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read what the Proxmox plugins show: nodes, guests and their config,
 * notes, addresses, backups, tasks and history. Every read route of the
 * Proxmox backend checks it, so a policy can keep Proxmox to the people it
 * is for.
 *
 * @public
 */
export const proxmoxReadPermission = createPermission({
  name: 'proxmox.read',
  attributes: { action: 'read' },
});

/**
 * Start, shut down, stop or reboot a Proxmox guest (QEMU VM or LXC
 * container). A resource permission on the guest's catalog entity
 * (`resource:default/proxmox-<instance>-vm-<vmid>`, see proxmoxEntityRef),
 * so a policy can answer with catalog conditions, for example no power
 * actions on guests tagged `router`. Checked by the Proxmox backend before
 * it forwards a power action, and by the frontend to decide whether to
 * offer the buttons.
 *
 * @public
 */
export const proxmoxGuestPowerPermission = createPermission({
  name: 'proxmox.guest.power',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission of the Proxmox plugins.
 *
 * @public
 */
export const proxmoxPermissions = [
  proxmoxReadPermission,
  proxmoxGuestPowerPermission,
];
