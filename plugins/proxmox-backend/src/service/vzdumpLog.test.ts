import { parseVzdumpLog } from './vzdumpLog';

describe('parseVzdumpLog', () => {
  it('reads each guest of a multi-guest backup run', () => {
    const lines = [
      'INFO: starting new backup job: vzdump 100 101 102 --mode snapshot --storage nas-backups',
      'INFO: Starting Backup of VM 100 (qemu)',
      'INFO: Finished Backup of VM 100 (00:01:07)',
      'INFO: Starting Backup of VM 102 (qemu)',
      "ERROR: Backup of VM 102 failed - unable to open file '/mnt/pve/nas-backups/dump/x.dat' - Stale file handle",
      'INFO: Starting Backup of VM 200 (lxc)',
      '...',
      'INFO: Backup job finished with errors',
      'TASK ERROR: job errors',
    ];
    expect(parseVzdumpLog(lines, 'job errors')).toEqual([
      { vmid: 100, ok: true },
      {
        vmid: 102,
        ok: false,
        error:
          "unable to open file '/mnt/pve/nas-backups/dump/x.dat' - Stale file handle",
      },
    ]);
  });

  it('counts a guest whose end was cut from the log when the run ended OK', () => {
    expect(
      parseVzdumpLog(
        ['INFO: Starting Backup of VM 200 (lxc)', '...', 'TASK OK'],
        'OK',
      ),
    ).toEqual([{ vmid: 200, ok: true }]);
  });
});
