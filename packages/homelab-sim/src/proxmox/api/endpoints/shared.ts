import { hasAny } from '../access';
import type { Call, PermCheck } from '../endpoints';
import { PveError } from '../pveHttp';
import type { GuestRuntime } from '../../model/ProxmoxModel';

export const can = (c: Call, path: string, privs: string[]) =>
  hasAny(c.token, path, privs, c.model.major);

export function guestOf(c: Call, type: 'qemu' | 'lxc'): GuestRuntime {
  c.model.requireNode(String(c.params.node));
  return c.model.requireGuest(
    String(c.params.node),
    type,
    Number(c.params.vmid),
  );
}

export const vmAudit = () => ['perm', '/vms/{vmid}', ['VM.Audit']] as PermCheck;

/** The guest-agent privilege check of the release (notes/proxmox-api.md §2.2). */
export const agentAudit = (major: number): PermCheck =>
  major >= 9
    ? [
        'perm',
        '/vms/{vmid}',
        ['VM.GuestAgent.Audit', 'VM.GuestAgent.Unrestricted'],
        'any',
        1,
      ]
    : ['perm', '/vms/{vmid}', ['VM.Monitor']];

/**
 * qemu-server's agent preconditions, in its order: an agent configured, the
 * VM running, the agent answering (it needs a moment after boot).
 */
export function requireAgent(c: Call, rt: GuestRuntime) {
  if (!rt.def.guestAgent)
    throw new PveError(500, 'No QEMU guest agent configured');
  const state = c.model.stateNow(rt);
  if (state.status === 'stopped')
    throw new PveError(500, `VM ${rt.def.vmid} is not running`);
  if (
    state.status === 'paused' ||
    c.model.now() - (state.runningSince ?? 0) < 20_000
  ) {
    throw new PveError(500, 'QEMU guest agent is not running');
  }
}
