import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { HomelabSim } from '../../HomelabSim';

/**
 * The demo homelab with only its Kubernetes API, on a free port, for a
 * test file: its URL, a dispatcher trusting its CA, the admin token, and
 * `close()` for afterAll.
 */
export async function startKubernetesOnly(prefix: string) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const sim = await HomelabSim.start({
    stateDir,
    ports: { kubernetes: 0, admin: 0 },
    only: ['kubernetes'],
  });
  const dispatcher = new Agent({ connect: { ca: sim.caPem } });
  return {
    sim,
    dispatcher,
    url: sim.url('kubernetes'),
    adminToken: fs.readFileSync(
      path.join(stateDir, 'kubernetes/admin-token'),
      'utf8',
    ),
    async close() {
      await sim.close();
      await dispatcher.destroy();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
