import { proxmoxReferenceExample } from 'homelab-sim';

const example = proxmoxReferenceExample();

/**
 * The `data` of one answer of the Proxmox reference household
 * (reference/proxmox/example-homelab.json, as homelab-sim keeps it), keyed
 * by request: `GET /nodes/pve/qemu/100/config`.
 */
export function referenceBody(request: string): unknown {
  const answer = example.responses[request];
  if (!answer) {
    throw new Error(`The Proxmox reference example has no "${request}"`);
  }
  return answer.data;
}
