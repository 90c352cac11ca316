import { Config } from '@backstage/config';

/** Who may do what in the household, from the user's ownership refs. @public */
export type HouseholdRole = 'admin' | 'family' | 'none';

/** The groups and entity types the policy works with. @public */
export interface HouseholdPolicyOptions {
  adminGroups: string[];
  familyGroups: string[];
  secretEntityTypes: string[];
  /** Tags of Proxmox guest entities nobody may power through the portal. */
  protectedGuestTags: string[];
}

/** @public */
export const DEFAULT_POLICY_OPTIONS: HouseholdPolicyOptions = {
  adminGroups: ['group:default/home-admins'],
  familyGroups: ['group:default/family'],
  secretEntityTypes: ['sealed-secret', 'secret'],
  protectedGuestTags: [],
};

/** Reads `permission.homelab`; every key is optional. @public */
export function readPolicyOptions(config: Config): HouseholdPolicyOptions {
  const c = config.getOptionalConfig('permission.homelab');
  const lower = (refs: string[]) => refs.map(r => r.toLocaleLowerCase('en-US'));
  return {
    adminGroups: lower(
      c?.getOptionalStringArray('adminGroups') ??
        DEFAULT_POLICY_OPTIONS.adminGroups,
    ),
    familyGroups: lower(
      c?.getOptionalStringArray('familyGroups') ??
        DEFAULT_POLICY_OPTIONS.familyGroups,
    ),
    secretEntityTypes:
      c?.getOptionalStringArray('secretEntityTypes') ??
      DEFAULT_POLICY_OPTIONS.secretEntityTypes,
    protectedGuestTags:
      c?.getOptionalStringArray('protectedGuestTags') ??
      DEFAULT_POLICY_OPTIONS.protectedGuestTags,
  };
}

/**
 * An admin wins over family when someone is in both; someone in neither
 * group (a catalog user nobody put in a group) gets nothing.
 *
 * @public
 */
export function roleOf(
  ownershipEntityRefs: string[],
  options: HouseholdPolicyOptions,
): HouseholdRole {
  const refs = new Set(
    ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  if (options.adminGroups.some(g => refs.has(g))) return 'admin';
  if (options.familyGroups.some(g => refs.has(g))) return 'family';
  return 'none';
}
