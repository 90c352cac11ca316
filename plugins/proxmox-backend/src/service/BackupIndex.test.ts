import { mockServices } from '@backstage/backend-test-utils';
import { DefaultProxmoxService } from '@homelab-portal/plugin-proxmox-node';
import { loadScenario } from 'homelab-sim';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { BackupIndex } from './BackupIndex';

describe('BackupIndex', () => {
  let sim: SimUnderTest<'proxmox'>;
  let proxmox: DefaultProxmoxService;

  beforeAll(async () => {
    const scenario = loadScenario();
    scenario.proxmox.tokens = [
      {
        id: 'backstage@pve!catalog',
        file: 'catalog',
        acl: [{ path: '/', role: 'PVEAuditor', privs: [] }],
      },
      {
        id: 'backstage@pve!backup',
        file: 'backup',
        acl: [
          { path: '/', role: 'PVEAuditor', privs: [] },
          { path: '/storage', role: 'PVEDatastoreAdmin', privs: [] },
        ],
      },
    ];
    sim = await startSim({
      only: ['proxmox'],
      scenario,
      tmpPrefix: 'proxmox-backups-',
    });
    const instance = (file: string) => ({
      url: sim.proxmox.url,
      ca: sim.caPem,
      tokenId: `backstage@pve!${file}`,
      tokenSecret: sim.proxmox.tokenSecret(file),
    });
    proxmox = DefaultProxmoxService.fromConfig(
      mockServices.rootConfig({
        data: {
          proxmox: {
            instances: { files: instance('backup'), logs: instance('catalog') },
          },
        },
      }),
      { logger: mockServices.logger.mock() },
    );
  });

  afterAll(async () => {
    await proxmox.close();
    await sim.close();
  });

  it('lists backup files when the token may, and agrees with the task history when it may not', async () => {
    const index = new BackupIndex(mockServices.logger.mock());
    const files = (await index.get(proxmox.getInstance('files'))).value;
    const logs = (await index.get(proxmox.getInstance('logs'))).value;
    expect(files.source).toBe('storage');
    expect(files.hint).toBeUndefined();
    expect(logs.source).toBe('task-history');
    expect(logs.hint).toContain('backstage@pve!catalog');

    // keep-daily=7: seven files of VM 100 on the shared backup storage.
    expect(files.byVmid.get(100)).toHaveLength(7);
    expect(files.byVmid.get(100)![0]).toMatchObject({
      storage: 'nas-backups',
      format: 'vma.zst',
      ok: true,
    });

    const fromFiles = BackupIndex.lastBackups(files);
    const fromLogs = BackupIndex.lastBackups(logs);
    for (const vmid of [100, 101, 102]) {
      // A file is named after the guest's own start; the task after the run's.
      expect(Math.abs(fromFiles.get(vmid)! - fromLogs.get(vmid)!)).toBeLessThan(
        3600,
      );
    }
    const ageDays = (t: number) => (Date.now() / 1000 - t) / 86400;
    expect(ageDays(fromFiles.get(102)!)).toBeGreaterThan(7);
    expect(fromFiles.has(200)).toBe(false);
    expect(files.notBackedUp).toEqual(new Set([9000, 200, 110]));
  });
});
