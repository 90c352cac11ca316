import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';
import { scaffolderPermissionModule } from './scaffolderPermissionModule';

// Same id as the app's default guest-only page, so this one replaces it.
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      (await import('./HouseholdSignInPage')).HouseholdSignInPage,
  },
});

const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, signInPage],
});

/**
 * Who may sign in and how (guest or OIDC), and what the UI tells people the
 * permission policy keeps from them.
 */
export const authModules = [signInModule, scaffolderPermissionModule];
