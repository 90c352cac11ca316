// app-config.production.yaml: passes `backstage-cli config:check` on top of
// app-config.yaml with every variable set (to dummy values), fails it when a
// value breaks the schema, and says what production must say: PostgreSQL in
// schema mode, OIDC with the Authelia/Zitadel pitfalls handled, no guest,
// the household policy, the events bus for replicas.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { repoRoot } from '../e2e/lib/stage.mjs';

const run = promisify(execFile);
const production = path.join(repoRoot, 'app-config.production.yaml');

/** Every ${VAR} the production config reads, each set to a dummy value. */
function dummyEnv() {
  const text = fs.readFileSync(production, 'utf8');
  const env = {};
  for (const [, name] of text.matchAll(/\$\{([A-Z0-9_]+)(:-[^}]*)?\}/g)) {
    env[name] = `dummy-${name.toLowerCase()}`;
  }
  return {
    ...env,
    PORTAL_BASE_URL: 'https://portal.home.example.org',
    PORTAL_PORT: '7007',
    POSTGRES_PORT: '5432',
    OIDC_METADATA_URL:
      'https://auth.home.example.org/.well-known/openid-configuration',
    PROXMOX_URL: 'https://pve.home.example.org:8006',
    TALOS_IMAGE_FACTORY_URL: 'https://factory.talos.dev',
  };
}

async function cli(args, env = dummyEnv()) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/@backstage/cli/bin/backstage-cli'),
        ...args,
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

test('config:check passes on app-config.yaml + app-config.production.yaml', async () => {
  const result = await cli([
    'config:check',
    '--config',
    'app-config.yaml',
    '--config',
    'app-config.production.yaml',
  ]);
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
});

test('config:check --strict passes too: every key known, every value of its type', async () => {
  const result = await cli([
    'config:check',
    '--strict',
    '--config',
    'app-config.yaml',
    '--config',
    'app-config.production.yaml',
  ]);
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
});

test('config:check fails, naming the key, when a value breaks the schema', async () => {
  const broken = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-config-')),
    'broken.yaml',
  );
  fs.writeFileSync(broken, 'backend:\n  database:\n    client: mongodb\n');
  const result = await cli([
    'config:check',
    '--strict',
    '--config',
    'app-config.yaml',
    '--config',
    'app-config.production.yaml',
    '--config',
    broken,
  ]);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr + result.stdout, /\/backend\/database\/client/);
});

let merged;
async function mergedConfig() {
  if (!merged) {
    const result = await cli([
      'config:print',
      '--with-secrets',
      '--format',
      'json',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
    assert.equal(result.code, 0, result.stderr);
    merged = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  }
  return merged;
}

test('production signs in with OIDC only, set up for Authelia and Zitadel', async () => {
  const { auth, homelab } = await mergedConfig();
  assert.deepEqual(Object.keys(auth.providers), ['oidc'], 'no guest provider');
  const o = auth.providers.oidc[auth.environment];
  assert.ok(o, `auth.providers.oidc.${auth.environment}`);
  // prompt=none (the provider's default) gets login_required from both IdPs.
  assert.equal(o.prompt, 'auto');
  assert.ok(
    !('scope' in o),
    'scope is rejected by the provider; additionalScopes',
  );
  assert.ok(o.additionalScopes.includes('offline_access'));
  assert.equal(
    o.callbackUrl,
    'https://portal.home.example.org/api/auth/oidc/handler/frame',
  );
  assert.deepEqual(
    o.signIn.resolvers.map(r => r.resolver),
    ['emailMatchingUserEntityProfileEmail'],
  );
  assert.ok(
    !o.signIn.resolvers.some(r => r.dangerouslyAllowSignInWithoutUserInCatalog),
    'only people in the catalog sign in',
  );
  // The OIDC strategy keeps state, nonce and PKCE verifier in the session.
  assert.equal(auth.session.secret, 'dummy-auth_session_secret');
  assert.deepEqual(homelab.signIn.providers, ['oidc']);
});

test('production runs on PostgreSQL, one schema per plugin, with the events bus', async () => {
  const { backend, events, permission, techdocs } = await mergedConfig();
  assert.equal(backend.database.client, 'pg');
  assert.equal(backend.database.pluginDivisionMode, 'schema');
  const { host, port, user, password, database } = backend.database.connection;
  assert.deepEqual(
    { host, port: String(port), user, password, database },
    {
      host: 'dummy-postgres_host',
      port: '5432',
      user: 'dummy-postgres_user',
      password: 'dummy-postgres_password',
      database: 'dummy-postgres_db',
    },
  );
  assert.equal(events.useEventBus, 'always');
  assert.equal(permission.enabled, true);
  assert.equal(backend.baseUrl, 'https://portal.home.example.org');
  // Nothing from a laptop: no SQLite folder, no local paths.
  assert.ok(!JSON.stringify(backend).includes('sqlite'));
  assert.equal(techdocs.publisher.local.publishDirectory, 'dummy-techdocs_dir');
});

test('a laptop listens on 127.0.0.1 and its guest is read-only; the Pod listens on its address', async () => {
  const require = (await import('node:module')).createRequire(
    path.join(repoRoot, 'package.json'),
  );
  const YAML = require('yaml');
  const local = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  assert.equal(local.backend.listen.host, '127.0.0.1');
  const { guest } = local.auth.providers;
  const admins = ['group:default/home-admins'];
  assert.ok(!guest.ownershipEntityRefs.some(r => admins.includes(r)));
  const guestUser = YAML.parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'catalog/org/users.yaml'), 'utf8'),
  )
    .map(d => d.toJS())
    .find(e => `user:default/${e.metadata.name}` === guest.userEntityRef);
  assert.deepEqual(guestUser.spec.memberOf, ['family']);
  const { backend } = await mergedConfig();
  assert.equal(backend.listen.host, '0.0.0.0');
});

test('every secret in the production config comes from the environment', () => {
  const text = fs.readFileSync(production, 'utf8');
  for (const key of [
    'password',
    'secret',
    'clientSecret',
    'tokenSecret',
    'token',
  ]) {
    for (const m of text.matchAll(new RegExp(`^\\s*${key}:\\s*(.+)$`, 'gm'))) {
      assert.match(m[1], /^\$\{[A-Z0-9_]+\}$/, `${key}: ${m[1]}`);
    }
  }
});
