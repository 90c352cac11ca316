/**
 * The client against the Proxmox reference (shared/reference/proxmox): its
 * parsers accept every body of the reference household, as PVE 9.1 and 8.4
 * answer them, and every body the demo Proxmox answers. That the demo
 * Proxmox serves what PVE serves is checked in homelab-sim
 * (src/proxmox/conformance.test.ts). Reads HOMELAB_REFERENCE_DIR (default
 * ../shared/reference).
 */
import { fetch } from 'undici';
import { endpointFor, loadExample, loadSubset } from 'homelab-sim/testUtils';
import {
  defaultTestTokens,
  ProxmoxSim,
  startProxmoxSim,
} from './__testUtils__/proxmoxSim';
import {
  agentInterfacesSchema,
  backupJobsSchema,
  guestConfigSchema,
  guestCurrentSchema,
  lxcInterfacesSchema,
  nodeStatusSchema,
  notBackedUpSchema,
  parseClusterResources,
  rrdSchema,
  storageContentSchema,
  storageListSchema,
  taskListSchema,
  taskLogSchema,
  taskStatusSchema,
  upidSchema,
  versionSchema,
} from './api/wire';

const subset91 = loadSubset('pve-api-subset.json');
const subset84 = loadSubset('pve-api-subset-pve8.4.json');
const example = loadExample();

/** What the client parses, per schema path. */
const clientParsers: Record<string, (data: unknown) => unknown> = {
  'GET /version': d => versionSchema.parse(d),
  'GET /cluster/resources': d => parseClusterResources(d),
  'GET /nodes/{node}/status': d => nodeStatusSchema.parse(d),
  'GET /nodes/{node}/rrddata': d => rrdSchema.parse(d),
  'GET /nodes/{node}/qemu/{vmid}/rrddata': d => rrdSchema.parse(d),
  'GET /nodes/{node}/lxc/{vmid}/rrddata': d => rrdSchema.parse(d),
  'GET /nodes/{node}/qemu/{vmid}/status/current': d =>
    guestCurrentSchema.parse(d),
  'GET /nodes/{node}/lxc/{vmid}/status/current': d =>
    guestCurrentSchema.parse(d),
  'GET /nodes/{node}/qemu/{vmid}/config': d => guestConfigSchema.parse(d),
  'GET /nodes/{node}/lxc/{vmid}/config': d => guestConfigSchema.parse(d),
  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces': d =>
    agentInterfacesSchema.parse(d),
  'GET /nodes/{node}/lxc/{vmid}/interfaces': d => lxcInterfacesSchema.parse(d),
  'GET /nodes/{node}/storage': d => storageListSchema.parse(d),
  'GET /nodes/{node}/storage/{storage}/content': d =>
    storageContentSchema.parse(d),
  'GET /cluster/backup': d => backupJobsSchema.parse(d),
  'GET /cluster/backup-info/not-backed-up': d => notBackedUpSchema.parse(d),
  'GET /nodes/{node}/tasks': d => taskListSchema.parse(d),
  'GET /cluster/tasks': d => taskListSchema.parse(d),
  'GET /nodes/{node}/tasks/{upid}/status': d => taskStatusSchema.parse(d),
  'GET /nodes/{node}/tasks/{upid}/log': d => taskLogSchema.parse(d),
  'POST /nodes/{node}/qemu/{vmid}/status/shutdown': d => upidSchema.parse(d),
};

/** A GET against the demo Proxmox with a test token; the body's `data`. */
async function simData(px: ProxmoxSim, path: string, token = 'catalog') {
  const res = await fetch(`${px.url}/api2/json${path}`, {
    headers: {
      authorization: `PVEAPIToken=${
        defaultTestTokens.find(t => t.file === token)!.id
      }=${px.secret(token)}`,
    },
    dispatcher: px.dispatcher,
  });
  if (res.status !== 200)
    throw new Error(`GET ${path}: ${res.status} ${res.statusText}`);
  return ((await res.json()) as { data: unknown }).data;
}

describe('the client against the PVE 9.1 reference', () => {
  it('accepts every reference body, and the 8.4 variants of them', () => {
    for (const [key, value] of Object.entries(example.responses)) {
      const [method, pathAndQuery] = key.split(' ');
      const ref = endpointFor(subset91, method, pathAndQuery.split('?')[0])!;
      const parse = clientParsers[`${method} ${ref.path}`];
      if (!parse) continue;
      expect(() => parse(value.data)).not.toThrow();
      // PVE 8.x: no memhost/pressure, `sdn` instead of `network` (example _about).
      const as84 = JSON.parse(
        JSON.stringify(value.data, (k, v) =>
          k === 'memhost' || k.startsWith('pressure') ? undefined : v,
        ),
      );
      if (ref.path === '/cluster/resources') {
        for (const item of as84) {
          if (item.type === 'network') {
            Object.assign(item, {
              id: 'sdn/pve/localnetwork',
              type: 'sdn',
              sdn: 'localnetwork',
            });
          }
        }
      }
      expect(() => parse(as84)).not.toThrow();
    }
    const resources = parseClusterResources(
      example.responses['GET /cluster/resources'].data,
    );
    expect(resources.guests.map(g => g.vmid).sort()).toEqual([
      100, 101, 110, 200, 9000,
    ]);
    expect(resources.guests.find(g => g.vmid === 9000)?.template).toBe(true);
    expect(
      resources.storage.find(s => s.storage === 'nas-backup')?.shared,
    ).toBe(true);
  });
});

describe('the client against the demo Proxmox', () => {
  let px: ProxmoxSim;
  beforeAll(async () => {
    px = await startProxmoxSim({
      mutate: s => (s.proxmox.tokens = defaultTestTokens),
    });
  });
  afterAll(() => px.close());

  /** Example request → the same request against the sim's household. */
  const simPath = (p: string) =>
    p
      .replace('/qemu/110/', '/qemu/102/')
      .replace('vmid=110', 'vmid=102')
      .replace('/nas-backup/', '/nas-backups/');

  it('accepts what the sim answers to every reference GET', async () => {
    const problems: string[] = [];
    const vzdump = (
      (await simData(px, '/nodes/pve/tasks?typefilter=vzdump&limit=1')) as {
        upid: string;
      }[]
    )[0].upid;
    for (const key of Object.keys(example.responses)) {
      const [method, pathAndQuery] = key.split(' ');
      if (method !== 'GET' || /qmshutdown|qmstart/.test(key)) continue;
      let path = simPath(pathAndQuery);
      path = path.replace(/UPID:[^/]*vzdump[^/]*:/, encodeURIComponent(vzdump));
      const token = path.includes('/content') ? 'backup' : 'catalog';
      const got = await simData(px, path, token);
      const ref = endpointFor(subset91, method, pathAndQuery.split('?')[0])!;
      const parse = clientParsers[`${method} ${ref.path}`];
      try {
        parse?.(got);
      } catch (error) {
        problems.push(`client refuses sim ${key}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the client against the demo Proxmox as PVE 8.4', () => {
  let px: ProxmoxSim;
  beforeAll(async () => {
    px = await startProxmoxSim({
      mutate: s => {
        s.proxmox.nodes[0].pveVersion = 'pve-manager/8.4.14/b502d23c55afcba1';
      },
    });
  });
  afterAll(() => px.close());

  it('accepts the 8.4 shapes and the permissions 8.4 has', async () => {
    const problems: string[] = [];
    for (const path of [
      '/version',
      '/cluster/resources',
      '/nodes/pve/status',
      '/nodes/pve/qemu/100/status/current',
      '/nodes/pve/qemu/100/config',
      '/nodes/pve/lxc/200/status/current',
      '/nodes/pve/storage',
      '/cluster/backup',
      '/nodes/pve/tasks',
    ]) {
      const ref = endpointFor(subset84, 'GET', path)!;
      const parse = clientParsers[`GET ${ref.path}`];
      try {
        parse(await simData(px, path));
      } catch (error) {
        problems.push(
          `client refuses 8.4 ${path}: ${(error as Error).message}`,
        );
      }
    }
    expect(problems).toEqual([]);
    const client = px.client();
    const resources = await client.clusterResources();
    expect(resources.guests).toHaveLength(6);
    // 8.x: a read-only token cannot read guest-agent data (VM.Monitor).
    const agentCall = await client
      .guestInterfaces('pve', 'qemu', 100)
      .catch(e => e);
    expect(agentCall.kind).toBe('permission');
    expect(agentCall.details.missing.privileges).toEqual(['VM.Monitor']);
  });
});
