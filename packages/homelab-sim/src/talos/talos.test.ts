import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';
import { SimUnderTest, startSim } from '../testUtils';
import { loadScenario } from '../scenario/loadScenario';
import {
  clients,
  credentials,
  Ctx,
  md,
  readTalosconfig,
  stream,
  unary,
} from './__testUtils__/talosClient';
import { TalosCa, TALOS_KEY_LABEL } from './talosPki';

// Starts the simulated cluster (key generation, TLS); slow on a busy machine.
jest.setTimeout(30_000);

describe('simulated Talos API', () => {
  let sim: SimUnderTest<'talos'>;
  let reader: Ctx;
  let admin: Ctx;
  const scenario = loadScenario();
  const [cp, worker] = scenario.talos.nodes;

  beforeAll(async () => {
    sim = await startSim({
      only: ['talos'],
      tmpPrefix: 'sim-talos-',
    });
    reader = readTalosconfig(sim.path('talos/talosconfig'));
    admin = readTalosconfig(sim.path('talos/talosconfig-admin'));
  });

  afterAll(async () => {
    await sim?.close();
  });

  afterEach(() => sim.faults.clear());

  /** A node's own apid, from the start banner lines. */
  function nodeEndpoint(hostname: string) {
    const line = sim.sim.services
      .find(s => s.name === 'talos')!
      .describe.find(l => l.startsWith(`apid ${hostname} `))!;
    return /on (localhost:\d+)$/.exec(line)![1];
  }

  it('writes a talosconfig like talosctl: base64 PEM, Ed25519 key under the Talos label, role in O', () => {
    expect(reader.endpoints).toHaveLength(1);
    expect(reader.nodes).toEqual([cp.ip, worker.ip]);
    expect(reader.key).toContain(`-----BEGIN ${TALOS_KEY_LABEL}-----`);
    const crt = new X509Certificate(reader.crt);
    expect(crt.subject).toContain('O=os:reader');
    expect(crt.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(crt.checkIssued(new X509Certificate(reader.ca))).toBe(true);
    expect(fs.statSync(sim.path('talos/talosconfig')).mode & 0o777).toBe(0o600);
  });

  it('answers Version from the endpoint node without metadata, and for another node through it', async () => {
    const { machine } = clients(reader);
    const direct = await unary(machine, 'Version', {});
    expect(direct.messages).toHaveLength(1);
    expect(direct.messages[0].metadata).toBeNull();
    expect(direct.messages[0].version.tag).toBe(scenario.talos.talosVersion);

    const viaProxy = await unary(
      machine,
      'Hostname',
      {},
      md({ node: worker.ip }),
    );
    expect(viaProxy.messages[0].hostname).toBe(worker.hostname);
  });

  it('tags each item with the target as given when fanning out with "nodes"', async () => {
    const { machine } = clients(reader);
    const res = await unary(
      machine,
      'Hostname',
      {},
      md({ nodes: [cp.ip, worker.ip] }),
    );
    expect(
      res.messages.map((m: any) => [m.metadata.hostname, m.hostname]),
    ).toEqual([
      [cp.ip, cp.hostname],
      [worker.ip, worker.hostname],
    ]);
  });

  it('serves etcd on the control plane only', async () => {
    const { machine } = clients(reader);
    const members = await unary(
      machine,
      'EtcdMemberList',
      {},
      md({ node: cp.ip }),
    );
    expect(members.messages[0].members.map((m: any) => m.hostname)).toEqual([
      cp.hostname,
    ]);
    await expect(
      unary(machine, 'EtcdMemberList', {}, md({ node: worker.ip })),
    ).rejects.toMatchObject({
      code: grpc.status.UNIMPLEMENTED,
      details: 'member list is only available on control plane nodes',
    });
    await expect(
      unary(machine, 'EtcdStatus', {}, md({ node: worker.ip })),
    ).rejects.toMatchObject({
      code: grpc.status.UNIMPLEMENTED,
      details: 'etcd status is only available on control plane nodes',
    });
  });

  it('refuses to forward from a worker endpoint', async () => {
    const { machine } = clients(reader, nodeEndpoint(worker.hostname));
    await expect(
      unary(machine, 'Version', {}, md({ node: cp.ip })),
    ).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: 'no request forwarding',
    });
    const own = await unary(machine, 'Hostname', {});
    expect(own.messages[0].hostname).toBe(worker.hostname);
  });

  it('enforces roles: a sensitive resource needs os:admin', async () => {
    const request = {
      namespace: 'k8s',
      type: 'KubeletSpecs.kubernetes.talos.dev',
      id: 'kubelet',
    };
    await expect(
      unary(clients(reader).state, 'Get', request, md({ node: cp.ip })),
    ).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: 'not authorized',
    });
    const res = await unary(
      clients(admin).state,
      'Get',
      request,
      md({ node: cp.ip }),
    );
    expect(parse(res.resource.spec.yaml_spec).image).toBe(
      `ghcr.io/siderolabs/kubelet:${scenario.talos.kubernetesVersion}`,
    );
  });

  it('refuses a client certificate from another CA at the handshake', async () => {
    const foreign = await TalosCa.create();
    // Signed by the right CA? No: a different CA entirely, so the handshake fails.
    const stranger = await foreign.issueClient(['os:admin']);
    const { machine } = clients(
      { ca: reader.ca, crt: stranger.cert, key: stranger.key },
      reader.endpoints[0],
    );
    await expect(unary(machine, 'Version', {})).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
    });
  });

  it('lists, gets and watches COSI resources with YAML specs, NotFound and unsupported types', async () => {
    const { state } = clients(reader);
    const disks = await stream(
      state,
      'List',
      { namespace: 'runtime', type: 'Disks.block.talos.dev' },
      md({ node: worker.ip }),
    );
    const sda = disks.find(d => d.resource.metadata.id === 'sda');
    expect(parse(sda.resource.spec.yaml_spec).size).toBe(
      scenario.proxmox.guests.find(g => g.vmid === worker.vmid)!.diskGiB *
        1024 ** 3,
    );
    const info = await unary(
      state,
      'Get',
      {
        namespace: 'hardware',
        type: 'SystemInformations.hardware.talos.dev',
        id: 'systeminformation',
      },
      md({ node: worker.ip }),
    );
    expect(parse(info.resource.spec.yaml_spec).uuid).toBe(
      scenario.proxmox.guests.find(g => g.vmid === worker.vmid)!.smbiosUuid,
    );
    await expect(
      unary(state, 'Get', {
        namespace: 'runtime',
        type: 'MachineStatuses.runtime.talos.dev',
        id: 'nope',
      }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
      details:
        "resource MachineStatuses.runtime.talos.dev(runtime/nope@undefined) doesn't exist",
    });
    // KubeletStatus arrived in Talos 1.14; the demo runs 1.10.
    await expect(
      unary(state, 'Get', {
        namespace: 'k8s',
        type: 'KubeletStatuses.kubernetes.talos.dev',
        id: 'kubelet',
      }),
    ).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details:
        'resource type "KubeletStatuses.kubernetes.talos.dev" is not supported',
    });
    const events = await stream(
      state,
      'Watch',
      {
        namespace: 'runtime',
        type: 'MachineStatuses.runtime.talos.dev',
        id: 'machine',
        api_version: 1,
        options: {},
      },
      md({ node: cp.ip }),
      2,
    );
    expect(events.map(e => e.event[0].event_type)).toEqual([
      'CREATED',
      'BOOTSTRAPPED',
    ]);
    expect(parse(events[0].event[0].resource.spec.yaml_spec).stage).toBe(
      'running',
    );
  });

  it('moves counters over time', async () => {
    const { machine } = clients(reader);
    const a = await unary(machine, 'SystemStat', {}, md({ node: worker.ip }));
    await new Promise(r => setTimeout(r, 30));
    const b = await unary(machine, 'SystemStat', {}, md({ node: worker.ip }));
    expect(b.messages[0].cpu_total.user).toBeGreaterThan(
      a.messages[0].cpu_total.user,
    );
    expect(Number(b.messages[0].boot_time)).toBe(
      Number(a.messages[0].boot_time),
    );
    expect(Number(a.messages[0].boot_time)).toBeLessThan(
      Date.now() / 1000 - 86400,
    );
  });

  it('takes one node down with a per-node fault while the other still answers', async () => {
    const { machine } = clients(reader);
    sim.faults.add({ service: `talos/${worker.hostname}`, kind: 'down' });
    await expect(
      unary(machine, 'Version', {}, md({ node: worker.ip })),
    ).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: expect.stringContaining('connection refused'),
    });
    const ok = await unary(machine, 'Version', {}, md({ node: cp.ip }));
    expect(ok.messages[0].version.tag).toBe(scenario.talos.talosVersion);
    sim.faults.clear();
    await new Promise(r => setTimeout(r, 50));
    const back = await unary(machine, 'Hostname', {}, md({ node: worker.ip }));
    expect(back.messages[0].hostname).toBe(worker.hostname);
  });

  it('sends a damaged message on a malformed fault', async () => {
    const { machine } = clients(reader);
    sim.faults.add({
      service: 'talos',
      kind: 'malformed',
      path: '^/machine.MachineService/LoadAvg$',
    });
    await expect(unary(machine, 'LoadAvg', {})).rejects.toMatchObject({
      code: grpc.status.INTERNAL,
    });
    await expect(unary(machine, 'Hostname', {})).resolves.toBeTruthy();
  });

  it('puts Version on the wire with Talos field numbers', async () => {
    // A raw client: the bytes as they arrive, decoded by hand below.
    const raw = new grpc.Client(reader.endpoints[0], credentials(reader));
    const bytes: Buffer = await new Promise((resolve, reject) =>
      raw.makeUnaryRequest(
        '/machine.MachineService/Version',
        () => Buffer.alloc(0),
        (b: Buffer) => b,
        {},
        (err, res) => (err ? reject(err) : resolve(res as Buffer)),
      ),
    );
    raw.close();
    // VersionResponse.messages = field 1, length-delimited (tag 0x0a).
    expect(bytes[0]).toBe(0x0a);
    const inner = bytes.subarray(2, 2 + bytes[1]);
    // Version.version = field 2 (tag 0x12), holding VersionInfo.tag = field 1 (tag 0x0a).
    expect(inner[0]).toBe(0x12);
    const info = inner.subarray(2, 2 + inner[1]);
    expect(info[0]).toBe(0x0a);
    expect(info.subarray(2, 2 + info[1]).toString()).toBe(
      scenario.talos.talosVersion,
    );
  });

  it('lists Talos versions on the simulated Image Factory', async () => {
    const url = JSON.parse(
      fs
        .readFileSync(sim.path('app-config.demo.yaml'), 'utf8')
        .replace(/^#.*\n/, ''),
    ).talos.upgrades.imageFactory.url;
    const getJson = (target: string) =>
      new Promise<any>((resolve, reject) =>
        https
          .get(target, { ca: sim.caPem }, res => {
            let body = '';
            res.on('data', c => (body += c));
            res.on('end', () => resolve(JSON.parse(body)));
          })
          .on('error', reject),
      );
    expect(await getJson(`${url}/versions`)).toContain('v1.13.9');
    // Sim only: what the Talos API served, for benchmarks.
    const calls = await getJson(`${url}/_sim/talos-calls`);
    expect(calls['talos-cp-1 /machine.MachineService/Version']).toBeGreaterThan(
      0,
    );
  });
});
