import { HomelabSim, loadScenario, Scenario } from 'homelab-sim';
import { startSim } from 'homelab-sim/testUtils';
import type { Dispatcher } from 'undici';
import { ProxmoxClient, ProxmoxClientOptions } from '../api/ProxmoxClient';

export type ProxmoxSim = {
  sim: HomelabSim;
  url: string;
  ca: string;
  stateDir: string;
  /** An undici dispatcher that trusts the sim's CA. */
  dispatcher: Dispatcher;
  secret(file: string): string;
  client(file?: string, options?: Partial<ProxmoxClientOptions>): ProxmoxClient;
  close(): Promise<void>;
};

const tokenIds: Record<string, string> = {
  catalog: 'backstage@pve!catalog',
  power: 'backstage@pve!power',
  backup: 'backstage@pve!backup',
};

/**
 * The demo homelab's Proxmox, in-process, on a free port. Failed logins are
 * answered at once (real pveproxy waits 3 s). `mutate` edits the household
 * before start (another release, an offline node, more tokens).
 */
export async function startProxmoxSim(
  options: { mutate?: (s: Scenario) => void } = {},
): Promise<ProxmoxSim> {
  const scenario = loadScenario();
  scenario.proxmox.authFailureDelayMs = 0;
  options.mutate?.(scenario);
  const shared = await startSim({
    only: ['proxmox'],
    scenario,
    tmpPrefix: 'proxmox-sim-',
  });
  const { url, tokenSecret: secret } = shared.proxmox;
  const ca = shared.caPem;
  const clients: ProxmoxClient[] = [];
  return {
    sim: shared.sim,
    url,
    ca,
    stateDir: shared.stateDir,
    dispatcher: shared.dispatcher,
    secret,
    client(file = 'catalog', extra = {}) {
      const c = new ProxmoxClient({
        instance: 'home',
        url,
        ca,
        tokenId: tokenIds[file] ?? file,
        tokenSecret: secret(file),
        retryBaseMs: 10,
        ...extra,
      });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map(c => c.close()));
      await shared.close();
    },
  };
}

/** A token with backup-listing rights (Datastore.Allocate), for tests only. */
export const backupReaderToken = {
  id: 'backstage@pve!backup',
  file: 'backup',
  acl: [
    { path: '/', role: 'PVEAuditor', privs: [] },
    { path: '/storage', role: 'PVEDatastoreAdmin', privs: [] },
  ],
};

export const defaultTestTokens = [
  {
    id: 'backstage@pve!catalog',
    file: 'catalog',
    acl: [{ path: '/', role: 'PVEAuditor', privs: [] }],
  },
  {
    id: 'backstage@pve!power',
    file: 'power',
    acl: [
      { path: '/', role: 'PVEAuditor', privs: [] },
      { path: '/vms', privs: ['VM.PowerMgmt'] },
    ],
  },
  backupReaderToken,
];
