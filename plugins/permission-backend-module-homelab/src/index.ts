/**
 * The household permission policy: home-admins change things, family reads.
 *
 * @packageDocumentation
 */

export { permissionModuleHomelabPolicy as default } from './module';
export { HouseholdPermissionPolicy } from './policy/HouseholdPermissionPolicy';
export { familyDecision } from './policy/familyDecision';
export {
  readPolicyOptions,
  roleOf,
  DEFAULT_POLICY_OPTIONS,
} from './policy/roles';
export type { HouseholdPolicyOptions, HouseholdRole } from './policy/roles';
