// Roles through the real backend (production build), against the demo
// homelab's Proxmox, Talos and Kubernetes, and in Chromium: a home admin
// (alex) may run templates, power guests (but not the control plane, whose
// tag the policy protects) and see everything; a family member (sam) reads
// the catalog, docs, app status and the Proxmox and Talos views, nothing
// more, and the UI says so; someone in no group (visitor) reads none of
// Proxmox and Talos; a request without a token gets 401 from every plugin
// route, and every household route listed answers an admin (it exists).
// One portal on port 7022, restarted with each person's guest sign-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Portal } from './lib/portal.mjs';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Sim, testPorts } from './lib/sim.mjs';
import {
  call,
  catalogWithTestEntities,
  decisions,
  runTemplate,
  signInAs,
  signInWhenMemberOf,
  warningsIn,
} from './lib/household.mjs';

const workDir = fs.mkdtempSync(
  path.join(os.tmpdir(), 'homelab-e2e-permissions-'),
);
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: {
    admin: testPorts.admin,
    proxmox: testPorts.proxmox,
    talos: testPorts.talos,
    kubernetes: testPorts.kubernetes,
  },
  only: ['proxmox', 'talos', 'kubernetes'],
});
let portal;
let browser;

/** The control plane's VM, tagged `controlplane` in the demo Proxmox. */
const controlPlaneVm = 'resource:default/proxmox-home-vm-100';

/** Restarts the portal so that guest sign-in is `userRef`. */
async function becomes(userRef) {
  await portal.stop();
  portal.extraConfig = {
    auth: signInAs(userRef),
    catalog: catalogWithTestEntities(),
    permission: { homelab: { protectedGuestTags: ['controlplane'] } },
  };
  await portal.start();
}

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, { workDir, port: 7022, name: 'permissions' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

/** Reads of the household plugins, each a real route of this backend. */
const householdReads = [
  '/api/proxmox/instances',
  '/api/proxmox/instances/home/overview',
  '/api/proxmox/instances/home/guests',
  '/api/proxmox/instances/home/guests/101',
  '/api/proxmox/instances/home/guests/101/tasks',
  '/api/proxmox/instances/home/nodes/pve',
  '/api/talos/clusters',
  '/api/talos/clusters/homelab',
];

/** Waits until the Proxmox provider has put `ref` in the catalog. */
async function inCatalog(token, ref) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  for (let i = 0; i < 120; i++) {
    const { status } = await call(
      portal,
      token,
      'GET',
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
    if (status === 200) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${ref} never reached the catalog`);
}

/** Status of each household read for `token`, as "route → status". */
async function readStatuses(token) {
  const answers = [];
  for (const route of householdReads) {
    const { status } = await call(portal, token, 'GET', route);
    answers.push(`${route} → ${status}`);
  }
  return answers;
}

/**
 * Every plugin route we know of, with the method it answers. Sign-in routes
 * (/api/auth/<provider>/...) and the frontend (/api/app) are public by
 * design and not listed; /api/auth/v1/userinfo is not public and is.
 */
const pluginRoutes = [
  ['GET', '/api/catalog/entities'],
  ['GET', '/api/catalog/entities/by-query'],
  ['POST', '/api/catalog/entities/by-refs'],
  ['GET', '/api/catalog/entities/by-name/system/default/homelab'],
  ['GET', '/api/catalog/entity-facets?facet=kind'],
  ['GET', '/api/catalog/locations'],
  ['POST', '/api/catalog/locations'],
  ['POST', '/api/catalog/refresh'],
  ['POST', '/api/catalog/validate-entity'],
  ['POST', '/api/catalog/analyze-location'],
  ['GET', '/api/scaffolder/v2/tasks'],
  ['POST', '/api/scaffolder/v2/tasks'],
  ['GET', '/api/scaffolder/v2/actions'],
  [
    'GET',
    '/api/scaffolder/v2/templates/default/template/test-echo/parameter-schema',
  ],
  ['POST', '/api/scaffolder/v2/dry-run'],
  ['POST', '/api/scaffolder/v2/autocomplete/github/repositories'],
  ['GET', '/api/techdocs/metadata/entity/default/system/homelab'],
  ['GET', '/api/techdocs/metadata/techdocs/default/system/homelab'],
  ['GET', '/api/techdocs/static/docs/default/system/homelab/index.html'],
  ['GET', '/api/techdocs/sync/default/system/homelab'],
  ['GET', '/api/search/query?term=immich'],
  ['GET', '/api/kubernetes/clusters'],
  ['POST', '/api/kubernetes/services/immich'],
  ['POST', '/api/kubernetes/resources/workloads/query'],
  ['GET', '/api/kubernetes/proxy/api/v1/namespaces'],
  ['GET', '/api/user-settings/buckets/default/keys/theme'],
  ['PUT', '/api/user-settings/buckets/default/keys/theme'],
  ['POST', '/api/permission/authorize'],
  ['GET', '/api/events/bus/v1/subscriptions/anyone/events'],
  ['POST', '/api/events/bus/v1/events'],
  ['GET', '/api/proxy/anything'],
  ['GET', '/api/auth/v1/userinfo'],
  ...householdReads.map(route => ['GET', route]),
  ['POST', '/api/proxmox/instances/home/guests/200/power/start'],
];

describe('as a home admin (alex)', () => {
  let token;
  before(async () => {
    await becomes('user:default/alex');
    token = await signInWhenMemberOf(portal, 'group:default/home-admins');
  });

  test('anonymous requests get 401 from every plugin route', async () => {
    const answers = [];
    for (const [method, route] of pluginRoutes) {
      const { status } = await call(
        portal,
        undefined,
        method,
        route,
        method === 'GET' ? undefined : {},
      );
      answers.push(`${method} ${route} → ${status}`);
    }
    assert.deepEqual(
      answers.filter(a => !a.endsWith('→ 401')),
      [],
      'routes that answered a request without a token',
    );
  });

  test('the policy allows templates, dry-runs, power actions and the Kubernetes proxy', async () => {
    await inCatalog(token, 'resource:default/proxmox-home-ct-200');
    assert.deepEqual(
      await decisions(portal, token, [
        { name: 'scaffolder.task.create', attributes: { action: 'create' } },
        { name: 'scaffolder.template.dry-run' },
        {
          name: 'proxmox.guest.power',
          type: 'resource',
          resourceType: 'catalog-entity',
          attributes: { action: 'update' },
          resourceRef: 'resource:default/proxmox-home-ct-200',
        },
        { name: 'kubernetes.proxy' },
        { name: 'catalog.entity.refresh', attributes: { action: 'update' } },
      ]),
      {
        'scaffolder.task.create': 'ALLOW',
        'scaffolder.template.dry-run': 'ALLOW',
        'proxmox.guest.power': 'ALLOW',
        'kubernetes.proxy': 'ALLOW',
        'catalog.entity.refresh': 'ALLOW',
      },
    );
  });

  test('every household route listed exists: an admin gets its answer', async () => {
    assert.deepEqual(
      (await readStatuses(token)).filter(a => !a.endsWith('→ 200')),
      [],
    );
    // Allowed and sent to Proxmox, which says the container already runs.
    const start = await call(
      portal,
      token,
      'POST',
      '/api/proxmox/instances/home/guests/200/power/start',
    );
    assert.equal(start.status, 409, start.text);
    assert.equal(start.json.error.message, 'CT 200 already running');
  });

  test('the protected tag keeps even an admin from powering the control plane', async () => {
    await inCatalog(token, controlPlaneVm);
    const stop = await call(
      portal,
      token,
      'POST',
      '/api/proxmox/instances/home/guests/100/power/stop',
    );
    assert.equal(stop.status, 403, stop.text);
    assert.equal(
      stop.json.error.message,
      `You may not stop ${controlPlaneVm} (permission proxmox.guest.power)`,
    );
  });

  test('runs a template to completion', async () => {
    const { created, task } = await runTemplate(portal, token, {
      marker: 'admin-run',
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(task.status, 'completed');
  });

  test('reads the template form', async () => {
    const schema = await call(
      portal,
      token,
      'GET',
      '/api/scaffolder/v2/templates/default/template/test-echo/parameter-schema',
    );
    assert.equal(schema.status, 200, schema.text);
    assert.deepEqual(
      schema.json.steps.map(step => step.title),
      ['Marker'],
    );
  });

  test('sees the sealed-secret entity', async () => {
    const { status } = await call(
      portal,
      token,
      'GET',
      '/api/catalog/entities/by-name/resource/default/immich-db-credentials',
    );
    assert.equal(status, 200);
  });

  test('sees the Choose button on templates, and no notice', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    await signInAsGuest(page, portal.baseUrl);
    await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
    await page.goto(`${portal.baseUrl}/create`);
    await page.getByText('Test echo').first().waitFor({ timeout: 60_000 });
    await page
      .getByTestId('template-card-actions--create')
      .first()
      .waitFor({ timeout: 30_000 });
    assert.equal(
      await page.getByText('Only home admins can run templates').count(),
      0,
    );
    await screenshot(page, 'permissions-01-admin-templates');
    await page.close();
  });

  test('the backend logged no warnings or errors', () => {
    assert.deepEqual(warningsIn(portal, portal.logOffset), []);
  });
});

describe('as a family member (sam)', () => {
  let token;
  before(async () => {
    await becomes('user:default/sam');
    token = await signInWhenMemberOf(portal, 'group:default/family');
  });

  test('reads the catalog, minus the entities that describe secrets', async () => {
    const { status, json } = await call(
      portal,
      token,
      'GET',
      '/api/catalog/entities?fields=kind,metadata.name',
    );
    assert.equal(status, 200);
    const names = json.map(e => `${e.kind}:${e.metadata.name}`);
    assert.ok(names.includes('Component:immich'), 'apps are readable');
    assert.ok(names.includes('System:homelab'));
    assert.ok(!names.includes('Resource:immich-db-credentials'));
    const direct = await call(
      portal,
      token,
      'GET',
      '/api/catalog/entities/by-name/resource/default/immich-db-credentials',
    );
    assert.equal(direct.status, 404, 'not even by name');
  });

  test('sees app status through the Kubernetes plugin, but not its proxy', async () => {
    const clusters = await call(
      portal,
      token,
      'GET',
      '/api/kubernetes/clusters',
    );
    assert.equal(clusters.status, 200, clusters.text);
    const proxy = await call(
      portal,
      token,
      'GET',
      '/api/kubernetes/proxy/api/v1/namespaces/immich/secrets',
    );
    assert.equal(proxy.status, 403, proxy.text);
  });

  test('cannot run templates, read their parameters or see task logs', async () => {
    const { created } = await runTemplate(portal, token, {
      marker: 'family-run',
    });
    assert.equal(created.status, 403, created.text);
    const schema = await call(
      portal,
      token,
      'GET',
      '/api/scaffolder/v2/templates/default/template/test-echo/parameter-schema',
    );
    // The scaffolder answers with the template's title but strips every
    // parameter step the user may not read (the admin sees one, below).
    assert.equal(schema.status, 200, schema.text);
    assert.deepEqual(schema.json.steps, []);
    const tasks = await call(portal, token, 'GET', '/api/scaffolder/v2/tasks');
    // The admin's run above exists in this database; family sees none of it.
    assert.ok(
      tasks.status === 403 || (tasks.json?.tasks ?? []).length === 0,
      `task list: HTTP ${tasks.status} ${tasks.text.slice(0, 200)}`,
    );
  });

  test('reads the Proxmox and Talos views', async () => {
    assert.deepEqual(
      (await readStatuses(token)).filter(a => !a.endsWith('→ 200')),
      [],
    );
  });

  test('cannot power guests, refresh or change the catalog', async () => {
    const start = await call(
      portal,
      token,
      'POST',
      '/api/proxmox/instances/home/guests/200/power/start',
    );
    assert.equal(start.status, 403, start.text);
    assert.deepEqual(
      await decisions(portal, token, [
        {
          name: 'proxmox.guest.power',
          type: 'resource',
          resourceType: 'catalog-entity',
          attributes: { action: 'update' },
          resourceRef: 'resource:default/proxmox-home-ct-200',
        },
        { name: 'scaffolder.template.dry-run' },
        { name: 'kubernetes.clusters.read', attributes: { action: 'read' } },
      ]),
      {
        'proxmox.guest.power': 'DENY',
        'scaffolder.template.dry-run': 'DENY',
        'kubernetes.clusters.read': 'ALLOW',
      },
    );
    const refresh = await call(portal, token, 'POST', '/api/catalog/refresh', {
      entityRef: 'component:default/immich',
    });
    assert.equal(refresh.status, 403, refresh.text);
    const register = await call(
      portal,
      token,
      'POST',
      '/api/catalog/locations',
      {
        type: 'url',
        target: 'https://example.org/catalog-info.yaml',
      },
    );
    assert.equal(register.status, 403, register.text);
  });

  test('keeps user settings like everyone else', async () => {
    const put = await call(
      portal,
      token,
      'PUT',
      '/api/user-settings/buckets/default/keys/theme',
      { value: 'dark' },
    );
    assert.equal(put.status, 200, put.text);
  });

  test('is told in the browser why templates cannot be run', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    await signInAsGuest(page, portal.baseUrl);
    await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
    // Apps and docs are there.
    await page.goto(
      `${portal.baseUrl}/catalog?filters[kind]=component&filters[user]=all`,
    );
    await page.getByRole('link', { name: 'Immich' }).first().waitFor({
      timeout: 60_000,
    });
    await page.goto(`${portal.baseUrl}/create`);
    await page
      .getByText('Only home admins can run templates')
      .waitFor({ timeout: 60_000 });
    await page.getByText('Test echo').first().waitFor({ timeout: 60_000 });
    assert.equal(
      await page.getByTestId('template-card-actions--create').count(),
      0,
      'no Choose button on any template',
    );
    await screenshot(page, 'permissions-02-family-templates');
    await page.close();
  });

  test('the backend logged no warnings or errors', () => {
    assert.deepEqual(warningsIn(portal, portal.logOffset), []);
  });
});

describe('as someone in no group (visitor)', () => {
  let token;
  before(async () => {
    await becomes('user:default/visitor');
    token = await signInWhenMemberOf(portal, 'user:default/visitor');
  });

  test('reads nothing of Proxmox and Talos, and is told which permission', async () => {
    assert.deepEqual(
      (await readStatuses(token)).filter(a => !a.endsWith('→ 403')),
      [],
    );
    const { json } = await call(portal, token, 'GET', householdReads[0]);
    assert.match(json.error.message, /proxmox\.read/);
  });
});
