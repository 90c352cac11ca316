import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  defaultTestTokens,
  ProxmoxSim,
  startProxmoxSim,
} from '../__testUtils__/proxmoxSim';
import { ProxmoxApiError } from './errors';
import { ProxmoxClient } from './ProxmoxClient';

async function failure(p: Promise<unknown>): Promise<ProxmoxApiError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ProxmoxApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('ProxmoxClient against the demo homelab', () => {
  let px: ProxmoxSim;

  beforeAll(async () => {
    px = await startProxmoxSim({
      mutate: s => {
        s.proxmox.tokens = defaultTestTokens;
        s.proxmox.nodes.push({
          ...s.proxmox.nodes[0],
          name: 'pve2',
          ip: '192.168.1.11',
          online: false,
        });
      },
    });
  });
  afterAll(() => px.close());
  afterEach(() => px.sim.ctx.faults.clear());

  it('reads the cluster with the API token and normalises the quirks', async () => {
    const resources = await px.client().clusterResources();
    const vm = resources.guests.find(g => g.vmid === 100)!;
    expect(vm).toMatchObject({
      type: 'qemu',
      node: 'pve',
      name: 'talos-cp-1',
      template: false,
    });
    expect(vm.tags).toEqual(['controlplane', 'talos']);
    expect(resources.guests.find(g => g.vmid === 9000)?.template).toBe(true);
    expect(resources.nodes.map(n => [n.node, n.status])).toEqual([
      ['pve', 'online'],
      ['pve2', 'offline'],
    ]);
    const nas = resources.storage.find(
      s => s.storage === 'nas-backups' && s.node === 'pve',
    )!;
    expect(nas.shared).toBe(true);
    // LXC pressure values come as strings; the client gives numbers.
    const ct = await px.client().guestCurrent('pve', 'lxc', 200);
    expect(typeof ct.pressurecpusome).toBe('number');
  });

  it('reads guest-agent and container addresses', async () => {
    const vm = await px.client().guestInterfaces('pve', 'qemu', 100);
    expect(vm.find(i => i.name === 'ens18')?.addresses).toContainEqual({
      address: '192.168.1.21',
      prefix: 24,
      family: 'ipv4',
    });
    const ct = await px.client().guestInterfaces('pve', 'lxc', 200);
    expect(ct.find(i => i.name === 'eth0')?.addresses[0]).toEqual({
      address: '192.168.1.5',
      prefix: 24,
      family: 'ipv4',
    });
  });

  it('explains a refused token (401)', async () => {
    const client = new ProxmoxClient({
      instance: 'home',
      url: px.url,
      ca: px.ca,
      tokenId: 'backstage@pve!catalog',
      tokenSecret: 'not-the-secret',
    });
    const error = await failure(client.version());
    await client.close();
    expect(error.kind).toBe('authentication');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain(
      'refused the API token backstage@pve!catalog',
    );
    expect(error.message).toContain('Authentication failed!');
    expect(error.message).not.toContain('not-the-secret');
  });

  it('names the missing privilege (403)', async () => {
    const error = await failure(
      px.client('catalog').power('pve', 'qemu', 101, 'reboot'),
    );
    expect(error.kind).toBe('permission');
    expect(error.details.missing).toEqual({
      path: '/vms/101',
      privileges: ['VM.PowerMgmt'],
    });
    expect(error.message).toContain(
      'lacks the privilege VM.PowerMgmt on /vms/101',
    );
  });

  it('says when a node is offline', async () => {
    const error = await failure(px.client().nodeStatus('pve2'));
    expect(error.kind).toBe('node-offline');
    expect(error.message).toContain('Node pve2');
  });

  it('tells how to give the CA when the certificate is not trusted', async () => {
    const client = new ProxmoxClient({
      instance: 'home',
      url: px.url,
      tokenId: 'backstage@pve!catalog',
      tokenSecret: px.secret('catalog'),
    });
    const error = await failure(client.version());
    await client.close();
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('/etc/pve/pve-root-ca.pem');
    expect(error.message).toContain('proxmox.instances.home.caFile');
  });

  it('trusts an untrusted certificate only when told so, for that client only', async () => {
    const insecure = new ProxmoxClient({
      instance: 'home',
      url: px.url,
      tokenId: 'backstage@pve!catalog',
      tokenSecret: px.secret('catalog'),
      dangerouslyAllowInsecureTls: true,
    });
    const strict = new ProxmoxClient({
      instance: 'home',
      url: px.url,
      tokenId: 'backstage@pve!catalog',
      tokenSecret: px.secret('catalog'),
    });
    await expect(insecure.version()).resolves.toMatchObject({ release: '9.1' });
    expect((await failure(strict.version())).kind).toBe('tls');
    await Promise.all([insecure.close(), strict.close()]);
  });

  it('maps unknown guests to not-found and already-running to conflict', async () => {
    expect(
      (await failure(px.client().guestCurrent('pve', 'qemu', 999))).kind,
    ).toBe('not-found');
    const conflict = await failure(
      px.client('power').power('pve', 'lxc', 200, 'start'),
    );
    expect(conflict.kind).toBe('conflict');
    expect(conflict.message).toBe('CT 200 already running');
  });

  it('retries idempotent GETs on transient errors, never POSTs', async () => {
    const calls: string[] = [];
    const client = px.client('power', {
      onRequest: (m, p) => calls.push(`${m} ${p}`),
    });
    px.sim.ctx.faults.add({ service: 'proxmox', kind: 'error', status: 503 });
    const get = await failure(client.version());
    expect(get.kind).toBe('upstream');
    expect(calls).toEqual(['GET /version', 'GET /version', 'GET /version']);
    calls.length = 0;
    await failure(client.power('pve', 'qemu', 101, 'reboot'));
    expect(calls).toEqual(['POST /nodes/pve/qemu/101/status/reboot']);
  });

  it('recovers when a retry succeeds', async () => {
    const calls: string[] = [];
    const rule = px.sim.ctx.faults.add({ service: 'proxmox', kind: 'reset' });
    const client = px.client('catalog', {
      onRequest: (_m, p) => {
        calls.push(p);
        // The connection reset hits the first attempt only.
        if (calls.length === 2) px.sim.ctx.faults.remove(rule.id);
      },
    });
    await expect(client.version()).resolves.toMatchObject({ release: '9.1' });
    expect(calls).toEqual(['/version', '/version']);
  });

  it('reports garbage as a bad response', async () => {
    px.sim.ctx.faults.add({ service: 'proxmox', kind: 'malformed' });
    const error = await failure(px.client().clusterResources());
    expect(error.kind).toBe('bad-response');
    expect(error.message).toContain('not JSON');
  });

  it('times out a call that never answers', async () => {
    px.sim.ctx.faults.add({ service: 'proxmox', kind: 'hang' });
    const error = await failure(
      px.client('catalog', { timeoutMs: 300, retries: 0 }).version(),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('within 300 ms');
  });

  it('says when the host cannot be reached', async () => {
    px.sim.ctx.faults.add({ service: 'proxmox', kind: 'down' });
    const port = Number(new URL(px.url).port);
    // The sim closes its listener asynchronously; wait until it refuses.
    for (let i = 0; i < 100; i++) {
      const refused = await new Promise(resolve => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      if (refused) break;
      await new Promise(r => setTimeout(r, 20));
    }
    const error = await failure(px.client('catalog', { retries: 0 }).version());
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses plain http', () => {
    expect(
      () =>
        new ProxmoxClient({
          instance: 'home',
          url: 'http://pve:8006',
          tokenId: 'a@pve!b',
          tokenSecret: 'x',
        }),
    ).toThrow(/https:\/\//);
  });
});

describe('ProxmoxClient against an older pveproxy', () => {
  let px: ProxmoxSim;
  let server: https.Server;
  let url: string;
  let seenAuthorization: string | undefined;

  beforeAll(async () => {
    px = await startProxmoxSim();
    const tls = await px.sim.ctx.ca.issueServer('old-pve', ['localhost']);
    // PVE <= 8.2 put the error text only in the reason phrase.
    server = https.createServer(tls, (req, res) => {
      seenAuthorization = req.headers.authorization;
      res.writeHead(
        403,
        'Permission check failed (/storage/nas, Datastore.Audit|Datastore.AllocateSpace)',
        {
          'content-type': 'application/json',
        },
      );
      res.end('{"data":null}');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(r => server.close(r));
    await px.close();
  });

  it('sends the token header exactly as pveproxy parses it and reads the reason phrase', async () => {
    const client = new ProxmoxClient({
      instance: 'old',
      url,
      ca: px.ca,
      tokenId: 'backstage@pve!catalog',
      tokenSecret: '3f0c2b1e-0000-4000-8000-000000000000',
    });
    const error = await failure(client.storageContent('pve', 'nas'));
    await client.close();
    expect(seenAuthorization).toBe(
      'PVEAPIToken=backstage@pve!catalog=3f0c2b1e-0000-4000-8000-000000000000',
    );
    expect(error.kind).toBe('permission');
    expect(error.details.missing).toEqual({
      path: '/storage/nas',
      privileges: ['Datastore.Audit', 'Datastore.AllocateSpace'],
    });
  });
});
