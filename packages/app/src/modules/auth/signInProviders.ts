import { ConfigApi } from '@backstage/frontend-plugin-api';
import { SignInProviderConfig } from '@backstage/core-components';
import { oidcAuthApiRef } from './oidcAuthApi';

const oidcProvider: SignInProviderConfig = {
  id: 'oidc-auth-provider',
  title: 'Household account',
  message: 'Sign in with the household identity provider (Authelia or Zitadel)',
  apiRef: oidcAuthApiRef,
};

/**
 * The sign-in buttons from `homelab.signIn.providers` (packages/app/config.d.ts).
 * Guest when nothing is configured, so a fresh clone signs in as before.
 */
export function signInProviders(
  config: ConfigApi,
): Array<'guest' | SignInProviderConfig> {
  const names = config.getOptionalStringArray('homelab.signIn.providers') ?? [
    'guest',
  ];
  const providers: Array<'guest' | SignInProviderConfig> = [];
  for (const name of names) {
    if (name === 'guest') providers.push('guest');
    else if (name === 'oidc') providers.push(oidcProvider);
    else
      throw new Error(
        `homelab.signIn.providers: unknown sign-in provider "${name}" (use guest or oidc)`,
      );
  }
  if (providers.length === 0) {
    throw new Error(
      'homelab.signIn.providers is empty: nobody could sign in (use guest or oidc)',
    );
  }
  return providers;
}
