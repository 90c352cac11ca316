import { backupJobsSchema } from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import { backupJobSummary } from './backupJob';

const jobs = backupJobsSchema.parse(referenceBody('GET /cluster/backup'));

describe('backupJobSummary on the reference /cluster/backup', () => {
  it('keeps the schedule, storage and next run of the nightly job', () => {
    expect(jobs.map(backupJobSummary)).toEqual([
      {
        id: 'backup-6f2d91c4-8a3e',
        schedule: '02:00',
        storage: 'nas-backup',
        enabled: true,
        nextRun: 1778630400,
      },
    ]);
  });

  it('reads a job as enabled unless Proxmox says enabled=0', () => {
    const { enabled: _e, ...unset } = jobs[0];
    expect(backupJobSummary(unset).enabled).toBe(true);
    expect(
      backupJobSummary(backupJobsSchema.parse([{ ...jobs[0], enabled: 0 }])[0])
        .enabled,
    ).toBe(false);
  });
});
