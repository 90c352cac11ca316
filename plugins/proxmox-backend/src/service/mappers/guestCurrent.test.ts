import { guestCurrentSchema } from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import { guestCurrentSummary } from './guestCurrent';

const current = (request: string) =>
  guestCurrentSummary(guestCurrentSchema.parse(referenceBody(request)));

describe('guestCurrentSummary on the reference status/current bodies', () => {
  it('maps a VM with its QEMU status, agent and HA state', () => {
    expect(current('GET /nodes/pve/qemu/100/status/current')).toEqual({
      status: 'running',
      qmpstatus: 'running',
      uptime: 1064890,
      cpu: 0.0873512,
      cpus: 4,
      mem: 4921366528,
      maxmem: 8589934592,
      disk: 0,
      maxdisk: 68719476736,
      netin: 41238812345,
      netout: 38812903456,
      agent: true,
      haManaged: false,
      haState: undefined,
      runningQemu: '10.1.2',
      lock: undefined,
    });
  });

  it('maps a container, which has no QEMU fields', () => {
    expect(current('GET /nodes/pve/lxc/200/status/current')).toMatchObject({
      status: 'running',
      qmpstatus: undefined,
      runningQemu: undefined,
      agent: undefined,
      cpus: 1,
      mem: 86392832,
      haManaged: false,
    });
  });
});
