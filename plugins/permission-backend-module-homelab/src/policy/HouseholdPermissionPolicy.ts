import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { adminDecision } from './adminDecision';
import { familyDecision } from './familyDecision';
import { HouseholdPolicyOptions, roleOf } from './roles';

/**
 * The household's permission policy: `home-admins` may do everything (see
 * adminDecision), `family` reads (see familyDecision), anyone else, and any
 * request without a user, is denied. Membership comes from the ownership refs the sign-in
 * resolver put on the user (its own ref plus its catalog groups), so a
 * change of group in the catalog applies at the next sign-in.
 *
 * @public
 */
export class HouseholdPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: HouseholdPolicyOptions,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    switch (roleOf(ownershipEntityRefs, this.options)) {
      case 'admin':
        return adminDecision(request.permission, this.options);
      case 'family':
        return familyDecision(request.permission, this.options);
      default:
        return { result: AuthorizeResult.DENY };
    }
  }
}
