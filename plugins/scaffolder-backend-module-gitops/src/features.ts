import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { scaffolderModuleHomelabGitops } from './module';
import { scaffolderModuleSecureDelete } from './secureDeleteModule';

/**
 * Everything the package adds to the scaffolder, so the backend adds it with
 * one line: the homelab:* actions and the database hardening their secrets
 * need.
 *
 * @public
 */
export const scaffolderGitopsFeatures = createBackendFeatureLoader({
  *loader() {
    yield scaffolderModuleHomelabGitops;
    yield scaffolderModuleSecureDelete;
  },
});
