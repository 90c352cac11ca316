import fs from 'node:fs';
import path from 'node:path';

/** One answer of the example homelab: the `{"data": …}` envelope. */
export type ProxmoxExampleResponse = { data: unknown; total?: number };

/** The reference example homelab (`__fixtures__/example-homelab.json`). */
export type ProxmoxReferenceExample = {
  /** Keyed by request, for example `GET /nodes/pve/qemu/100/config`. */
  responses: Record<string, ProxmoxExampleResponse>;
  errors: {
    request: string;
    http_status: number;
    reason_phrase: string;
    body: unknown;
  }[];
};

/**
 * The bodies PVE 9.1 answers for the reference household, for tests that
 * check code against Proxmox's own shapes rather than against the sim's.
 */
export function proxmoxReferenceExample(): ProxmoxReferenceExample {
  return JSON.parse(
    fs.readFileSync(
      path.join(
        path.dirname(require.resolve('homelab-sim/package.json')),
        'src/proxmox/__fixtures__/example-homelab.json',
      ),
      'utf8',
    ),
  );
}
