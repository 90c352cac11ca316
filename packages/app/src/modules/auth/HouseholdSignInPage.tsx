import { toError } from '@backstage/errors';
import { SignInPage, WarningPanel } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { signInProviders } from './signInProviders';

/**
 * Guest on a laptop, the household's identity provider in the cluster. The
 * page restores the last provider's session by itself, so a reload does not
 * ask again.
 */
export function HouseholdSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  let providers;
  try {
    providers = signInProviders(config);
  } catch (error) {
    return (
      <WarningPanel
        severity="error"
        title="Sign-in is not configured correctly"
        message={toError(error).message}
      />
    );
  }
  return (
    <SignInPage
      {...props}
      title="HomeLab Portal"
      align="center"
      providers={providers}
    />
  );
}
