import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { HouseholdSignInPage } from './HouseholdSignInPage';
import { signInProviders } from './signInProviders';

async function renderWith(data: object) {
  await renderInTestApp(<HouseholdSignInPage onSignInSuccess={() => {}} />, {
    config: data,
  });
}

describe('signInProviders', () => {
  it('offers guest when nothing is configured (a fresh clone)', () => {
    expect(signInProviders(mockApis.config())).toEqual(['guest']);
  });

  it('offers the household OIDC provider when configured', () => {
    const [oidc] = signInProviders(
      mockApis.config({
        data: { homelab: { signIn: { providers: ['oidc'] } } },
      }),
    );
    expect(oidc).toMatchObject({ id: 'oidc-auth-provider' });
  });

  it('names a misspelt provider', () => {
    expect(() =>
      signInProviders(
        mockApis.config({
          data: { homelab: { signIn: { providers: ['authelia'] } } },
        }),
      ),
    ).toThrow(/unknown sign-in provider "authelia"/);
  });
});

describe('HouseholdSignInPage', () => {
  // The buttons themselves are checked in a real browser:
  // test/e2e/permissions.test.mjs (guest) and test/e2e/oidc.test.mjs (OIDC).
  it('explains a broken sign-in configuration instead of a blank page', async () => {
    await renderWith({ homelab: { signIn: { providers: [] } } });
    expect(
      await screen.findByText(/homelab.signIn.providers is empty/),
    ).toBeInTheDocument();
  });
});
