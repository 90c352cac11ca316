// Debian's python3-proxmoxer against the demo Proxmox VE, making the calls
// of the Prometheus PVE exporter's default collectors (the exporter is on
// PyPI only, unreachable here: lib/pve_exporter_calls.py makes the same
// calls). Each assertion states what a one-node PVE 9.1 without a
// subscription answers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Sim } from '../e2e/lib/sim.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-pve-'));
const sim = new Sim({ stateDir: path.join(workDir, 'sim'), only: ['proxmox'] });
let answers;

before(async () => {
  await sim.start();
  const { host } = new URL(sim.url('proxmox'));
  const stdout = await new Promise((resolve, reject) =>
    execFile(
      '/usr/bin/python3',
      [
        path.join(here, 'lib/pve_exporter_calls.py'),
        host,
        sim.info.caFile,
        'backstage@pve!catalog',
        path.join(sim.stateDir, 'proxmox/catalog-token-secret'),
      ],
      { timeout: 120_000 },
      (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
  answers = JSON.parse(stdout);
});

after(async () => {
  await sim.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('the exporter finds the local node and the guests in cluster/status and resources', () => {
  // Real: a standalone node lists only itself, with local=1.
  const status = answers['cluster/status'].data;
  assert.deepEqual(
    status.map(e => [e.type, e.name, e.local]),
    [['node', 'pve', 1]],
  );
  const vms = answers['cluster/resources?type=vm'].data;
  assert.ok(vms.some(r => r.id === 'qemu/100' && r.status === 'running'));
  assert.ok(vms.every(r => r.type === 'qemu' || r.type === 'lxc'));
  const storage = answers['cluster/resources?type=storage'].data;
  assert.deepEqual(storage.map(s => s.storage).sort(), [
    'local',
    'local-lvm',
    'nas-backups',
  ]);
  assert.match(answers.version.data.version, /^9\.\d+\.\d+$/);
});

test('SubscriptionCollector and ReplicationCollector get answers, not 501', () => {
  // Real: without a key, status "notfound"; a one-node homelab has no
  // replication jobs (an empty list).
  assert.equal(answers['nodes/{node}/subscription'].data.status, 'notfound');
  assert.deepEqual(answers['nodes/{node}/replication'].data, []);
  // Real: no QDevice configured is an empty object.
  assert.deepEqual(answers['cluster/config/qdevice'].data, {});
});

test('NodeConfigCollector reads every guest config', () => {
  assert.equal(answers.configs['qemu/100'].name, 'talos-cp-1');
  assert.equal(answers.configs['lxc/200'].hostname, 'traefik');
  assert.equal(answers.configs['qemu/9000'].template, 1);
});

test('the other everyday reads answer in the schema shape', () => {
  assert.deepEqual(Object.keys(answers['nodes/{node}/version'].data).sort(), [
    'release',
    'repoid',
    'version',
  ]);
  assert.deepEqual(
    answers['nodes/{node}/network'].data.map(i => [i.iface, i.type]),
    [['vmbr0', 'bridge']],
  );
  assert.ok(
    answers['nodes/{node}/disks/list'].data.every(d =>
      d.devpath.startsWith('/dev/'),
    ),
  );
  // Real: the first free VMID, as a string.
  assert.equal(answers['cluster/nextid'].data, '103');
  assert.deepEqual(answers.pools.data, []);
  assert.deepEqual(answers.storage.data.map(s => s.storage).sort(), [
    'local',
    'local-lvm',
    'nas-backups',
  ]);
  // Real: the snapshot list always ends with "current".
  assert.equal(answers['qemu/100/snapshot'].data.at(-1).name, 'current');
  assert.ok(answers['qemu/100/pending'].data.some(p => p.key === 'name'));
  assert.deepEqual(answers['qemu/100/agent/get-host-name'].data, {
    result: { 'host-name': 'talos-cp-1' },
  });
});

test('errors come back as proxmoxer ResourceExceptions with PVE status and message', () => {
  // Real: the stopped template has no agent configured (checked first).
  const agent = answers['qemu/9000/agent/get-osinfo'];
  assert.equal(agent.status, 500);
  assert.match(
    agent.content ?? agent.message,
    /No QEMU guest agent configured/,
  );
  // Real: pveproxy answers an unknown path with 501.
  assert.equal(answers['nodes/{node}/unknown'].status, 501);
});
