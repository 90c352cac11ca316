import type { Entity } from '@backstage/catalog-model';
import { gitopsAppName } from '@homelab-portal/plugin-gitops-common';

/**
 * Entities that are deployed apps: they name their app in the cluster.
 *
 * @public
 */
export function isGitopsApp(entity: Entity): boolean {
  return Boolean(gitopsAppName(entity));
}
