// Talos in the portal on the demo homelab: the production-build backend
// reads the simulated cluster over gRPC with mTLS (the reader talosconfig the
// sim writes), the Kubernetes API for the health checks, and the catalog for
// the VM entities. In Debian Chromium: the cluster page, a Talos VM's tab,
// and the worker taken down by a sim fault showing as down while the rest
// still renders. Portal on port 7020.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Portal } from './lib/portal.mjs';
import { Sim, testPorts } from './lib/sim.mjs';
import { repoRoot } from './lib/stage.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-e2e-talos-'));
/** Whether a port on 127.0.0.1 is free (another suite's sim may hold it). */
function portFree(port) {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Talos on its test ports (base, base+1, base+99) when free; everything else
// on free ports, so this suite can run next to the others.
const talosPort = (
  await Promise.all([0, 1, 99].map(i => portFree(testPorts.talos + i)))
).every(Boolean)
  ? testPorts.talos
  : 0;
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { talos: talosPort, proxmox: 0, kubernetes: 0, forge: 0, admin: 0 },
});
const VMS = ['proxmox-home-vm-100', 'proxmox-home-vm-101'];
/** False when the suite had to register stand-in VM entities. */
let vmsFromProvider = true;
let portal;
let browser;
let page;

/**
 * The Talos VMs as the Proxmox provider names them (catalog/README.md),
 * for a portal whose provider is not producing them.
 */
function writeTestVmEntities() {
  const file = path.join(workDir, 'talos-vms.yaml');
  const vm = (vmid, name, role) => `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: proxmox-home-vm-${vmid}
  title: ${name} (VM ${vmid})
  annotations:
    proxmox.homelab.dev/instance: home
    proxmox.homelab.dev/node: pve
    proxmox.homelab.dev/vmid: "${vmid}"
    proxmox.homelab.dev/type: qemu
  tags: [talos, ${role}]
spec:
  type: virtual-machine
  owner: group:home-admins
  system: homelab
`;
  fs.writeFileSync(
    file,
    [
      vm(100, 'talos-cp-1', 'controlplane'),
      vm(101, 'talos-worker-1', 'worker'),
    ].join('---\n'),
  );
  return file;
}

async function vmsInCatalog(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await Promise.all(
      VMS.map(name =>
        portal
          .apiGet(`/api/catalog/entities/by-name/resource/default/${name}`)
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    if (found.every(Boolean)) return true;
    if (Date.now() > deadline) return false;
    await new Promise(r => setTimeout(r, 2000));
  }
}

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, { workDir, port: 7020, name: 'talos' });
  await portal.start();
  // The Proxmox provider makes the VM entities; without it, register them here.
  if (!(await vmsInCatalog(90_000))) {
    vmsFromProvider = false;
    portal.extraConfig = {
      catalog: {
        locations: [
          { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
          { type: 'file', target: writeTestVmEntities() },
        ],
      },
    };
    await portal.restart();
    assert.ok(
      await vmsInCatalog(120_000),
      'the Talos VM entities are in the catalog',
    );
  }
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

test('the backend reads the cluster over mTLS and checks it against the Kubernetes API', async () => {
  const view = await portal.apiGet('/api/talos/clusters/homelab');
  assert.deepEqual(
    view.nodes.map(n => [n.hostname, n.role, n.reachable]),
    [
      ['talos-cp-1', 'controlplane', true],
      ['talos-worker-1', 'worker', true],
    ],
  );
  assert.deepEqual(view.roles, ['os:reader']);
  assert.equal(
    view.kubernetes.configured,
    true,
    'the Kubernetes API of the cluster is configured',
  );
  const health = Object.fromEntries(view.health.map(c => [c.id, c]));
  for (const id of [
    'etcd-healthy',
    'apid-ready',
    'boot-finished',
    'k8s-nodes-reported',
    'k8s-nodes-ready',
  ]) {
    assert.equal(health[id].status, 'pass', `${id}: ${health[id].reason}`);
  }
  // Each node is tied to its VM entity and its Kubernetes Node.
  assert.deepEqual(
    view.links.map(l => [
      l.vm?.entityRef,
      l.kubernetesNode?.name,
      l.kubernetesNode?.matchedBy,
    ]),
    [
      ['resource:default/proxmox-home-vm-100', 'talos-cp-1', 'smbios-uuid'],
      ['resource:default/proxmox-home-vm-101', 'talos-worker-1', 'smbios-uuid'],
    ],
  );
  // The provider annotates Talos VMs with their SMBIOS UUID, so the VM link
  // is exact too (hand-registered stand-ins only have the name).
  assert.deepEqual(
    view.links.map(l => l.vm?.matchedBy),
    vmsFromProvider ? ['smbios-uuid', 'smbios-uuid'] : ['name', 'name'],
  );
});

test('the Talos page shows nodes, health checks, etcd, upgrades and charts', async () => {
  await page.goto(`${portal.baseUrl}/talos`);
  const cp = page.getByTestId('node-row-192.168.1.21');
  await cp
    .getByText('talos-cp-1', { exact: true })
    .waitFor({ timeout: 60_000 });
  await cp.getByText(/Up · running, ready/).waitFor();
  await page
    .getByTestId('node-row-192.168.1.22')
    .getByText('talos-worker-1', { exact: true })
    .waitFor();
  await page.getByText('all k8s nodes to report ready — pass').waitFor();
  await page.getByRole('table', { name: 'etcd' }).getByText('Leader').waitFor();
  await page.getByText('Newest release:').first().waitFor();
  // Charts need two samples; the backend takes one every 10 s while someone looks.
  await page.locator('.recharts-surface').first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'talos-01-cluster');
  await page.getByRole('table', { name: 'Services' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'talos-01b-cluster-services');
});

test("a Talos VM's tab shows its node and the VM ↔ Talos node ↔ Kubernetes Node links", async () => {
  await page.goto(
    `${portal.baseUrl}/catalog/default/resource/proxmox-home-vm-100/talos`,
  );
  await page
    .getByText('VM, Talos node and Kubernetes Node')
    .first()
    .waitFor({ timeout: 60_000 });
  await page
    .getByText(/matched by SMBIOS UUID/)
    .first()
    .waitFor();
  await page
    .getByRole('table', { name: 'Services' })
    .getByText('etcd')
    .waitFor();
  await screenshot(page, 'talos-02-vm-tab');
});

test('a node taken down shows as down while the rest still renders', async () => {
  await sim.addFault({ service: 'talos/talos-worker-1', kind: 'down' });
  try {
    await page.goto(`${portal.baseUrl}/talos`);
    const worker = page.getByTestId('node-row-192.168.1.22');
    // The cache may still hold the last answer for a few seconds.
    await worker.getByText('Down').waitFor({ timeout: 60_000 });
    await worker.getByText(/192\.168\.1\.22 is unreachable/).waitFor();
    await page
      .getByTestId('node-row-192.168.1.21')
      .getByText(/Up · running, ready/)
      .waitFor();
    await page.getByText('apid to be ready — fail').waitFor();
    await page
      .getByRole('table', { name: 'Services' })
      .getByText('node down')
      .first()
      .waitFor();
    await screenshot(page, 'talos-03-worker-down');

    await page.goto(
      `${portal.baseUrl}/catalog/default/resource/proxmox-home-vm-101/talos`,
    );
    await page
      .getByText(/This Talos node does not answer/)
      .waitFor({ timeout: 60_000 });
    await page
      .getByText('VM, Talos node and Kubernetes Node')
      .first()
      .waitFor();
    await screenshot(page, 'talos-04-worker-down-vm-tab');
  } finally {
    await sim.clearFaults('talos/talos-worker-1');
  }
});

test('the backend logged no warnings or errors', () => {
  const problems = portal
    .logText()
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line));
  assert.deepEqual(problems, []);
});
