// The Kubernetes tab on the demo homelab: the real production-build backend
// with the upstream kubernetes plugins, wired by the config the sim writes
// (service-account token and CA from the sim's state folder), in Debian
// Chromium. paperless-ngx is crash looping in the demo; immich is healthy and
// exposed through an HTTPRoute. Portal on port 7018.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Portal } from './lib/portal.mjs';
import { Sim } from './lib/sim.mjs';

const workDir = fs.mkdtempSync(
  path.join(os.tmpdir(), 'homelab-e2e-kubernetes-'),
);
const sim = new Sim({ stateDir: path.join(workDir, 'sim') });
let portal;
let browser;
let page;

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, { workDir, port: 7018, name: 'kubernetes' });
  await portal.start();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await signInAsGuest(page, portal.baseUrl);
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

/** Waits until the catalog has read the household's components. */
async function waitForEntity(name) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await portal.apiGet(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}

/** Opens an entity's Kubernetes tab and waits for its cluster. */
async function openKubernetesTab(name) {
  await waitForEntity(name);
  await page.goto(
    `${portal.baseUrl}/catalog/default/component/${name}/kubernetes`,
  );
  await page.getByText(CLUSTER).first().waitFor({ timeout: 60_000 });
}

const CLUSTER = 'homelab (Talos v1.10.6)';

/** Expands an accordion of the tab: the cluster, a workload, a custom resource. */
async function expand(name, kind) {
  const summary = page
    .locator('[role="button"][aria-expanded]')
    .filter({ hasText: new RegExp(`^${name}\\s*${kind}`) })
    .first();
  await summary.waitFor({ timeout: 30_000 });
  // Keyboard, not a click: a click may land on a name or an HPA summary
  // inside the header, which open drawers instead.
  if ((await summary.getAttribute('aria-expanded')) !== 'true')
    await summary.press('Enter');
  await page
    .locator('[role="button"][aria-expanded="true"]')
    .filter({ hasText: new RegExp(`^${name}\\s*${kind}`) })
    .first()
    .waitFor();
}

test('the crash-looping paperless-ngx shows its cluster, deployment and failing pod', async () => {
  await openKubernetesTab('paperless-ngx');
  // The container runs 3 s of every 5 min; outside that it backs off. Look
  // again if the page was caught in that window.
  const backOff = page
    .getByText(
      /back-off 5m0s restarting failed container=paperless-ngx pod=paperless-ngx-/,
    )
    .first();
  for (let i = 0; i < 3 && !(await backOff.isVisible()); i++) {
    await new Promise(r => setTimeout(r, 4000));
    await page.reload();
    await page.getByText(CLUSTER).first().waitFor({ timeout: 60_000 });
  }
  // The tab's error report: the deployment is unavailable, the pod restarts.
  await backOff.waitFor({ timeout: 30_000 });
  await page
    .getByText('Deployment does not have minimum availability.')
    .waitFor();
  await page
    .getByText(/^container=paperless-ngx restarted \d+ times$/)
    .first()
    .waitFor();
  await screenshot(page, 'kubernetes-01-paperless-errors');

  // The cluster, then the deployment: one pod, not ready, in CrashLoopBackOff.
  await expand('homelab \\(Talos v1\\.10\\.6\\)', 'Cluster');
  await page.getByText('1 pod with errors').first().waitFor();
  await expand('paperless-ngx', 'Deployment');
  const row = page.getByRole('row', {
    name: /^paperless-ngx-[a-z0-9]{10}-[a-z0-9]{5}/,
  });
  await row.getByText('CrashLoopBackOff').waitFor({ timeout: 30_000 });
  await row.getByText('0/1').waitFor();
  const restarts = Number(/0\/1\s+(\d+)/.exec(await row.innerText())?.[1]);
  assert.ok(restarts > 5, `expected restarts, saw ${restarts}`);
  await screenshot(page, 'kubernetes-02-paperless-pod');
});

test('the healthy immich shows its pods OK and its HTTPRoute', async () => {
  await openKubernetesTab('immich');
  await expand('homelab \\(Talos v1\\.10\\.6\\)', 'Cluster');
  await page.getByText('2 pods').first().waitFor();
  await page.getByText('No pods with errors').first().waitFor();
  assert.equal(await page.getByText('Error Reporting').count(), 0);
  // Both workloads run a ready pod.
  for (const name of ['immich-server', 'immich-machine-learning']) {
    await expand(name, 'Deployment');
    const row = page.getByRole('row', {
      name: new RegExp(`^${name}-[a-z0-9]{10}-[a-z0-9]{5}`),
    });
    await row.getByText('Running').waitFor({ timeout: 30_000 });
    await row.getByText('1/1').waitFor();
    await row.getByText('OK').waitFor();
  }
  // The HTTPRoute custom resource, accepted by the Gateway's controller.
  await expand('immich-server', 'HTTPRoute');
  await page
    .getByText('Accepted HTTPRoute')
    .first()
    .waitFor({ timeout: 30_000 });
  await page.getByText('io.cilium/gateway-controller').first().waitFor();
  await screenshot(page, 'kubernetes-03-immich');
});

test('the backend logged no warnings or errors but the forbidden kind', () => {
  // The demo's ClusterRole lacks autoscaling on purpose: upstream warns once
  // per fetch about that 403, and the tab shows the rule to add.
  const problems = portal
    .logText()
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line))
    .filter(line => !line.includes('horizontalpodautoscalers\\" from cluster'));
  assert.deepEqual(problems, []);
});
