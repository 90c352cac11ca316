import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HomelabSim, loadScenario, Scenario } from 'homelab-sim';
import { ProxmoxClient, ProxmoxClientOptions } from '../api/ProxmoxClient';

export type ProxmoxSim = {
  sim: HomelabSim;
  url: string;
  ca: string;
  stateDir: string;
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
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxmox-sim-'));
  const scenario = loadScenario();
  scenario.proxmox.authFailureDelayMs = 0;
  options.mutate?.(scenario);
  const sim = await HomelabSim.start({
    stateDir,
    scenario,
    ports: { proxmox: 0, admin: 0 },
    only: ['proxmox'],
  });
  const url = sim.url('proxmox');
  const ca = sim.caPem;
  const secret = (file: string) =>
    fs
      .readFileSync(
        path.join(stateDir, 'proxmox', `${file}-token-secret`),
        'utf8',
      )
      .trim();
  const clients: ProxmoxClient[] = [];
  return {
    sim,
    url,
    ca,
    stateDir,
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
      await sim.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
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
