import type { Call, Endpoint } from '../endpoints';
import { P } from '../pveHttp';
import { qemuConfig } from '../views';
import { agentAudit, guestOf, requireAgent, vmAudit } from './shared';

/**
 * Per-VM reads beyond status and config: snapshots (always ending with the
 * `current` pseudo-snapshot), the pending configuration, and the guest
 * agent's OS and host name (what the PVE summary page shows).
 */
export function guestEndpoints(): Endpoint[] {
  const rtOf = (c: Call) => guestOf(c, 'qemu');
  return [
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/snapshot',
      params: { node: P.node, vmid: P.vmid },
      check: vmAudit,
      handle: c => {
        const rt = rtOf(c);
        const running = c.model.stateNow(rt).status === 'running';
        return {
          data: [
            {
              name: 'current',
              description: 'You are here!',
              ...(running && { running: 1 }),
            },
          ],
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/pending',
      params: { node: P.node, vmid: P.vmid },
      check: vmAudit,
      handle: c => {
        const rt = rtOf(c);
        // Nothing waits for a reboot: every key is only `value`.
        const config = qemuConfig(c.model, rt) as Record<string, unknown>;
        return {
          data: Object.entries(config)
            .filter(([key]) => key !== 'digest')
            .map(([key, value]) => ({ key, value: String(value) })),
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/agent/get-osinfo',
      params: { node: P.node, vmid: P.vmid },
      check: agentAudit,
      handle: c => {
        const rt = rtOf(c);
        requireAgent(c, rt);
        const talos = rt.def.tags.includes('talos');
        return {
          data: {
            result: talos
              ? {
                  id: 'talos',
                  name: 'Talos',
                  'pretty-name': 'Talos',
                  'kernel-release': '6.12.40-talos',
                  'kernel-version': '#1 SMP',
                  machine: 'x86_64',
                }
              : {
                  id: 'haos',
                  name: 'Home Assistant OS',
                  'pretty-name': 'Home Assistant OS 16.2',
                  version: '16.2',
                  'version-id': '16.2',
                  'kernel-release': '6.12.34-haos',
                  'kernel-version': '#1 SMP PREEMPT_DYNAMIC',
                  machine: 'x86_64',
                },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/qemu/{vmid}/agent/get-host-name',
      params: { node: P.node, vmid: P.vmid },
      check: agentAudit,
      handle: c => {
        const rt = rtOf(c);
        requireAgent(c, rt);
        return { data: { result: { 'host-name': rt.def.name } } };
      },
    },
  ];
}
