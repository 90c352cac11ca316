import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CertificateAuthority } from '../pki/certificateAuthority';
import { loadScenario } from '../scenario/loadScenario';
import { createContext } from '../SimContext';
import { StateDir } from '../state/StateDir';
import { PveError } from './api/pveHttp';
import { qemuCurrent, resourceGuest } from './api/views';
import { BackupSchedule } from './model/backups';
import { expandProxmox } from './model/generate';
import { ProxmoxModel } from './model/ProxmoxModel';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxmox-model-'));
  const state = new StateDir(dir);
  const ca = await CertificateAuthority.loadOrCreate(state.path('ca'));
  const scenario = loadScenario();
  // 08:00:03 UTC on a fixed day: backup runs (02:00 Paris) are known.
  let clock = Date.UTC(2026, 10, 25, 8, 0, 3);
  const ctx = createContext({ scenario, state, ca, now: () => clock });
  const model = new ProxmoxModel(ctx, scenario.proxmox);
  return {
    model,
    backups: new BackupSchedule(model),
    advance: (ms: number) => {
      clock += ms;
    },
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('the simulated Proxmox', () => {
  it('runs a reboot as a task that ends OK and restarts the guest', async () => {
    const s = await setup();
    const vm = s.model.guests.get(101)!;
    const upid = s.model.power(
      'pve',
      'qemu',
      101,
      'reboot',
      'backstage@pve!power',
    );
    expect(upid).toMatch(
      /^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmreboot:101:backstage@pve!power:$/,
    );
    expect(s.model.findDynamicTask(upid)!.endsAt).toBeGreaterThan(
      s.model.now(),
    );
    const uptimeBefore = qemuCurrent(s.model, vm).uptime as number;
    s.advance(6500);
    const task = s.model.findDynamicTask(upid)!;
    expect(task.endsAt).toBeLessThanOrEqual(s.model.now());
    expect(task.exitstatus).toBe('OK');
    expect(qemuCurrent(s.model, vm).uptime).toBeLessThan(uptimeBefore);
    expect(qemuCurrent(s.model, vm).status).toBe('running');
    s.close();
  });

  it('shows a shutdown in status/current at once and in /cluster/resources at the next broadcast', async () => {
    const s = await setup();
    const vm = s.model.guests.get(102)!;
    s.advance(3000); // 08:00:06
    s.model.power('pve', 'qemu', 102, 'shutdown', 'backstage@pve!power');
    s.advance(5100); // task ends at 08:00:11.1
    expect(qemuCurrent(s.model, vm).status).toBe('stopped');
    expect(resourceGuest(s.model, vm).status).toBe('running');
    s.advance(9000); // 08:00:20: pvestatd broadcast
    expect(resourceGuest(s.model, vm).status).toBe('stopped');
    // Starting a stopped VM works; rebooting it is refused at once.
    expect(() =>
      s.model.power('pve', 'qemu', 102, 'reboot', 'x@pve!y'),
    ).toThrow('VM 102 not running');
    s.close();
  });

  it('refuses container actions synchronously and ends a template start with a task error', async () => {
    const s = await setup();
    expect(() => s.model.power('pve', 'lxc', 200, 'start', 'x@pve!y')).toThrow(
      PveError,
    );
    expect(() => s.model.power('pve', 'lxc', 200, 'start', 'x@pve!y')).toThrow(
      'CT 200 already running',
    );
    expect(() => s.model.power('pve', 'qemu', 999, 'start', 'x@pve!y')).toThrow(
      "Configuration file 'nodes/pve/qemu-server/999.conf' does not exist",
    );
    const upid = s.model.power('pve', 'qemu', 9000, 'start', 'x@pve!y');
    s.advance(1000);
    expect(s.model.findDynamicTask(upid)!.exitstatus).toBe(
      "you can't start a vm if it's a template",
    );
    s.close();
  });

  it('keeps backups and backup task logs consistent with the household', async () => {
    const s = await setup();
    const day = 86400;
    const now = s.model.now() / 1000;
    const files = s.backups.volumes('nas-backups', 'pve');
    const newest = (vmid: number) =>
      Math.max(...files.filter(f => f.vmid === vmid).map(f => f.ctime));
    expect(files.filter(f => f.vmid === 100)).toHaveLength(7);
    expect(now - newest(100)).toBeLessThan(day);
    expect(now - newest(102)).toBeGreaterThan(7 * day);
    expect(files.some(f => f.vmid === 200)).toBe(false);
    expect(files[0].volid).toMatch(
      /^nas-backups:backup\/vzdump-qemu-\d+-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/,
    );
    // Today's 02:00 run: 100 and 101 backed up, 102 failed.
    const latest = s.backups
      .historyTasks('pve')
      .find(t => t.type === 'vzdump')!;
    expect(latest.exitstatus).toBe('job errors');
    const log = latest.log();
    expect(log).toContain('INFO: Starting Backup of VM 100 (qemu)');
    expect(
      log.some(l =>
        /^INFO: Finished Backup of VM 101 \(\d\d:\d\d:\d\d\)$/.test(l),
      ),
    ).toBe(true);
    expect(
      log.some(l => l.startsWith('ERROR: Backup of VM 102 failed - ')),
    ).toBe(true);
    expect(log.at(-1)).toBe('TASK ERROR: job errors');
    // The run started at 02:00 Paris time (01:00 UTC in November).
    expect(new Date(latest.starttime * 1000).toISOString()).toBe(
      '2026-11-25T01:00:00.000Z',
    );
    s.close();
  });

  it('generates a large homelab deterministically', () => {
    const scenario = loadScenario();
    const big = expandProxmox(
      { ...scenario.proxmox, generate: { nodes: 20, guests: 5000 } },
      7,
    );
    expect(big.nodes).toHaveLength(20);
    const total = 5000 + scenario.proxmox.guests.length;
    expect(big.guests).toHaveLength(total);
    expect(new Set(big.guests.map(g => g.vmid)).size).toBe(total);
    expect(big.guests.every(g => big.nodes.some(n => n.name === g.node))).toBe(
      true,
    );
    const again = expandProxmox(
      { ...scenario.proxmox, generate: { nodes: 20, guests: 5000 } },
      7,
    );
    expect(again.guests[4000]).toEqual(big.guests[4000]);
  });
});
