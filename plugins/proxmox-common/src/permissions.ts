import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Start, shut down, stop or reboot a Proxmox guest (QEMU VM or LXC
 * container). Checked by the Proxmox backend before it forwards a power
 * action, and by the frontend to decide whether to offer the buttons.
 *
 * @public
 */
export const proxmoxGuestPowerPermission = createPermission({
  name: 'proxmox.guest.power',
  attributes: { action: 'update' },
});

/**
 * Every permission of the Proxmox plugins.
 *
 * @public
 */
export const proxmoxPermissions = [proxmoxGuestPowerPermission];
