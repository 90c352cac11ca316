// The production profile, end to end: the production build with
// app-config.production.yaml and exactly the environment, Secret files and
// service account the k8s/ Deployment gives it (read from the manifests),
// on a real PostgreSQL, signing in through an OIDC IdP, against the demo
// homelab. No Kubernetes token is configured anywhere: the Kubernetes tab,
// the Talos Kubernetes checks and the sealing certificate all go through the
// Pod's mounted service-account token and CA. Run by test/production/run.mjs
// in private network and mount namespaces (the Deployment's port 7007, the
// kubelet's paths).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import {
  launchBrowser,
  screenshot,
  signInWithIdp,
} from '../e2e/lib/browser.mjs';
import { FakeIdp } from '../e2e/lib/fakeIdp.mjs';
import { call, waitForTask } from '../e2e/lib/household.mjs';
import { Sim } from '../e2e/lib/sim.mjs';
import { repoRoot } from '../e2e/lib/stage.mjs';
import { Postgres } from '../replicas/lib/postgres.mjs';
import { DeployedPortal } from './lib/deployedPortal.mjs';
import { portalDeployment } from './lib/deployment.mjs';
import { householdAsDeployed } from './lib/scenario.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const YAML = require('yaml');

const production = YAML.parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-production-'));
const deployment = portalDeployment();
const baseUrl = `http://127.0.0.2:${deployment.port}`;
const scenarioFile = path.join(workDir, 'household.yaml');
const scenario = householdAsDeployed(deployment, scenarioFile);
const sim = new Sim({ stateDir: path.join(workDir, 'sim'), scenarioFile });
// In its own folder under the temporary directory: the server runs as the
// postgres user, who cannot enter workDir.
const postgres = new Postgres();
const idp = new FakeIdp({
  client: {
    id: deployment.configMap.OIDC_CLIENT_ID,
    secret: crypto.randomBytes(16).toString('hex'),
    redirectUri: `${baseUrl}/api/auth/oidc/handler/frame`,
  },
  users: {
    alex: {
      email: 'alex@home.example.org',
      emailVerified: true,
      name: 'Alex Moreau',
    },
  },
});
/** Only for this test's own waiting on the catalog. */
const PROBE_TOKEN = crypto.randomBytes(24).toString('hex');
/** Typed into the form of the add-app run; must end up only as ciphertext. */
const canary = `tandoor-key-${crypto.randomBytes(9).toString('hex')}`;
/** Sent in secrets too large to accept; must end up nowhere at all. */
const refusedCanary = `refused-${crypto.randomBytes(9).toString('hex')}`;
let portal;
let browser;
let page;
let token;

before(async () => {
  await sim.start();
  await postgres.start();
  await idp.start();
  const state = sim.stateDir;
  const read = rel => fs.readFileSync(path.join(state, rel), 'utf8');
  const demo = YAML.parse(read('app-config.demo.yaml'));
  const kubernetesApi = new URL(sim.url('kubernetes'));
  // The password is the Secret's; the rest are the ConfigMap's keys.
  const { POSTGRES_PASSWORD, ...database } = postgres.env();
  portal = new DeployedPortal({
    deployment,
    workDir,
    // This test's endpoints, each in the ConfigMap key the household sets.
    endpoints: {
      PORTAL_BASE_URL: baseUrl,
      ...database,
      OIDC_METADATA_URL: idp.metadataUrl,
      PROXMOX_URL: sim.url('proxmox'),
      TECHDOCS_DIR: path.join(workDir, 'techdocs'),
    },
    secrets: {
      AUTH_SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      OIDC_CLIENT_SECRET: idp.client.secret,
      POSTGRES_PASSWORD,
      PROXMOX_TOKEN_SECRET: read('proxmox/catalog-token-secret').trim(),
      PROXMOX_POWER_TOKEN_SECRET: read('proxmox/power-token-secret').trim(),
      GITHUB_TOKEN: read('forge/token').trim(),
      talosconfig: read('talos/talosconfig'),
      'proxmox-ca.pem': sim.ca,
    },
    // What the kubelet gives every container of the Pod.
    kubelet: {
      host: '127.0.0.1',
      port: kubernetesApi.port,
      token: read('kubernetes/token').trim(),
      caPem: sim.ca,
    },
    // Not what a cluster needs, what this machine does:
    overlay: {
      // The image's working directory holds catalog-info.yaml; the staged
      // build's does not.
      catalog: {
        locations: [
          { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
        ],
      },
      // The demo forge instead of github.com (the keys a household with
      // GitHub Enterprise or Gitea sets): its integration, and the same
      // repositories on its host.
      integrations: demo.integrations,
      gitops: {
        repositories: production.gitops.repositories.map(r => ({
          ...r,
          host: demo.integrations.github[0].host,
        })),
      },
      // A token for this test's own polling of the catalog.
      backend: {
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: PROBE_TOKEN, subject: 'production-test' },
            },
          ],
        },
      },
    },
    extraEnv: {
      // github.com and the Image Factory have public certificates; the demo
      // stands in with its own CA.
      NODE_EXTRA_CA_CERTS: sim.info.caFile,
      TALOS_IMAGE_FACTORY_URL: demo.talos.upgrades.imageFactory.url,
    },
  });
  portal.mount();
  await portal.start({ timeoutMs: 240_000 });
  await waitFor(
    async () =>
      (
        await fetch(
          `${baseUrl}/api/catalog/entities/by-name/template/default/add-app`,
          { headers: { authorization: `Bearer ${PROBE_TOKEN}` } },
        )
      ).ok &&
      (
        await fetch(
          `${baseUrl}/api/catalog/entities/by-name/user/default/alex`,
          { headers: { authorization: `Bearer ${PROBE_TOKEN}` } },
        )
      ).ok,
    'the household catalog',
  );
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await signInWithIdp(page, baseUrl, 'alex');
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
  const refresh = await page.request.get(
    `${baseUrl}/api/auth/oidc/refresh?optional=&env=production`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  assert.equal(refresh.status(), 200, await refresh.text());
  token = (await refresh.json()).backstageIdentity.token;
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await idp.stop();
  await postgres.stop();
  postgres.remove();
  await sim.stop();
});

async function waitFor(check, what, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

const api = (method, route, body) => call(portal, token, method, route, body);

test('runs with no Kubernetes token configured: the Pod has one', () => {
  const clusters = production.kubernetes.clusterLocatorMethods.flatMap(
    m => m.clusters ?? [],
  );
  assert.ok(clusters.length > 0);
  for (const c of clusters) {
    assert.equal(c.authProvider, 'serviceAccount');
    assert.equal(c.serviceAccountToken, undefined);
  }
  assert.ok(
    ![...deployment.env.keys()].some(k => /KUBE.*TOKEN/.test(k)),
    'no token in the environment either',
  );
  assert.match(
    portal.logText(),
    /Plugin initialization complete/,
    'the backend started',
  );
});

test('the catalog: the household and the generated Proxmox entities', async () => {
  const immich = await api(
    'GET',
    '/api/catalog/entities/by-name/component/default/immich',
  );
  assert.equal(immich.status, 200, immich.text);
  await waitFor(
    async () =>
      (
        await api(
          'GET',
          '/api/catalog/entities/by-name/resource/default/proxmox-home-vm-100',
        )
      ).status === 200,
    'the Proxmox provider',
  );
  await page.goto(
    `${baseUrl}/catalog?filters[kind]=component&filters[user]=all`,
  );
  await page
    .getByRole('link', { name: 'Immich' })
    .first()
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'production-01-catalog');
});

test('the Proxmox page, through the Secret-mounted CA and tokens', async () => {
  const guests = await api('GET', '/api/proxmox/instances/home/guests');
  assert.equal(guests.status, 200, guests.text);
  assert.equal(guests.json.guests.length, scenario.proxmox.guests.length);
  await page.goto(`${baseUrl}/proxmox`);
  await page.getByText('VMs running').waitFor({ timeout: 60_000 });
  await page.getByText('talos-cp-1').first().waitFor();
  await screenshot(page, 'production-02-proxmox');
});

test("Talos health, its Kubernetes checks through the Pod's service account", async () => {
  const view = await api('GET', '/api/talos/clusters/homelab');
  assert.equal(view.status, 200, view.text);
  assert.deepEqual(view.json.kubernetes, { configured: true });
  const checks = Object.fromEntries(view.json.health.map(c => [c.id, c]));
  for (const id of ['k8s-nodes-reported', 'k8s-nodes-ready']) {
    assert.equal(checks[id].status, 'pass', `${id}: ${checks[id].reason}`);
  }
  await page.goto(`${baseUrl}/talos`);
  await page
    .getByText('all k8s nodes to report ready — pass')
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'production-03-talos');
});

test("the Kubernetes tab, through the Pod's service account", async () => {
  const res = await api('POST', '/api/kubernetes/services/immich', {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'immich',
        annotations: { 'backstage.io/kubernetes-id': 'immich' },
      },
    },
  });
  assert.equal(res.status, 200, res.text);
  const [cluster] = res.json.items;
  assert.deepEqual(cluster.errors, []);
  const pods = cluster.resources.find(r => r.type === 'pods').resources;
  assert.equal(pods.length, 2);
  // The tab's routes and the delivery views list every kind they read
  // cluster-wide (plugins/gitops-backend), within k8s/'s RBAC.
  const routes = await api('GET', '/api/gitops/routes?app=immich');
  assert.equal(routes.status, 200, routes.text);
  assert.deepEqual(routes.json.errors, []);
  assert.deepEqual(
    routes.json.routes.map(r => `${r.kind} ${r.hostnames.join(',')}`),
    ['HTTPRoute photos.home.example.org', 'Gateway *.home.example.org'],
  );
  await page.goto(`${baseUrl}/catalog/default/component/immich/kubernetes`);
  await page.getByText('2 pods').first().waitFor({ timeout: 60_000 });
  await page.getByText('photos.home.example.org').first().waitFor();
  await screenshot(page, 'production-04-kubernetes');
});

test("Delivery: from the repository to the running app, through the forge and the Pod's service account", async () => {
  const res = await api('GET', '/api/gitops/deliveries?app=immich');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.errors, []);
  const [immich] = res.json.apps;
  assert.equal(immich.repository, 'home-ops');
  assert.deepEqual(
    immich.steps.map(s => `${s.id}:${s.state}`),
    ['pull-request:done', 'reconcile:done', 'workload:done', 'route:done'],
  );
  await page.goto(`${baseUrl}/delivery?app=immich`);
  await page
    .getByText('photos.home.example.org')
    .first()
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'production-05-delivery');
});

/** The add-app form's answers, as the browser sends them. */
function addApp(name, secret) {
  return {
    templateRef: 'template:default/add-app',
    values: {
      name,
      description: 'Recipes and meal plans',
      owner: 'group:default/home-admins',
      namespace: 'default',
      image: 'ghcr.io/tandoorrecipes/recipes:2.0.1',
      port: 8080,
      exposure: 'internal',
      subdomain: name,
      domain: 'home.example.org',
      scope: 'strict',
      secretKey1: 'SECRET_KEY',
      secretValue1: '*'.repeat(Math.min(secret.length, 8192)),
      repository: 'home-ops/home-ops',
      forge: 'github',
    },
    secrets: { secretValue1: secret },
  };
}

test('add an app with a sealed secret: a pull request on the forge', async () => {
  const created = await api(
    'POST',
    '/api/scaffolder/v2/tasks',
    addApp('tandoor', canary),
  );
  assert.equal(created.status, 201, created.text);
  const task = await waitForTask(portal, token, created.json.id, 300_000);
  const events = await api(
    'GET',
    `/api/scaffolder/v2/tasks/${created.json.id}/events`,
  );
  assert.equal(
    task.status,
    'completed',
    events.json.map(e => e.body.message).join('\n'),
  );
  const log = events.json.map(e => e.body.message ?? '').join('\n');
  // The certificate came from the controller through the in-cluster API.
  assert.match(
    log,
    /Sealing with the certificate from the sealed-secrets controller/,
  );
  const { output } = events.json.find(e => e.type === 'completion').body;
  const pr = output.links.find(l => l.title === 'Pull request')?.url;
  assert.match(pr ?? '', /\/home-ops\/home-ops\/pull\/\d+$/);
  const number = pr.split('/').pop();
  const pull = await fetch(
    `${sim.url('forge')}/api/v3/repos/home-ops/home-ops/pulls/${number}/files`,
    {
      headers: {
        authorization: `token ${fs
          .readFileSync(path.join(sim.stateDir, 'forge/token'), 'utf8')
          .trim()}`,
      },
      dispatcher: sim.dispatcher,
    },
  );
  const files = (await pull.json()).map(f => f.filename);
  assert.ok(
    files.some(f =>
      /kubernetes\/apps\/default\/tandoor\/.*sealedsecret\.yaml$/.test(f),
    ),
    files.join(', '),
  );
});

test('secrets of 40 KB and 1 MiB are refused before anything runs, with the field named', async () => {
  for (const size of [40 * 1024, 1024 * 1024]) {
    const secret = refusedCanary.repeat(Math.ceil(size / refusedCanary.length));
    const res = await api(
      'POST',
      '/api/scaffolder/v2/tasks',
      addApp('refused', secret),
    );
    assert.equal(res.status, 400, res.text.slice(0, 500));
    assert.match(
      res.json.error.message,
      /^The secrets of this form were not accepted: "Secret 1 value" is [\d,]+ characters long; a secret value may be at most 8,192 characters/,
    );
    assert.ok(!res.text.includes(refusedCanary));
  }
});

/** A value as it may appear in text: itself, and base64 at every alignment. */
function forms(value) {
  const out = [value];
  for (const pad of ['', 'x', 'xx']) {
    const b64 = Buffer.from(pad + value).toString('base64');
    // Drop the characters that also encode the padding and the tail.
    out.push(b64.slice(Math.ceil((pad.length * 4) / 3) + 1, -4));
  }
  return out;
}

/** Every file under `dir` whose bytes contain one of `needles`. */
function filesContaining(dir, needles) {
  const hits = [];
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const bytes = fs.readFileSync(p);
        if (needles.some(n => bytes.includes(n))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

test('no secret leaked: logs, task events, the database files, the repository history', async () => {
  const secret = forms(canary);
  const refused = forms(refusedCanary);
  const everything = [...secret, ...refused];
  // The backend log.
  const log = portal.logText();
  assert.deepEqual(
    everything.filter(n => log.includes(n)),
    [],
    'in the backend log',
  );
  // Every task's events.
  const tasks = await api('GET', '/api/scaffolder/v2/tasks');
  assert.ok(tasks.json.tasks.length >= 1);
  for (const t of tasks.json.tasks) {
    const events = await api('GET', `/api/scaffolder/v2/tasks/${t.id}/events`);
    assert.deepEqual(
      everything.filter(n => events.text.includes(n)),
      [],
      `in the events of task ${t.id}`,
    );
  }
  // PostgreSQL: no row of any plugin's table holds a secret. On disk, the
  // refused ones are nowhere (no table file, no WAL); the accepted one may
  // remain in the write-ahead log and in the dead row version the
  // scaffolder's task had before a worker claimed it and cleared its
  // secrets (upstream keeps them with the task until then), both reclaimed
  // by PostgreSQL over time.
  const tables = await postgres.query(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE'
       AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    [],
    postgres.database,
  );
  assert.ok(tables.length > 10, 'every plugin has its tables');
  const patterns = everything.map(n => `%${n}%`);
  for (const { table_schema: schema, table_name: table } of tables) {
    const [{ n }] = await postgres.query(
      `SELECT count(*)::int AS n FROM "${schema}"."${table}" r
       WHERE r::text LIKE ANY($1)`,
      [patterns],
      postgres.database,
    );
    assert.equal(n, 0, `in the rows of ${schema}.${table}`);
  }
  await postgres.query('CHECKPOINT');
  assert.deepEqual(
    filesContaining(postgres.dataDir, refused),
    [],
    'refused secrets in the PostgreSQL data folder',
  );
  // The forge's repositories, every commit of every branch.
  const repos = path.join(sim.stateDir, 'forge/repos');
  for (const owner of fs.readdirSync(repos)) {
    for (const repo of fs.readdirSync(path.join(repos, owner))) {
      const history = execFileSync(
        'git',
        ['--git-dir', path.join(repos, owner, repo), 'log', '-p', '--all'],
        { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      );
      assert.deepEqual(
        everything.filter(n => history.includes(n)),
        [],
        `in the history of ${owner}/${repo}`,
      );
    }
  }
});

test('a rolling update stays within PostgreSQL max_connections', async () => {
  const schemas = await postgres.query(
    `SELECT schema_name FROM information_schema.schemata
     WHERE schema_name NOT LIKE 'pg\\_%' AND schema_name NOT IN ('public', 'information_schema')`,
    [],
    postgres.database,
  );
  const poolMax = production.backend.database.knexConfig.pool.max;
  const { spec } = deployment.deployment;
  const pods = spec.replicas + spec.strategy.rollingUpdate.maxSurge;
  const db = deployment.objects.find(
    o =>
      o.kind === 'StatefulSet' && o.metadata.name === 'homelab-portal-postgres',
  );
  const args = db.spec.template.spec.containers[0].args.join(' ');
  const maxConnections = Number(/max_connections=(\d+)/.exec(args)[1]);
  // superuser_reserved_connections (3, PostgreSQL's default) and the nightly pg_dump.
  const needed = pods * schemas.length * poolMax + 3 + 1;
  assert.ok(
    needed <= maxConnections,
    `${pods} Pods × ${schemas.length} plugin pools × ${poolMax} + 4 = ${needed} > max_connections ${maxConnections}`,
  );
});
