// OIDC sign-in in Chromium against an identity provider that behaves like
// Authelia (test/e2e/lib/fakeIdp.mjs), with the production config's OIDC
// settings: no prompt=none (the IdP would answer login_required), PKCE,
// offline_access for a refresh token, the email resolver that needs
// email_verified. Alex lands as a home admin, Sam as family, and someone
// whose unverified email claims to be Alex's is refused. Port 7022.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { Portal } from './lib/portal.mjs';
import { launchBrowser, screenshot, signInWithIdp } from './lib/browser.mjs';
import { repoRoot } from './lib/stage.mjs';
import { FakeIdp } from './lib/fakeIdp.mjs';
import { catalogWithTestEntities, warningsIn } from './lib/household.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const YAML = require('yaml');

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-e2e-oidc-'));
const portal = new Portal({ workDir, port: 7022, name: 'oidc' });
const idp = new FakeIdp({
  client: {
    id: 'homelab-portal',
    secret: 'not-a-real-secret',
    redirectUri: `${portal.baseUrl}/api/auth/oidc/handler/frame`,
  },
  users: {
    alex: {
      email: 'alex@home.example.org',
      emailVerified: true,
      name: 'Alex Moreau',
    },
    sam: {
      email: 'sam@home.example.org',
      emailVerified: true,
      name: 'Sam Moreau',
    },
    // Claims Alex's address without having proven it.
    mallory: {
      email: 'alex@home.example.org',
      emailVerified: false,
      name: 'Mallory',
    },
  },
});
let browser;
const CATALOG_TOKEN = 'oidc-test-catalog-reader-0123456789';

before(async () => {
  await idp.start();
  // The OIDC provider settings exactly as app-config.production.yaml has
  // them, with this test's IdP, client and URLs.
  const production = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
  );
  const oidc = production.auth.providers.oidc.production;
  portal.extraConfig = {
    auth: {
      environment: 'production',
      session: { secret: 'test-session-secret' },
      providers: {
        guest: null,
        oidc: {
          production: {
            ...oidc,
            metadataUrl: idp.metadataUrl,
            clientId: idp.client.id,
            clientSecret: idp.client.secret,
            callbackUrl: idp.client.redirectUri,
            tokenEndpointAuthMethod: 'client_secret_basic',
            tokenSignedResponseAlg: 'RS256',
          },
        },
      },
    },
    homelab: production.homelab.signIn
      ? { signIn: production.homelab.signIn }
      : undefined,
    catalog: catalogWithTestEntities(),
    // The Portal overlay's backend section, plus a static token this test
    // uses to see when the catalog knows the household.
    backend: {
      baseUrl: portal.baseUrl,
      // app-config.yaml listens on 127.0.0.1 only.
      listen: { port: portal.port, host: new URL(portal.baseUrl).hostname },
      cors: { origin: portal.baseUrl },
      database: {
        client: 'better-sqlite3',
        connection: { directory: path.join(workDir, 'data/sqlite') },
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: CATALOG_TOKEN, subject: 'oidc-test' },
          },
        ],
      },
    },
  };
  await portal.start();
  browser = await launchBrowser();
  await waitForUsersInCatalog();
});

after(async () => {
  await browser?.close();
  await portal.stop();
  await idp.stop();
});

/** Sign-in resolves people through the catalog, which loads after start. */
async function waitForUsersInCatalog() {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(
      `${portal.baseUrl}/api/catalog/entities/by-name/user/default/sam`,
      { headers: { authorization: `Bearer ${CATALOG_TOKEN}` } },
    );
    if (res.ok) return;
    if (Date.now() > deadline)
      throw new Error('the catalog never had user:default/sam');
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Signs in through the household button at this suite's IdP. */
const signInAs = (page, username) =>
  signInWithIdp(page, portal.baseUrl, username);

test('the sign-in page offers the household account and no guest', async () => {
  const page = await browser.newPage();
  await page.goto(portal.baseUrl);
  await page.getByText('Household account').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByRole('button', { name: /enter/i }).count(), 0);
  await screenshot(page, 'oidc-01-sign-in-page');
  await page.close();
});

test('Alex signs in with the IdP and is a home admin', async () => {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  await signInAs(page, 'alex');
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
  const request = idp.requests.at(-1);
  // The Authelia/Zitadel pitfalls, as the IdP saw the request.
  assert.ok(!('prompt' in request), `prompt=${request.prompt} was sent`);
  assert.equal(request.code_challenge_method, 'S256');
  assert.deepEqual(request.scope.split(' ').sort(), [
    'email',
    'offline_access',
    'openid',
    'profile',
  ]);
  assert.equal(request.redirect_uri, idp.client.redirectUri);
  await page.goto(`${portal.baseUrl}/create`);
  await page
    .getByTestId('template-card-actions--create')
    .first()
    .waitFor({ timeout: 60_000 });
  // A reload keeps the session (the refresh token from offline_access).
  await page.reload();
  await page.getByText('Test echo').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.getByText('Household account').count(), 0);
  await page.goto(`${portal.baseUrl}/settings`);
  await page.getByText('Alex Moreau').first().waitFor({ timeout: 30_000 });
  await screenshot(page, 'oidc-02-alex-settings');
  await context.close();
});

test('Sam signs in and is told templates are for home admins', async () => {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  await signInAs(page, 'sam');
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
  await page.goto(`${portal.baseUrl}/create`);
  await page
    .getByText('Only home admins can run templates')
    .waitFor({ timeout: 60_000 });
  await context.close();
});

test('an unverified email is not enough to become Alex', async () => {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  await signInAs(page, 'mallory');
  // The sign-in page stays, with the resolver's refusal.
  await page
    .getByText(
      /profile does not contain an email|Failed to sign-in|unable to resolve user/i,
    )
    .first()
    .waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText('Welcome home').count(), 0);
  await screenshot(page, 'oidc-03-unverified-refused');
  await context.close();
});

test('the backend logged no errors (a refused sign-in is a warning at most)', () => {
  assert.deepEqual(
    warningsIn(portal, portal.logOffset).filter(l => /"level":"error"/.test(l)),
    [],
  );
});
