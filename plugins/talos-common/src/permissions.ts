import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the live state of a Talos cluster (nodes, services, etcd, health,
 * upgrade advice) through the portal. Every Talos route checks it, so a
 * permission policy can keep the internals of the cluster to admins.
 *
 * @public
 */
export const talosClusterReadPermission = createPermission({
  name: 'talos.cluster.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the Talos plugins.
 *
 * @public
 */
export const talosPermissions = [talosClusterReadPermission];
