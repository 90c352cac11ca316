// The household at a glance, on the demo homelab: the drift report lists
// exactly the seeded drift; certificates are coloured by days left; Renovate
// pull requests show on each app; the failing app names its failing step; the
// Kubernetes tab shows the forbidden kind with the rule to add while the rest
// renders; "Add an app" is followed past its pull request: merged in the
// forge, reconciled by Flux, running; the home page's cards, one of them with
// its source down. Real production-build backend, Debian Chromium.
// Portal on port 7031, sim on its own ports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Portal } from './lib/portal.mjs';
import { Sim } from './lib/sim.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-e2e-delivery-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: {
    admin: 27031,
    proxmox: 28031,
    talos: 25031,
    kubernetes: 26431,
    forge: 23031,
  },
});
let portal;
let browser;
let page;

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, {
    workDir,
    port: 7031,
    name: 'delivery',
    // Read the forge and the cluster every 2 s, so each stage shows up.
    extraConfig: { gitops: { cacheSeconds: 2 } },
  });
  await portal.start();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  await signInAsGuest(page, portal.baseUrl);
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

async function api(method, pathname, body) {
  const token = await portal.guestToken();
  const res = await fetch(`${portal.baseUrl}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function until(what, probe, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}: ${
          last?.message ?? JSON.stringify(last)
        }`,
      );
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** The drift the demo household is seeded with, and nothing else. */
const SEEDED_DRIFT = [
  'app-without-entity stirling-pdf',
  'unlinked-route pdf.home.example.org',
  'unowned-guest docker-playground (VM 110)',
];

test('the drift report lists exactly the seeded drift, each with what to do', async () => {
  // The Proxmox provider and the catalog's stitching run on their own schedule.
  const report = await until('the seeded drift', async () => {
    const r = await api('GET', '/api/gitops/drift');
    const lines = r.items.map(i => `${i.kind} ${i.subject}`).sort();
    if (JSON.stringify(lines) !== JSON.stringify(SEEDED_DRIFT))
      throw new Error(`drift is ${lines.join('; ')}`);
    return r;
  });
  assert.deepEqual(report.errors, []);
  await page.goto(`${portal.baseUrl}/drift`);
  await page.getByText('Drift (3)').waitFor({ timeout: 60_000 });
  for (const subject of [
    'stirling-pdf',
    'pdf.home.example.org',
    'docker-playground (VM 110)',
  ])
    await page.getByRole('cell', { name: subject, exact: true }).waitFor();
  await page
    .getByRole('link', { name: 'Add a catalog-info.yaml in its folder' })
    .waitFor();
  await screenshot(page, 'delivery-01-drift');
});

test('certificates are coloured by days left and readiness', async () => {
  await page.goto(`${portal.baseUrl}/delivery`);
  await page.getByTestId('days-left-chart').waitFor({ timeout: 60_000 });
  const levels = {};
  for (const name of [
    'home-example-org-tls',
    'external-home-example-org-tls',
    'mqtt-home-example-org-tls',
  ]) {
    const row = page
      .getByRole('row')
      .filter({ has: page.getByText(name, { exact: true }) })
      .first();
    levels[name] = await row.locator('[data-level]').getAttribute('data-level');
  }
  assert.deepEqual(levels, {
    'home-example-org-tls': 'ok',
    'external-home-example-org-tls': 'warning',
    'mqtt-home-example-org-tls': 'error',
  });
  await page
    .getByText(/Renewal failing: .*rateLimited/)
    .first()
    .waitFor();
  await screenshot(page, 'delivery-02-page-certificates-updates');
});

test('each app shows its Renovate pull requests', async () => {
  await page.goto(
    `${portal.baseUrl}/catalog/default/component/vikunja/delivery`,
  );
  const updates = page
    .getByRole('row')
    .filter({ hasText: 'docker.io/vikunja/vikunja' });
  await updates.first().waitFor({ timeout: 90_000 });
  assert.match(
    await updates.first().innerText(),
    /0\.24\.6 → 0\.24\.7[\s\S]*patch[\s\S]*home-ops#\d+/,
  );
  // The Argo CD repository's Renovate pull request belongs to jellyfin, not here.
  assert.equal(await page.getByText('ghcr.io/jellyfin/jellyfin').count(), 0);
  await screenshot(page, 'delivery-03-vikunja-updates');
  await page.goto(
    `${portal.baseUrl}/catalog/default/component/linkding/delivery`,
  );
  await page
    .getByRole('row')
    .filter({ hasText: '1.44.1 → 2.0.0' })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.getByText('major', { exact: true }).first().waitFor();
  await screenshot(page, 'delivery-04-linkding-major-update');
});

test('the failing app shows the failing step and its message', async () => {
  await page.goto(
    `${portal.baseUrl}/catalog/default/component/actual-budget/delivery`,
  );
  const flux = page.getByTestId('delivery-home-ops');
  await flux.getByText('Flux: failed').waitFor({ timeout: 60_000 });
  await flux
    .getByText(
      /^HelmRelease upgrade failed: Helm upgrade failed for release productivity\/actual-budget with chart app-template@5\.1\.0: cannot patch "actual-budget"/,
    )
    .waitFor();
  assert.equal(
    await flux.getByTestId('step-reconcile').getAttribute('data-state'),
    'failed',
  );
  const argo = page.getByTestId('delivery-k8s-gitops');
  await argo.getByText('Argo CD: failed').waitFor();
  await argo
    .getByText(/^Argo CD sync failed: one or more objects failed to apply/)
    .waitFor();
  await screenshot(page, 'delivery-05-failing-app');
});

test('the Kubernetes tab shows the forbidden kind with its RBAC rule, and the rest', async () => {
  await page.goto(
    `${portal.baseUrl}/catalog/default/component/immich/kubernetes`,
  );
  await page
    .getByText(
      'Not allowed to list horizontalpodautoscalers.autoscaling in homelab (Talos v1.10.6)',
    )
    .waitFor({ timeout: 90_000 });
  assert.equal(
    await page.getByTestId('rbac-rule').innerText(),
    '- apiGroups: ["autoscaling"]\n  resources: ["horizontalpodautoscalers"]\n  verbs: ["get", "list", "watch"]',
  );
  // Everything else still renders: the route with its conditions, the cluster's workloads.
  const routes = page.getByTestId('routes-table');
  await routes.getByText('photos.home.example.org').waitFor();
  await routes.getByText('Accepted=True').first().waitFor();
  await routes
    .getByText(/listener https/)
    .first()
    .waitFor();
  await page.getByText('immich-server').first().waitFor();
  await screenshot(page, 'delivery-06-kubernetes-forbidden-kind');
});

test('"Add an app" is followed past its pull request: merged, reconciled, running', async () => {
  const task = await api('POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/add-app',
    values: {
      name: 'kitchenowl',
      title: 'KitchenOwl',
      description: 'Shopping lists and meal planning for the family.',
      owner: 'group:default/home-admins',
      namespace: 'productivity',
      image: 'docker.io/tombursch/kitchenowl:v0.7.4',
      port: 8080,
      exposure: 'internal',
      subdomain: 'kitchen',
      domain: 'home.example.org',
      repository: 'home-ops/home-ops',
      forge: 'github',
    },
    secrets: {},
  });
  await page.goto(`${portal.baseUrl}/create/tasks/${task.id}`);
  const follow = page.getByRole('link', {
    name: 'Follow it from merge to running',
  });
  await follow.waitFor({ timeout: 180_000 });
  const pullUrl = await page
    .getByRole('link', { name: 'Pull request' })
    .getAttribute('href');
  await screenshot(page, 'delivery-07-task-links');
  await follow.click();
  await page.getByText('Following kitchenowl').waitFor({ timeout: 30_000 });
  const timeline = page.getByTestId('delivery-home-ops').first();
  await timeline
    .getByText(/is waiting to be merged/)
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'delivery-08-awaiting-merge');

  // Merge in the demo forge, as a household admin would.
  const number = pullUrl.split('/').pop();
  const token = fs
    .readFileSync(path.join(sim.stateDir, 'forge/token'), 'utf8')
    .trim();
  const merged = await fetch(
    `${sim.url('forge')}/api/v3/repos/home-ops/home-ops/pulls/${number}/merge`,
    {
      method: 'PUT',
      headers: {
        authorization: `token ${token}`,
        'content-type': 'application/json',
      },
      body: '{}',
      dispatcher: sim.dispatcher,
    },
  );
  assert.equal(merged.status, 200, await merged.text());

  // What the backend says, every second, until the app runs.
  const seen = [];
  await until('kitchenowl to run', async () => {
    const { apps } = await api('GET', '/api/gitops/deliveries?app=kitchenowl');
    const d = apps.find(a => a.repository === 'home-ops');
    const state = d?.steps.map(s => `${s.id}:${s.state}`).join(' ');
    if (state && seen[seen.length - 1] !== state) seen.push(state);
    return d?.state === 'done';
  });
  assert.ok(
    seen.some(
      s =>
        s.startsWith('pull-request:done reconcile:in-progress') ||
        s.startsWith('pull-request:done reconcile:pending'),
    ),
    `merged before reconciled: ${seen.join(' | ')}`,
  );
  // Flux installs the release before its Kustomization turns Ready, so the
  // workload may be up first; either way the workload is seen on its way,
  // not jumping from pending to live with the reconcile. (Polled every
  // second: on a busy machine the reconcile may finish between two polls.)
  assert.ok(
    seen.some(s => /workload:in-progress/.test(s)) ||
      seen.some(s => /reconcile:done workload:pending/.test(s)) ||
      seen.some(s => /reconcile:in-progress workload:done/.test(s)),
    `reconciled before ready: ${seen.join(' | ')}`,
  );
  await timeline.getByText('Flux: live').waitFor({ timeout: 30_000 });
  await timeline.getByText('Workload: live').waitFor();
  await timeline
    .getByText(
      'Helm install succeeded for release productivity/kitchenowl.v1 with chart app-template@5.1.0',
    )
    .waitFor();
  await timeline
    .getByText(/https:\/\/kitchen\.home\.example\.org: accepted by internal/)
    .waitFor();
  await screenshot(page, 'delivery-09-merged-reconciled-running');
});

test('the home page shows the household at a glance; a card whose source is down says so', async () => {
  await page.goto(portal.baseUrl);
  for (const card of [
    'Apps',
    'Certificates',
    'Updates',
    'Drift',
    'Backups',
    'Upgrades',
  ])
    await page.getByTestId(`card-${card}`).waitFor({ timeout: 90_000 });
  await page.getByText(/of \d+ apps up/).waitFor();
  await page
    .getByText(/updates pending, \d+ pull requests awaiting merge/)
    .waitFor();
  await page.getByText('Never backed up').first().waitFor();
  await page
    .getByText(/Checked \d+ s ago/)
    .first()
    .waitFor();
  await screenshot(page, 'delivery-10-home');

  await sim.addFault({ service: 'forge', kind: 'error', status: 503 });
  try {
    await new Promise(r => setTimeout(r, 3000)); // past the backend's 2 s cache
    await page.reload();
    await page
      .getByTestId('card-Updates')
      .getByText(
        /Could not read the forge: the forge of home-ops answered HTTP 503/,
      )
      .waitFor({ timeout: 60_000 });
    // The cluster's cards still render, and do not blame the forge.
    const certificates = page.getByTestId('card-Certificates');
    await certificates.getByText(/need attention/).waitFor();
    assert.equal(await certificates.getByText(/Could not read/).count(), 0);
    await page.getByText(/of \d+ apps up/).waitFor();
    await screenshot(page, 'delivery-11-home-forge-down');
  } finally {
    await sim.clearFaults('forge');
  }
});
