import {
  AuthorizeResult,
  isPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { proxmoxGuestPowerPermission } from '@homelab-portal/plugin-proxmox-common';
import { HouseholdPolicyOptions } from './roles';

/**
 * What a home admin may do: everything (scaffolder.template.dry-run of 1.55
 * included, which a policy listing known permissions would forget, breaking
 * the template editor), except powering the Proxmox guests whose entity
 * carries one of the protected tags: the permission is keyed by the guest's
 * catalog entity, so the catalog applies the condition.
 */
export function adminDecision(
  permission: Permission,
  options: HouseholdPolicyOptions,
): PolicyDecision {
  const [first, ...rest] = options.protectedGuestTags.map(tag =>
    catalogConditions.hasMetadata({ key: 'tags', value: tag }),
  );
  if (first && isPermission(permission, proxmoxGuestPowerPermission)) {
    return createCatalogConditionalDecision(permission, {
      not: { anyOf: [first, ...rest] },
    });
  }
  return { result: AuthorizeResult.ALLOW };
}
