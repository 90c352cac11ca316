// Proxmox in the portal, end to end: the demo homelab's Proxmox VE (HTTPS,
// API tokens) behind the real production-build backend, in Chromium. The
// catalog fills with generated nodes, VMs, containers and storage; the
// Proxmox page shows live numbers and history; a VM's tab shows its state,
// and a home admin reboots it and watches the task run to its end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Portal } from './lib/portal.mjs';
import { Sim, testPorts } from './lib/sim.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-e2e-proxmox-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: testPorts.admin, proxmox: testPorts.proxmox },
  only: ['proxmox'],
});
let portal;
let browser;
let page;

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, { workDir, port: 7019, name: 'proxmox' });
  await portal.start();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

async function waitFor(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

test('the provider puts the household Proxmox into the catalog', async () => {
  const wanted = [
    'proxmox-home-node-pve',
    'proxmox-home-vm-100',
    'proxmox-home-vm-101',
    'proxmox-home-vm-102',
    'proxmox-home-vm-9000',
    'proxmox-home-ct-200',
    'proxmox-home-storage-pve-nas-backups',
  ];
  const items = await waitFor(async () => {
    const list = await portal.apiGet(
      '/api/catalog/entities?filter=kind=resource&fields=metadata.name,metadata.title,spec.type,spec.dependsOn,metadata.annotations',
    );
    const names = list.map(e => e.metadata.name);
    return wanted.every(n => names.includes(n)) ? list : undefined;
  }, 'the generated Proxmox entities');
  const vm = items.find(e => e.metadata.name === 'proxmox-home-vm-100');
  assert.equal(vm.metadata.title, 'talos-cp-1 (VM 100)');
  assert.equal(vm.spec.type, 'virtual-machine');
  assert.deepEqual(vm.spec.dependsOn, [
    'resource:default/proxmox-home-node-pve',
  ]);
  assert.equal(vm.metadata.annotations['proxmox.homelab.dev/vmid'], '100');
  assert.equal(
    items.find(e => e.metadata.name === 'proxmox-home-vm-9000').spec.type,
    'virtual-machine-template',
  );
  // Hand-written entities that depend on the VMs now resolve to them.
  await waitFor(async () => {
    const cluster = await portal.apiGet(
      '/api/catalog/entities/by-name/resource/default/kubernetes-cluster',
    );
    return (cluster.relations ?? []).some(
      r =>
        r.type === 'dependsOn' &&
        r.targetRef === 'resource:default/proxmox-home-vm-100',
    );
  }, 'kubernetes-cluster to depend on the generated VM 100');
});

test('the Proxmox page shows nodes with history, guests, storage and tasks', async () => {
  await signInAsGuest(page, portal.baseUrl);
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Proxmox' }).first().click();
  await page.getByText('VMs running').waitFor({ timeout: 60_000 });
  // Every VM of the household runs; the template does not count.
  const vms = parse(
    fs.readFileSync('packages/homelab-sim/scenarios/household.yaml', 'utf8'),
  ).proxmox.guests.filter(g => g.type === 'qemu' && !g.template);
  const running = vms.filter(g => (g.status ?? 'running') === 'running');
  await page.getByText(`${running.length} / ${vms.length}`).first().waitFor();
  await page
    .getByRole('img', { name: 'CPU' })
    .first()
    .waitFor({ timeout: 60_000 });
  const row = page.locator('tr', { hasText: 'talos-cp-1' });
  await row.getByText('192.168.1.21').waitFor({ timeout: 60_000 });
  await page
    .locator('tr', { hasText: 'haos' })
    .getByText(/days ago/)
    .waitFor({ timeout: 60_000 });
  await page.getByText('nas-backups').first().waitFor();
  await page.getByText('Recent tasks').waitFor();
  await page
    .getByText(/Data from/)
    .first()
    .waitFor();
  await screenshot(page, 'proxmox-01-page');
});

test("a VM's Proxmox tab shows status, addresses, configuration, backups and history", async () => {
  await page.goto(
    `${portal.baseUrl}/catalog/default/resource/proxmox-home-vm-101/proxmox`,
  );
  await page.getByText('QEMU VM 101 on node pve').waitFor({ timeout: 60_000 });
  await page.getByText(/192\.168\.1\.22\/24/).waitFor({ timeout: 30_000 });
  await page.getByText('6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100101').waitFor();
  await page.getByText(/Last backup: \d+ h ago/).waitFor({ timeout: 60_000 });
  await page.getByText(/may not list backup files/).waitFor();
  await page
    .getByRole('img', { name: 'CPU' })
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'proxmox-02-vm-tab');
});

test('a home admin reboots the VM and sees the task run to its end', async () => {
  const reboot = page.getByRole('button', { name: 'Reboot', exact: true });
  await reboot.waitFor();
  await assert.doesNotReject(async () => {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('button')].some(
          b => b.textContent === 'Reboot' && !b.disabled,
        ),
      undefined,
      { timeout: 30_000 },
    );
  });
  await reboot.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Reboot talos-worker-1 (VM 101)?').waitFor();
  await screenshot(page, 'proxmox-03-confirm');
  await dialog.getByRole('button', { name: 'Reboot' }).click();
  await page
    .getByRole('status')
    .getByText(/Proxmox is running the task/)
    .waitFor({ timeout: 15_000 });
  await screenshot(page, 'proxmox-04-running');
  await page.getByText('Reboot: OK').waitFor({ timeout: 60_000 });
  // The portal recorded who did what, and how it ended.
  const history = page.locator('tr', { hasText: 'user:default/guest' }).first();
  await history.getByText('reboot').waitFor({ timeout: 30_000 });
  await history.getByText('ok', { exact: true }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'proxmox-05-rebooted');
  const actions = await portal.apiGet(
    '/api/proxmox/instances/home/guests/101/power-actions',
  );
  assert.equal(actions.actions[0].action, 'reboot');
  assert.equal(actions.actions[0].result, 'ok');
  assert.equal(actions.actions[0].actor, 'user:default/guest');
  assert.match(
    actions.actions[0].upid,
    /^UPID:pve:.*:qmreboot:101:backstage@pve!power:$/,
  );
});

test('the backend logged no warnings or errors', () => {
  const problems = portal
    .logText()
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line));
  assert.deepEqual(problems, []);
});
