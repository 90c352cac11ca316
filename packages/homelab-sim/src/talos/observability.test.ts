import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import protobuf from 'protobufjs';
import { parse } from 'yaml';
import { SimUnderTest, startSim } from '../testUtils';
import { PROTO_DIR } from './protos';
import {
  clients,
  Ctx,
  md,
  readTalosconfig,
  stream,
  unary,
} from './__testUtils__/talosClient';

jest.setTimeout(30_000);

/**
 * The Talos calls behind talosctl's dashboard, containers, processes,
 * mounts, dmesg, logs, events, disks and time, and the COSI definitions a
 * client resolves type names with. Wire facts (paths, field numbers) come
 * from siderolabs/talos at ad8823176e75 (api/machine/machine.proto,
 * api/storage/storage.proto, api/time/time.proto) and cosi-project/runtime
 * at 61ea7ec2 (pkg/resource/meta/spec/resource_definition.go).
 */
describe('simulated Talos API: observability calls and COSI definitions', () => {
  let sim: SimUnderTest<'talos'>;
  let reader: Ctx;
  let admin: Ctx;

  beforeAll(async () => {
    sim = await startSim({
      only: ['talos'],
      tmpPrefix: 'sim-talos-obs-',
    });
    reader = readTalosconfig(sim.path('talos/talosconfig'));
    admin = readTalosconfig(sim.path('talos/talosconfig-admin'));
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('refuses Reboot to a reader with PermissionDenied, and acknowledges it for an admin', async () => {
    // machined's rules: Reboot is admin and operator only.
    await expect(
      unary(clients(reader).machine, 'Reboot', {}),
    ).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: 'not authorized',
    });
    const ok = await unary(clients(admin).machine, 'Reboot', {
      mode: 'DEFAULT',
    });
    expect(ok.messages[0].actor_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists containers and their stats per containerd namespace', async () => {
    const { machine } = clients(reader);
    const system = await unary(machine, 'Containers', { namespace: 'system' });
    expect(system.messages[0].containers.map((c: any) => c.id).sort()).toEqual([
      'apid',
      'etcd',
      'kubelet',
      'trustd',
    ]);
    const cri = await unary(machine, 'Containers', {
      namespace: 'k8s.io',
      driver: 'CRI',
    });
    expect(cri.messages[0].containers.map((c: any) => c.name)).toContain(
      'kube-apiserver',
    );
    const stats = await unary(machine, 'Stats', { namespace: 'system' });
    expect(Number(stats.messages[0].stats[0].memory_usage)).toBeGreaterThan(0);
  });

  it('serves processes, mounts, disk, network and cpufreq readings with counters that grow', async () => {
    const { machine } = clients(reader);
    const procs = await unary(machine, 'Processes', {});
    expect(procs.messages[0].processes[0]).toMatchObject({
      pid: 1,
      command: 'machined',
    });
    const mounts = await unary(machine, 'Mounts', {});
    const varMount = mounts.messages[0].stats.find(
      (s: any) => s.mounted_on === '/var',
    );
    expect(Number(varMount.size)).toBeGreaterThan(Number(varMount.available));
    const disks1 = await unary(machine, 'DiskStats', {});
    await new Promise(r => setTimeout(r, 1100));
    const disks2 = await unary(machine, 'DiskStats', {});
    expect(Number(disks2.messages[0].total.write_completed)).toBeGreaterThan(
      Number(disks1.messages[0].total.write_completed),
    );
    const net = await unary(machine, 'NetworkDeviceStats', {});
    expect(net.messages[0].devices.map((d: any) => d.name)).toEqual([
      'eth0',
      'lo',
    ]);
    // A QEMU VM has no cpufreq driver: sysfs lists no CPU.
    const freq = await unary(machine, 'CPUFreqStats', {});
    expect(freq.messages[0].cpu_freq_stats).toEqual([]);
    const netstat = await unary(machine, 'Netstat', { filter: 'LISTENING' });
    expect(
      netstat.messages[0].connectrecord.map((r: any) => r.localport),
    ).toContain(50000);
  });

  it('streams dmesg and service logs as common.Data, and events with a hello first', async () => {
    const { machine } = clients(reader);
    const dmesg = await stream(machine, 'Dmesg', {});
    const text = Buffer.concat(dmesg.map(d => d.bytes)).toString();
    expect(text).toMatch(
      /^kern: {2}notice: \[\d{4}-\d\d-\d\dT[^\]]+\]: Linux version/,
    );
    const logs = await stream(machine, 'Logs', {
      namespace: 'system',
      id: 'apid',
      tail_lines: 1,
    });
    expect(
      Buffer.concat(logs.map(d => d.bytes))
        .toString()
        .split('\n'),
    ).toHaveLength(2);
    await expect(
      stream(machine, 'Logs', { namespace: 'system', id: 'nope' }),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });

    const events = await stream(machine, 'Events', { tail_events: 3 }, md(), 4);
    expect(events[0].data).toBeNull();
    expect(events[0].id).toMatch(/^[0-9a-v]{20}$/);
    const root = new protobuf.Root();
    root.resolvePath = (_o, target) =>
      path.isAbsolute(target) ? target : path.join(PROTO_DIR, target);
    root.loadSync('machine/machine.proto', { keepCase: true });
    const type = root.lookupType('machine.ServiceStateEvent');
    for (const e of events.slice(1)) {
      expect(e.data.type_url).toBe('talos/runtime/machine.ServiceStateEvent');
      expect(type.decode(e.data.value).toJSON().service).toBeTruthy();
    }
  });

  it('answers storage.Disks and time.Time on their own services', async () => {
    const { storage, time } = clients(reader);
    const disks = await unary(storage, 'Disks', {});
    expect(disks.messages[0].disks[0]).toMatchObject({
      device_name: '/dev/sda',
      system_disk: true,
      type: 'HDD',
    });
    const now = await unary(time, 'Time', {});
    expect(
      Math.abs(Number(now.messages[0].localtime.seconds) * 1000 - Date.now()),
    ).toBeLessThan(60_000);
  });

  it('lists ResourceDefinitions and Namespaces so a client can resolve type aliases', async () => {
    const { state } = clients(reader);
    const definitions = await stream(state, 'List', {
      namespace: 'meta',
      type: 'ResourceDefinitions.meta.cosi.dev',
    });
    const specs = definitions.map(d => parse(d.resource.spec.yaml_spec));
    // What talosctl's ResolveResourceKind does: match an alias, get the type.
    const resolve = (alias: string) =>
      specs.find(s => s.allAliases.includes(alias))?.type;
    expect(resolve('members')).toBe('Members.cluster.talos.dev');
    expect(resolve('svc')).toBe('Services.v1alpha1.talos.dev');
    expect(resolve('cpus')).toBe('Processors.hardware.talos.dev');
    expect(resolve('machinestatus')).toBe('MachineStatuses.runtime.talos.dev');
    expect(resolve('ms')).toBe('MachineStatuses.runtime.talos.dev');
    expect(
      specs.find(s => s.type === 'KubeletSpecs.kubernetes.talos.dev')
        .sensitivity,
    ).toBe('sensitive');
    expect(definitions[0].resource.metadata.id).toBe(
      definitions[0].resource.metadata.id.toLowerCase(),
    );
    const namespaces = await stream(state, 'List', {
      namespace: 'meta',
      type: 'Namespaces.meta.cosi.dev',
    });
    expect(namespaces.map(n => n.resource.metadata.id)).toEqual(
      expect.arrayContaining(['meta', 'network', 'runtime', 'perf']),
    );
  });

  it.each([
    ['AddressStatuses.net.talos.dev', 'network', 'address'],
    ['MemoryStats.perf.talos.dev', 'perf', 'total'],
    ['Processors.hardware.talos.dev', 'hardware', 'coreCount'],
    ['SecurityStates.talos.dev', 'runtime', 'secureBoot'],
  ])('serves %s in %s', async (type, namespace, key) => {
    const list = await stream(clients(reader).state, 'List', {
      namespace,
      type,
    });
    expect(list.length).toBeGreaterThan(0);
    expect(parse(list[0].resource.spec.yaml_spec)).toHaveProperty(key);
  });
});
