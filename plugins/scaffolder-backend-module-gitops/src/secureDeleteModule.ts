import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { enableSecureDelete } from './secureDelete';

/**
 * Hardens the scaffolder's database for the template secrets that pass
 * through its tasks table (see enableSecureDelete). A module of its own: it
 * is about the scaffolder's storage, not about any action.
 */
export const scaffolderModuleSecureDelete = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'homelab-secure-delete',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
      },
      async init({ database, logger }) {
        await enableSecureDelete(database, logger);
      },
    });
  },
});
