import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read delivery status, drift, certificates and pending updates: what the
 * forge, the GitOps engines and the cluster say about the household's apps.
 * Every route of the GitOps backend checks it.
 *
 * @public
 */
export const gitopsStatusReadPermission = createPermission({
  name: 'gitops.status.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the GitOps plugins.
 *
 * @public
 */
export const gitopsPermissions = [gitopsStatusReadPermission];
