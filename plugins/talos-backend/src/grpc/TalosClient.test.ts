import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { Disks, KubeletSpecs, MachineStatuses } from './cosiTypes';
import { TalosCallError } from './errors';
import { TalosClient } from './TalosClient';
import { parseTalosconfig } from './talosconfig';

/**
 * The client against the demo homelab's Talos API over real mTLS (Ed25519
 * certificates, the Talos key label, role from the certificate).
 */
// Starts a simulated cluster and a backend; slow on a busy machine.
jest.setTimeout(30_000);

describe('TalosClient against the simulated cluster', () => {
  let sim: SimUnderTest<'talos'>;
  let readerText: string;
  let adminText: string;
  const cp = '192.168.1.21';
  const worker = '192.168.1.22';
  const clients: TalosClient[] = [];

  const client = (text: string, timeoutMs = 3000) => {
    const c = new TalosClient(
      parseTalosconfig(text, { source: 'test talosconfig' }),
      { timeoutMs },
    );
    clients.push(c);
    return c;
  };

  /** A talosconfig with some fields swapped for another CA's material. */
  async function foreignTalosconfig(swap: 'ca' | 'client'): Promise<string> {
    // A second sim state folder gives a second, unrelated Talos CA.
    const other = await startSim({
      only: ['talos'],
      tmpPrefix: 'talos-other-',
    });
    const foreign = parse(
      fs.readFileSync(other.talos.adminTalosconfigFile, 'utf8'),
    );
    await other.close();
    const ours = parse(adminText);
    const name = ours.context;
    const f = foreign.contexts[foreign.context];
    if (swap === 'ca') ours.contexts[name].ca = f.ca;
    else {
      ours.contexts[name].crt = f.crt;
      ours.contexts[name].key = f.key;
    }
    return stringify(ours);
  }

  beforeAll(async () => {
    sim = await startSim({ only: ['talos'], tmpPrefix: 'talos-client-' });
    readerText = fs.readFileSync(sim.talos.talosconfigFile, 'utf8');
    adminText = fs.readFileSync(sim.talos.adminTalosconfigFile, 'utf8');
  });

  afterAll(async () => {
    clients.forEach(c => c.close());
    await sim?.close();
  });

  afterEach(() => sim.faults.clear());

  it("reads a Talos-written talosconfig with Talos's own Ed25519 key header and its role", () => {
    expect(readerText).toContain(
      Buffer.from('-----BEGIN ED25519').toString('base64').slice(0, 12),
    );
    const ctx = parseTalosconfig(readerText, { source: 'x' });
    expect(ctx.roles).toEqual(['os:reader']);
    // Rewritten as PKCS#8, the form Node's TLS accepts for Ed25519.
    const key = createPrivateKey(ctx.keyPem);
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(String(key.export({ type: 'pkcs8', format: 'pem' })).trim()).toBe(
      ctx.keyPem.trim(),
    );
    expect(ctx.nodes).toEqual([cp, worker]);
  });

  it('calls each node through the endpoint with the node metadata', async () => {
    const c = client(readerText);
    expect((await c.hostname(worker)).hostname).toBe('talos-worker-1');
    expect((await c.hostname(cp)).hostname).toBe('talos-cp-1');
    expect((await c.version(worker)).version?.tag).toBe('v1.10.6');
    const stage = await c.watchCurrent(MachineStatuses, 'machine', worker);
    expect(stage.spec.stage).toBe('running');
    const disks = await c.list(Disks, worker);
    expect(disks.map(d => d.id).sort()).toEqual(['sda', 'sr0']);
  });

  it('reports etcd on a worker as unimplemented, not as a failure of the client', async () => {
    const c = client(readerText);
    await expect(c.etcdMemberList(worker)).rejects.toMatchObject({
      problem: {
        kind: 'unimplemented',
        message: expect.stringContaining(
          'only available on control plane nodes',
        ),
      },
    });
    const members = await c.etcdMemberList(cp);
    expect(members.members.map(m => m.hostname)).toEqual(['talos-cp-1']);
  });

  it('fails with a clear message when the server is not signed by the talosconfig CA', async () => {
    const c = client(await foreignTalosconfig('ca'));
    const error: TalosCallError = await c.version(cp).then(
      () => {
        throw new Error('expected a failure');
      },
      e => e,
    );
    expect(error).toBeInstanceOf(TalosCallError);
    expect(error.problem.kind).toBe('tls');
    expect(error.message).toMatch(
      /is not trusted: its certificate is not signed by the CA in the talosconfig/,
    );
  });

  it('fails with a clear message when the server refuses the client certificate', async () => {
    const c = client(await foreignTalosconfig('client'));
    const error: TalosCallError = await c.version(cp).then(
      () => {
        throw new Error('expected a failure');
      },
      e => e,
    );
    expect(error.problem.kind).toBe('tls');
    expect(error.message).toMatch(/refused the client certificate/);
  });

  it('says which role is missing when a reader asks for an admin-only resource', async () => {
    const reader = client(readerText);
    await expect(reader.get(KubeletSpecs, 'kubelet', cp)).rejects.toMatchObject(
      {
        problem: {
          kind: 'permission',
          message: expect.stringMatching(
            /role \(os:reader\) may not read KubeletSpecs\.kubernetes\.talos\.dev kubelet .*needs a talosconfig with role os:admin/,
          ),
        },
      },
    );
    const admin = client(adminText);
    const spec = await admin.get(KubeletSpecs, 'kubelet', cp);
    expect(spec.spec.image).toBe('ghcr.io/siderolabs/kubelet:v1.33.3');
  });

  it('reports a node that is down as unreachable while the endpoint answers', async () => {
    const c = client(readerText);
    sim.faults.add({ service: 'talos/talos-worker-1', kind: 'down' });
    await expect(c.version(worker)).rejects.toMatchObject({
      problem: {
        kind: 'unreachable',
        message: expect.stringContaining(
          `${worker} is unreachable: connection refused`,
        ),
      },
    });
    expect((await c.version(cp)).version?.tag).toBe('v1.10.6');
  });

  it('gives up after the timeout on a node that hangs', async () => {
    const c = client(readerText, 300);
    sim.faults.add({
      service: 'talos/talos-worker-1',
      kind: 'hang',
      path: 'LoadAvg',
    });
    await expect(c.loadAvg(worker)).rejects.toMatchObject({
      problem: {
        kind: 'timeout',
        message: expect.stringContaining('did not answer within 0.3 s'),
      },
    });
  });

  it('names a damaged answer as such', async () => {
    const c = client(readerText);
    sim.faults.add({
      service: 'talos',
      kind: 'truncate',
      path: 'ServiceList',
    });
    await expect(c.serviceList(cp)).rejects.toMatchObject({
      problem: { kind: 'malformed' },
    });
  });
});

describe('parseTalosconfig', () => {
  const base = (ctx: Record<string, unknown>) =>
    stringify({ context: 'home', contexts: { home: ctx } });

  it('names the missing part', () => {
    expect(() =>
      parseTalosconfig('context: x\n', {
        source: 'talos.clusters[0].talosconfig',
      }),
    ).toThrow(
      'talos.clusters[0].talosconfig: not a talosconfig: it has no "contexts" map',
    );
    expect(() =>
      parseTalosconfig(base({ endpoints: ['10.0.0.1'] }), {
        source: 's',
        context: 'other',
      }),
    ).toThrow('s: has no context "other" (it has: home)');
    expect(() =>
      parseTalosconfig(base({ endpoints: ['10.0.0.1'] }), { source: 's' }),
    ).toThrow('s: context "home" has no "ca" (CA certificate)');
    expect(() =>
      parseTalosconfig(
        base({ endpoints: ['10.0.0.1'], ca: 'bm90IGEgY2VydA==' }),
        { source: 's' },
      ),
    ).toThrow('s: context "home": "ca" is not base64 of a PEM CA certificate');
  });
});
