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

/** The permissions the table below asks the policy about, by name. */
const permissionRequests = {
  'scaffolder.task.create': {
    name: 'scaffolder.task.create',
    attributes: { action: 'create' },
  },
  'scaffolder.template.dry-run': { name: 'scaffolder.template.dry-run' },
  'proxmox.guest.power': {
    name: 'proxmox.guest.power',
    type: 'resource',
    resourceType: 'catalog-entity',
    attributes: { action: 'update' },
    resourceRef: 'resource:default/proxmox-home-ct-200',
  },
  'kubernetes.proxy': { name: 'kubernetes.proxy' },
  'kubernetes.clusters.read': {
    name: 'kubernetes.clusters.read',
    attributes: { action: 'read' },
  },
  'catalog.entity.refresh': {
    name: 'catalog.entity.refresh',
    attributes: { action: 'update' },
  },
};

const parameterSchemaRoute =
  '/api/scaffolder/v2/templates/default/template/test-echo/parameter-schema';

/** Checks that only the home admin's row has. */
function adminOnly(getToken) {
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

  test('the protected tag keeps even an admin from powering the control plane', async () => {
    await inCatalog(getToken(), controlPlaneVm);
    const stop = await call(
      portal,
      getToken(),
      'POST',
      '/api/proxmox/instances/home/guests/100/power/stop',
    );
    assert.equal(stop.status, 403, stop.text);
    assert.equal(
      stop.json.error.message,
      `You may not stop ${controlPlaneVm} (permission proxmox.guest.power)`,
    );
  });
}

/** Checks that only the family member's row has. */
function familyOnly(getToken) {
  test('reads the catalog, minus the entities that describe secrets', async () => {
    const { status, json } = await call(
      portal,
      getToken(),
      'GET',
      '/api/catalog/entities?fields=kind,metadata.name',
    );
    assert.equal(status, 200);
    const names = json.map(e => `${e.kind}:${e.metadata.name}`);
    assert.ok(names.includes('Component:immich'), 'apps are readable');
    assert.ok(names.includes('System:homelab'));
    assert.ok(!names.includes('Resource:immich-db-credentials'));
  });

  test('sees app status through the Kubernetes plugin, but not its proxy', async () => {
    const clusters = await call(
      portal,
      getToken(),
      'GET',
      '/api/kubernetes/clusters',
    );
    assert.equal(clusters.status, 200, clusters.text);
    const proxy = await call(
      portal,
      getToken(),
      'GET',
      '/api/kubernetes/proxy/api/v1/namespaces/immich/secrets',
    );
    assert.equal(proxy.status, 403, proxy.text);
  });

  test('cannot see task logs', async () => {
    const tasks = await call(
      portal,
      getToken(),
      'GET',
      '/api/scaffolder/v2/tasks',
    );
    // The admin's run above exists in this database; family sees none of it.
    assert.ok(
      tasks.status === 403 || (tasks.json?.tasks ?? []).length === 0,
      `task list: HTTP ${tasks.status} ${tasks.text.slice(0, 200)}`,
    );
  });

  test('cannot refresh or change the catalog', async () => {
    const refresh = await call(
      portal,
      getToken(),
      'POST',
      '/api/catalog/refresh',
      { entityRef: 'component:default/immich' },
    );
    assert.equal(refresh.status, 403, refresh.text);
    const register = await call(
      portal,
      getToken(),
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
      getToken(),
      'PUT',
      '/api/user-settings/buckets/default/keys/theme',
      { value: 'dark' },
    );
    assert.equal(put.status, 200, put.text);
  });
}

/** Checks that only the row of someone in no group has. */
function visitorOnly(getToken) {
  test('is told which permission the Proxmox views need', async () => {
    const { json } = await call(portal, getToken(), 'GET', householdReads[0]);
    assert.match(json.error.message, /proxmox\.read/);
  });
}

/**
 * One row per person, with what the same checks must find for them; a check
 * whose field a row leaves out does not apply to that person. `only` holds
 * the checks no other row shares.
 */
const people = [
  {
    who: 'a home admin (alex)',
    user: 'user:default/alex',
    memberOf: 'group:default/home-admins',
    householdReads: 200,
    decisions: {
      'scaffolder.task.create': 'ALLOW',
      'scaffolder.template.dry-run': 'ALLOW',
      'proxmox.guest.power': 'ALLOW',
      'kubernetes.proxy': 'ALLOW',
      'catalog.entity.refresh': 'ALLOW',
    },
    // Allowed and sent to Proxmox, which says the container already runs.
    startContainer: { status: 409, message: 'CT 200 already running' },
    templateRun: { marker: 'admin-run', status: 201 },
    templateSteps: ['Marker'],
    secretEntity: 200,
    templatesPage: {
      title: 'sees the Choose button on templates, and no notice',
      mayChoose: true,
      screenshot: 'permissions-01-admin-templates',
    },
    logsClean: true,
    only: adminOnly,
  },
  {
    who: 'a family member (sam)',
    user: 'user:default/sam',
    memberOf: 'group:default/family',
    householdReads: 200,
    decisions: {
      'proxmox.guest.power': 'DENY',
      'scaffolder.template.dry-run': 'DENY',
      'kubernetes.clusters.read': 'ALLOW',
    },
    startContainer: { status: 403 },
    templateRun: { marker: 'family-run', status: 403 },
    // The scaffolder answers with the template's title but strips every
    // parameter step the user may not read.
    templateSteps: [],
    secretEntity: 404,
    templatesPage: {
      title: 'is told in the browser why templates cannot be run',
      mayChoose: false,
      appLink: 'Immich',
      screenshot: 'permissions-02-family-templates',
    },
    logsClean: true,
    only: familyOnly,
  },
  {
    who: 'someone in no group (visitor)',
    user: 'user:default/visitor',
    memberOf: 'user:default/visitor',
    householdReads: 403,
    only: visitorOnly,
  },
];

for (const person of people) {
  describe(`as ${person.who}`, () => {
    let token;
    const getToken = () => token;
    before(async () => {
      await becomes(person.user);
      token = await signInWhenMemberOf(portal, person.memberOf);
    });

    test(`every household read listed answers ${person.householdReads}`, async () => {
      assert.deepEqual(
        (await readStatuses(token)).filter(
          a => !a.endsWith(`→ ${person.householdReads}`),
        ),
        [],
      );
    });

    if (person.decisions) {
      test('the policy decides templates, dry-runs, power actions and Kubernetes reads', async () => {
        await inCatalog(token, 'resource:default/proxmox-home-ct-200');
        assert.deepEqual(
          await decisions(
            portal,
            token,
            Object.keys(person.decisions).map(n => permissionRequests[n]),
          ),
          person.decisions,
        );
      });
    }

    if (person.startContainer) {
      test(`starting a container answers ${person.startContainer.status}`, async () => {
        const start = await call(
          portal,
          token,
          'POST',
          '/api/proxmox/instances/home/guests/200/power/start',
        );
        assert.equal(start.status, person.startContainer.status, start.text);
        if (person.startContainer.message) {
          assert.equal(start.json.error.message, person.startContainer.message);
        }
      });
    }

    if (person.templateRun) {
      test(`running a template answers ${person.templateRun.status}`, async () => {
        const { created, task } = await runTemplate(portal, token, {
          marker: person.templateRun.marker,
        });
        assert.equal(created.status, person.templateRun.status, created.text);
        if (created.status === 201) assert.equal(task.status, 'completed');
      });
    }

    if (person.templateSteps) {
      test('reads the template form, with the steps it may read', async () => {
        const schema = await call(portal, token, 'GET', parameterSchemaRoute);
        assert.equal(schema.status, 200, schema.text);
        assert.deepEqual(
          schema.json.steps.map(step => step.title),
          person.templateSteps,
        );
      });
    }

    if (person.secretEntity) {
      test(`the sealed-secret entity, by name, answers ${person.secretEntity}`, async () => {
        const { status } = await call(
          portal,
          token,
          'GET',
          '/api/catalog/entities/by-name/resource/default/immich-db-credentials',
        );
        assert.equal(status, person.secretEntity);
      });
    }

    person.only(getToken);

    const templatesPage = person.templatesPage;
    if (templatesPage) {
      test(templatesPage.title, async () => {
        const page = await browser.newPage({
          viewport: { width: 1400, height: 900 },
        });
        await signInAsGuest(page, portal.baseUrl);
        await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
        if (templatesPage.appLink) {
          // Apps and docs are there.
          await page.goto(
            `${portal.baseUrl}/catalog?filters[kind]=component&filters[user]=all`,
          );
          await page
            .getByRole('link', { name: templatesPage.appLink })
            .first()
            .waitFor({ timeout: 60_000 });
        }
        await page.goto(`${portal.baseUrl}/create`);
        const notice = page.getByText('Only home admins can run templates');
        const choose = page.getByTestId('template-card-actions--create');
        if (!templatesPage.mayChoose) {
          await notice.waitFor({ timeout: 60_000 });
        }
        await page.getByText('Test echo').first().waitFor({ timeout: 60_000 });
        if (templatesPage.mayChoose) {
          await choose.first().waitFor({ timeout: 30_000 });
          assert.equal(await notice.count(), 0);
        } else {
          assert.equal(
            await choose.count(),
            0,
            'no Choose button on any template',
          );
        }
        await screenshot(page, templatesPage.screenshot);
        await page.close();
      });
    }

    if (person.logsClean) {
      test('the backend logged no warnings or errors', () => {
        assert.deepEqual(warningsIn(portal, portal.logOffset), []);
      });
    }
  });
}
