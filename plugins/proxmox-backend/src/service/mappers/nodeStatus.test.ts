import { nodeStatusSchema } from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import { nodeStatusSummary } from './nodeStatus';

describe('nodeStatusSummary on the reference node status', () => {
  it('keeps versions, CPU, load, memory, root disk, swap and boot mode', () => {
    expect(
      nodeStatusSummary(
        nodeStatusSchema.parse(referenceBody('GET /nodes/pve/status')),
      ),
    ).toEqual({
      pveversion: 'pve-manager/9.1.9/ee7bad0a3d1546c9',
      kversion:
        'Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-11-10T09:12Z)',
      cpuModel: '12th Gen Intel(R) Core(TM) i5-12500T',
      cpus: 12,
      loadavg: [0.62, 0.71, 0.68],
      memory: { total: 67227705344, used: 30412345344 },
      rootfs: { total: 100861726720, used: 14872309760 },
      swap: { total: 8589930496, used: 0 },
      bootMode: 'efi',
    });
  });
});
