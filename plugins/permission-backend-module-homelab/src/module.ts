import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { HouseholdPermissionPolicy } from './policy/HouseholdPermissionPolicy';
import { readPolicyOptions } from './policy/roles';

/**
 * The household permission policy for `@backstage/plugin-permission-backend`.
 *
 * @public
 */
export const permissionModuleHomelabPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'homelab-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, userInfo, config, logger }) {
        const options = readPolicyOptions(config);
        logger.info(
          `Household permission policy: admins ${options.adminGroups.join(
            ', ',
          )}; family ${options.familyGroups.join(', ')}`,
        );
        policy.setPolicy(new HouseholdPermissionPolicy(userInfo, options));
      },
    });
  },
});
