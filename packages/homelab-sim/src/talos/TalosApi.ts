import { isError } from '@backstage/errors';
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import { FaultController } from '../faults/FaultController';
import { SimContext } from '../SimContext';
import { randomUUID } from 'node:crypto';
import { loadTalosServices, packEvent } from './protos';
import {
  containers,
  containerStats,
  diskStats,
  kernelMessages,
  listeningSockets,
  mounts,
  networkDeviceStats,
  processes,
  serviceLog,
} from './readings';
import {
  NAMESPACES,
  RESOURCE_TYPES,
  ResourceTypeInfo,
  SimResource,
  yamlSpec,
} from './resources';
import { mayCall, rolesOf } from './roles';
import { standardKeyPem, TalosCa } from './talosPki';
import { TalosMachine } from './TalosMachine';

/** One node's apid listener; closed and reopened on the same port to follow `down` faults. */
class NodeListener {
  private server?: grpc.Server;
  port = 0;

  constructor(
    private readonly api: TalosApi,
    private readonly machine: TalosMachine,
    private readonly tls: { cert: string; key: string },
    private readonly caPem: string,
  ) {}

  private build(): grpc.Server {
    const services = loadTalosServices();
    const server = new grpc.Server({
      'grpc.max_receive_message_length': 32 * 1024 * 1024,
    });
    server.addService(
      withDamage(services.machine),
      this.api.machineHandlers(this.machine),
    );
    server.addService(
      withDamage(services.state),
      this.api.stateHandlers(this.machine),
    );
    server.addService(
      withDamage(services.storage),
      this.api.unaryHandlers(
        this.machine,
        services.storage,
        'storage.StorageService',
      ),
    );
    server.addService(
      withDamage(services.time),
      this.api.unaryHandlers(this.machine, services.time, 'time.TimeService'),
    );
    return server;
  }

  private credentials() {
    return grpc.ServerCredentials.createSsl(
      Buffer.from(this.caPem),
      [
        {
          private_key: Buffer.from(standardKeyPem(this.tls.key)),
          cert_chain: Buffer.from(this.tls.cert),
        },
      ],
      true,
    );
  }

  async listen(port: number) {
    const server = this.build();
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `localhost:${port}`,
        this.credentials(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    this.server = server;
    await this.followDown();
  }

  async followDown() {
    const down = this.api.isDown(this.machine);
    if (down && this.server) {
      const s = this.server;
      this.server = undefined;
      s.forceShutdown();
    } else if (!down && !this.server && this.port) {
      const server = this.build();
      this.server = server;
      await new Promise<void>((resolve, reject) =>
        server.bindAsync(`localhost:${this.port}`, this.credentials(), error =>
          error ? reject(error) : resolve(),
        ),
      );
    }
  }

  async close() {
    const s = this.server;
    this.server = undefined;
    this.port = 0;
    s?.forceShutdown();
  }
}

/**
 * The Talos API of the demo cluster: one apid per node (gRPC over TLS with
 * client-certificate auth from the cluster's Talos CA), each able to proxy a
 * call to another node named in the `node` metadata, as apid does.
 *
 * Faults: rules for service `talos` apply to every node; rules for service
 * `talos/<hostname>` (e.g. `talos/talos-worker-1`) to that node only. The
 * path a rule matches is the gRPC method path
 * (`/machine.MachineService/Version`, `/cosi.resource.State/List`). A `down`
 * rule closes the node's listener and makes calls proxied to it fail as
 * apid's do (Unavailable, connection refused).
 */
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** A response object the serializer should damage (malformed/truncate faults). */
const DAMAGE = Symbol('damage');

type Damage = 'malformed' | 'truncate';

class StatusError extends Error {
  constructor(readonly code: grpc.status, message: string) {
    super(message);
  }
}

type Caller = { roles: string[] };

type Target =
  | { kind: 'local' }
  | { kind: 'one'; name: string }
  | { kind: 'many'; names: string[] };

export class TalosApi {
  readonly machines: TalosMachine[];
  /** Calls served, by `<hostname> <method>` (benchmarks read them). */
  readonly calls = new Map<string, number>();
  private readonly listeners = new Map<string, NodeListener>();
  private readonly versions = new Map<
    string,
    { yaml: string; version: number; updated: number }
  >();

  constructor(private readonly ctx: SimContext, private readonly ca: TalosCa) {
    const cluster = ctx.scenario.talos;
    this.machines = cluster.nodes.map(n => new TalosMachine(ctx, n, cluster));
  }

  get faults(): FaultController {
    return this.ctx.faults;
  }

  /** Starts every node's apid; `basePort` 0 = any free ports. */
  async start(basePort: number): Promise<void> {
    for (const [i, m] of this.machines.entries()) {
      const tls = await this.ca.issueServer(m.hostname, [m.ip]);
      const listener = new NodeListener(this, m, tls, this.ca.certPem);
      this.listeners.set(m.hostname, listener);
      await listener.listen(basePort === 0 ? 0 : basePort + i);
    }
    this.faults.onChange(() => {
      for (const l of this.listeners.values())
        l.followDown().catch(() => undefined);
    });
  }

  port(hostname: string): number {
    const l = this.listeners.get(hostname);
    if (!l) throw new Error(`no Talos node ${hostname}`);
    return l.port;
  }

  async close() {
    await Promise.all([...this.listeners.values()].map(l => l.close()));
  }

  isDown(m: TalosMachine): boolean {
    return (
      this.faults.isDown('talos') || this.faults.isDown(`talos/${m.hostname}`)
    );
  }

  find(name: string): TalosMachine | undefined {
    return this.machines.find(m => m.ip === name || m.hostname === name);
  }

  // ---- request handling ------------------------------------------------

  /** Who is calling, from the verified client certificate. */
  caller(
    call: grpc.ServerUnaryCall<any, any> | grpc.ServerWritableStream<any, any>,
  ): Caller {
    const cert = call.getAuthContext()?.sslPeerCertificate as
      | (PeerCertificate & { ext_key_usage?: string[] })
      | undefined;
    if (!cert) {
      throw new StatusError(
        grpc.status.UNAUTHENTICATED,
        'client certificate required',
      );
    }
    // apid accepts only leaf certificates whose ExtKeyUsage is exactly ClientAuth.
    const eku = cert.ext_key_usage ?? [];
    if (eku.length !== 1 || eku[0] !== CLIENT_AUTH_OID) {
      throw new StatusError(
        grpc.status.UNAVAILABLE,
        'connection error: desc = "transport: authentication handshake failed: remote error: tls: bad certificate"',
      );
    }
    return { roles: rolesOf(cert.subject?.O) };
  }

  target(metadata: grpc.Metadata): Target {
    const nodes = metadata.get('nodes').map(String);
    const node = metadata.get('node').map(String);
    if (nodes.length > 0) {
      return {
        kind: 'many',
        names: nodes.flatMap(n => n.split(',')).map(n => n.trim()),
      };
    }
    if (node.length > 1) {
      throw new StatusError(
        grpc.status.INVALID_ARGUMENT,
        'node metadata must be single-valued',
      );
    }
    if (node.length === 1) {
      if (/:\d+$/.test(node[0]) && !node[0].includes('[')) {
        throw new StatusError(
          grpc.status.INVALID_ARGUMENT,
          `node metadata must not contain a port: ${node[0]}`,
        );
      }
      return { kind: 'one', name: node[0] };
    }
    return { kind: 'local' };
  }

  /** The machine a one-to-one call lands on, as apid's director decides. */
  resolve(entry: TalosMachine, name: string | undefined): TalosMachine {
    if (name === undefined) return entry;
    const target = this.find(name);
    if (target === entry) return entry;
    // Workers hold no client certificate, so their apid cannot forward.
    if (!entry.isControlPlane) {
      throw new StatusError(
        grpc.status.PERMISSION_DENIED,
        'no request forwarding',
      );
    }
    if (!target) {
      throw new StatusError(
        grpc.status.UNAVAILABLE,
        `connection error: desc = "transport: Error while dialing: dial tcp ${name}:50000: i/o timeout"`,
      );
    }
    if (this.isDown(target)) {
      throw new StatusError(
        grpc.status.UNAVAILABLE,
        `connection error: desc = "transport: Error while dialing: dial tcp ${target.ip}:50000: connect: connection refused"`,
      );
    }
    return target;
  }

  /** Applies fault rules for this node and method; returns a damage mark if any. */
  async applyFaults(
    m: TalosMachine,
    method: string,
    onHang: () => Promise<never>,
  ): Promise<Damage | undefined> {
    const key = `${m.hostname} ${method}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const rule =
      this.faults.match(`talos/${m.hostname}`, 'POST', method) ??
      this.faults.match('talos', 'POST', method);
    if (!rule) return undefined;
    if (rule.ms) await new Promise(r => setTimeout(r, rule.ms));
    switch (rule.kind) {
      case 'hang':
        return onHang();
      case 'reset':
      case 'down':
        throw new StatusError(
          grpc.status.UNAVAILABLE,
          'error reading from server: read: connection reset by peer',
        );
      case 'error':
        throw new StatusError(
          httpToGrpc(rule.status ?? 500),
          `injected fault (HTTP ${rule.status ?? 500})`,
        );
      case 'malformed':
      case 'truncate':
        return rule.kind;
      default:
        return undefined;
    }
  }

  checkRole(method: string, caller: Caller) {
    if (!mayCall(method, caller.roles)) {
      throw new StatusError(grpc.status.PERMISSION_DENIED, 'not authorized');
    }
  }

  // ---- COSI ------------------------------------------------------------

  resourceType(
    m: TalosMachine,
    type: string,
    namespace: string,
    caller: Caller,
  ): ResourceTypeInfo {
    const info = RESOURCE_TYPES[type];
    if (!info || (info.since !== undefined && m.minor < info.since)) {
      throw new StatusError(
        grpc.status.PERMISSION_DENIED,
        `resource type "${type}" is not supported`,
      );
    }
    if (info.sensitive && !caller.roles.includes('os:admin')) {
      throw new StatusError(grpc.status.PERMISSION_DENIED, 'not authorized');
    }
    if (!NAMESPACES.has(namespace)) {
      throw new StatusError(
        grpc.status.PERMISSION_DENIED,
        `namespace "${namespace}" is not supported`,
      );
    }
    return info;
  }

  resources(
    m: TalosMachine,
    type: string,
    namespace: string,
    info: ResourceTypeInfo,
  ) {
    if (info.namespace !== namespace) return [];
    return info
      .list(m, this.machines)
      .map(r => this.toResource(m, type, namespace, r));
  }

  private toResource(
    m: TalosMachine,
    type: string,
    namespace: string,
    r: SimResource,
  ) {
    const yaml = yamlSpec(r.spec);
    const key = `${m.hostname}/${namespace}/${type}/${r.id}`;
    let seen = this.versions.get(key);
    if (!seen) {
      seen = { yaml, version: 1, updated: m.bootTime * 1000 + 15_000 };
      this.versions.set(key, seen);
    } else if (seen.yaml !== yaml) {
      seen = { yaml, version: seen.version + 1, updated: this.ctx.now() };
      this.versions.set(key, seen);
    }
    const created = timestamp(m.bootTime * 1000 + 10_000);
    return {
      metadata: {
        namespace,
        type,
        id: r.id,
        version: String(seen.version),
        owner: ownerOf(type),
        phase: 'running',
        created,
        updated: timestamp(seen.updated),
        finalizers: [],
        labels: {},
        annotations: {},
      },
      spec: { proto_spec: Buffer.alloc(0), yaml_spec: yaml },
    };
  }

  notFound(type: string, namespace: string, id: string) {
    return new StatusError(
      grpc.status.NOT_FOUND,
      `resource ${type}(${namespace}/${id}@undefined) doesn't exist`,
    );
  }

  // ---- MachineService answers -------------------------------------------

  machineAnswer(
    m: TalosMachine,
    method: string,
    request: any,
  ): Record<string, unknown> {
    switch (method) {
      case 'Version':
        return {
          version: {
            tag: m.talosVersion,
            sha: shaOf(m.talosVersion),
            built: '',
            go_version: goVersion(m.minor),
            os: 'linux',
            arch: 'amd64',
          },
          platform: { name: 'nocloud', mode: 'cloud' },
          features: { rbac: true },
        };
      case 'Hostname':
        return { hostname: m.hostname };
      case 'ServiceList':
        return {
          services: m.services().map(s => ({
            id: s.id,
            state: s.state,
            events: {
              events: s.events.map(e => ({
                msg: e.msg,
                state: e.state,
                ts: timestamp(e.ts),
              })),
            },
            health: {
              unknown: s.unknown,
              healthy: s.healthy,
              last_message: s.lastMessage,
              last_change: timestamp(s.lastChange),
            },
          })),
        };
      case 'Memory':
        return { meminfo: m.memInfo() };
      case 'LoadAvg':
        return m.loadAvg();
      case 'SystemStat': {
        const times = m.cpuTimes();
        const perCpu = Array.from({ length: m.cpus }, (_, i) => {
          const share = (1 + 0.2 * Math.sin(i * 1.7)) / m.cpus;
          return Object.fromEntries(
            Object.entries(times).map(([k, v]) => [k, v * share]),
          );
        });
        const c = m.counters();
        return {
          boot_time: m.bootTime,
          cpu_total: times,
          cpu: perCpu,
          irq_total: c.irq_total,
          irq: [],
          context_switches: c.context_switches,
          process_created: c.process_created,
          process_running: c.process_running,
          process_blocked: c.process_blocked,
          soft_irq_total: c.soft_irq_total,
        };
      }
      case 'CPUInfo': {
        const model =
          this.ctx.scenario.proxmox.nodes.find(n => n.name === m.guest.node)
            ?.cpuModel ?? 'QEMU Virtual CPU';
        return {
          cpu_info: Array.from({ length: m.cpus }, (_, i) => ({
            processor: i,
            vendor_id: 'GenuineIntel',
            cpu_family: '6',
            model: '151',
            model_name: model,
            cpu_mhz: 2995.2,
            cache_size: '18432 KB',
            siblings: m.cpus,
            cpu_cores: m.cpus,
            flags: [
              'fpu',
              'vme',
              'de',
              'pse',
              'tsc',
              'msr',
              'pae',
              'mce',
              'sse4_2',
              'avx2',
              'hypervisor',
            ],
            bogo_mips: 5990.4,
            address_sizes: '46 bits physical, 48 bits virtual',
          })),
        };
      }
      case 'EtcdMemberList': {
        this.requireControlPlane(m, 'member list');
        void request;
        return {
          legacy_members: [],
          members: this.machines
            .filter(n => n.isControlPlane)
            .map(n => ({
              id: n.etcdMemberId().toString(),
              hostname: n.hostname,
              peer_urls: [`https://${n.ip}:2380`],
              client_urls: [`https://${n.ip}:2379`],
              is_learner: false,
            })),
        };
      }
      case 'EtcdAlarmList':
        this.requireControlPlane(m, 'etcd alarm list');
        return { member_alarms: [] };
      case 'EtcdStatus': {
        this.requireControlPlane(m, 'etcd status');
        const leader = this.machines
          .find(n => n.isControlPlane)!
          .etcdMemberId();
        const s = m.etcdStatus(leader);
        return {
          member_status: {
            ...s,
            leader: s.leader.toString(),
            raft_index: s.raft_index.toString(),
            raft_term: s.raft_term.toString(),
            raft_applied_index: s.raft_applied_index.toString(),
            member_id: s.member_id.toString(),
          },
        };
      }
      case 'Containers':
        return {
          containers: containers(m, request?.namespace || 'system'),
        };
      case 'Stats':
        return { stats: containerStats(m, request?.namespace || 'system') };
      case 'Processes':
        return { processes: processes(m) };
      case 'Mounts':
        return { stats: mounts(m) };
      case 'DiskStats':
        return diskStats(m);
      case 'NetworkDeviceStats':
        return networkDeviceStats(m);
      case 'CPUFreqStats':
        // A QEMU VM has no cpufreq driver: sysfs lists no CPU, so Talos
        // answers an empty list.
        return { cpu_freq_stats: [] };
      case 'Netstat':
        return {
          connectrecord:
            request?.filter === 'CONNECTED' ? [] : listeningSockets(m),
        };
      case 'Reboot':
        // Acknowledged with an actor id, as machined answers before the
        // reboot sequence runs; the demo node keeps running.
        return { actor_id: randomUUID() };
      case 'Disks': {
        const size = String(m.guest.diskGiB * 1024 ** 3);
        return {
          disks: [
            {
              size,
              model: 'QEMU HARDDISK',
              device_name: '/dev/sda',
              name: '',
              serial: 'drive-scsi0',
              modalias: 'scsi:t-0x00',
              uuid: '',
              wwid: '',
              type: 'HDD',
              bus_path:
                '/pci0000:00/0000:00:05.0/0000:01:01.0/virtio2/host2/target2:0:0/2:0:0:0',
              system_disk: true,
              subsystem: '/sys/class/block',
              readonly: false,
            },
          ],
        };
      }
      case 'Time': {
        const now = this.ctx.now();
        return {
          server: 'time.cloudflare.com',
          localtime: timestamp(now),
          remotetime: timestamp(now - 3),
        };
      }
      default:
        throw new StatusError(
          grpc.status.UNIMPLEMENTED,
          `unknown method ${method}`,
        );
    }
  }

  private requireControlPlane(m: TalosMachine, api: string) {
    if (!m.isControlPlane) {
      throw new StatusError(
        grpc.status.UNIMPLEMENTED,
        `${api} is only available on control plane nodes`,
      );
    }
  }

  // ---- handlers ----------------------------------------------------------

  machineHandlers(entry: TalosMachine): grpc.UntypedServiceImplementation {
    return {
      ...this.unaryHandlers(
        entry,
        loadTalosServices().machine,
        'machine.MachineService',
      ),
      Logs: this.streamHandler(entry, 'Logs'),
      Dmesg: this.streamHandler(entry, 'Dmesg'),
      Events: this.streamHandler(entry, 'Events'),
    };
  }

  /** Unary methods of a service: roles, routing, fan-out, faults. */
  unaryHandlers(
    entry: TalosMachine,
    service: grpc.ServiceDefinition,
    servicePath: string,
  ): grpc.UntypedServiceImplementation {
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [method, definition] of Object.entries(service)) {
      if (definition.responseStream) continue;
      const path = `/${servicePath}/${method}`;
      handlers[method] = (
        call: grpc.ServerUnaryCall<any, any>,
        callback: grpc.sendUnaryData<any>,
      ) => {
        let done = false;
        const onHang = () =>
          new Promise<never>(() => {
            call.on('cancelled', () => {
              done = true;
            });
          });
        (async () => {
          const caller = this.caller(call);
          const target = this.target(call.metadata);
          this.checkRole(path, caller);
          if (target.kind === 'many') {
            // One-to-many: concatenate replies, each tagged with the target as given.
            const messages: unknown[] = [];
            for (const name of target.names) {
              try {
                const m = this.resolve(entry, name);
                await this.applyFaults(m, path, onHang);
                messages.push({
                  metadata: { hostname: name },
                  ...this.machineAnswer(m, method, call.request),
                });
              } catch (error) {
                const e = asStatus(error);
                messages.push({
                  metadata: {
                    hostname: name,
                    error: e.message,
                    status: { code: e.code, message: e.message },
                  },
                });
              }
            }
            return { messages };
          }
          const m = this.resolve(
            entry,
            target.kind === 'one' ? target.name : undefined,
          );
          const damage = await this.applyFaults(m, path, onHang);
          const reply: any = {
            messages: [this.machineAnswer(m, method, call.request)],
          };
          if (damage) reply[DAMAGE] = damage;
          return reply;
        })().then(
          reply => {
            if (!done) callback(null, reply);
          },
          error => {
            if (!done) callback(toServiceError(error));
          },
        );
      };
    }
    return handlers;
  }

  /**
   * Logs, Dmesg and Events: server streams. Logs and Dmesg send the text as
   * common.Data chunks; Events starts with an empty "hello" event, then the
   * tail asked for; with `follow` (Logs, Dmesg) or always (Events) the
   * stream stays open until the client cancels.
   */
  streamHandler(entry: TalosMachine, method: 'Logs' | 'Dmesg' | 'Events') {
    const path = `/machine.MachineService/${method}`;
    return (call: grpc.ServerWritableStream<any, any>) => {
      const onHang = () => new Promise<never>(() => undefined);
      (async () => {
        const caller = this.caller(call);
        const target = this.target(call.metadata);
        this.checkRole(path, caller);
        const names =
          target.kind === 'many'
            ? target.names
            : [target.kind === 'one' ? target.name : undefined];
        const request = call.request ?? {};
        for (const name of names) {
          const m = this.resolve(entry, name);
          await this.applyFaults(m, path, onHang);
          const metadata =
            target.kind === 'many' ? { hostname: name } : undefined;
          for (const message of this.streamMessages(m, method, request)) {
            call.write(metadata ? { ...message, metadata } : message);
          }
        }
        const follows = method === 'Events' || Boolean(request.follow);
        if (!follows) call.end();
      })().catch(e => call.emit('error', toServiceError(e)));
    };
  }

  private streamMessages(
    m: TalosMachine,
    method: 'Logs' | 'Dmesg' | 'Events',
    request: any,
  ): Record<string, unknown>[] {
    const data = (lines: string[]) =>
      lines.length ? [{ bytes: Buffer.from(`${lines.join('\n')}\n`) }] : [];
    if (method === 'Dmesg') return data(kernelMessages(m));
    if (method === 'Logs') {
      const system = request.namespace === 'system' || request.id === 'kubelet';
      const lines = system ? serviceLog(m, request.id) : undefined;
      if (!lines) {
        throw new StatusError(
          grpc.status.NOT_FOUND,
          system
            ? `log "${request.id}" was not registered`
            : `container "${request.id}" not found`,
        );
      }
      const tail = Number(request.tail_lines ?? -1);
      return data(
        tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines,
      );
    }
    const history = m
      .services()
      .flatMap(s =>
        s.events.map(e => ({
          ts: e.ts,
          data: packEvent('ServiceStateEvent', {
            service: s.id,
            action: e.state.toUpperCase(),
            message: e.msg,
            health: {
              unknown: s.unknown,
              healthy: s.healthy,
              last_message: s.lastMessage,
            },
          }),
        })),
      )
      .sort((a, b) => a.ts - b.ts);
    const tail = Number(request.tail_events ?? 0);
    const sent =
      tail < 0 ? history : history.slice(Math.max(0, history.length - tail));
    const hello = {
      id: eventId(this.ctx.now(), 0),
      actor_id: request.with_actor_id ?? '',
    };
    return [
      hello,
      ...sent.map((e, i) => ({
        id: eventId(e.ts, i + 1),
        data: e.data,
        actor_id: '',
      })),
    ];
  }

  stateHandlers(entry: TalosMachine): grpc.UntypedServiceImplementation {
    const prepare = async (
      call:
        | grpc.ServerUnaryCall<any, any>
        | grpc.ServerWritableStream<any, any>,
      path: string,
      onHang: () => Promise<never>,
    ) => {
      const caller = this.caller(call);
      const target = this.target(call.metadata);
      this.checkRole(path, caller);
      if (target.kind === 'many') {
        throw new StatusError(
          grpc.status.INVALID_ARGUMENT,
          'one-2-many proxying is not supported for this method',
        );
      }
      const m = this.resolve(
        entry,
        target.kind === 'one' ? target.name : undefined,
      );
      const damage = await this.applyFaults(m, path, onHang);
      const { namespace, type } = call.request;
      const info = this.resourceType(m, type, namespace, caller);
      return {
        m,
        info,
        damage,
        namespace: namespace as string,
        type: type as string,
      };
    };

    return {
      Get: (
        call: grpc.ServerUnaryCall<any, any>,
        callback: grpc.sendUnaryData<any>,
      ) => {
        let done = false;
        const onHang = () =>
          new Promise<never>(() => call.on('cancelled', () => (done = true)));
        (async () => {
          const { m, info, damage, namespace, type } = await prepare(
            call,
            '/cosi.resource.State/Get',
            onHang,
          );
          const found = this.resources(m, type, namespace, info).find(
            r => r.metadata.id === call.request.id,
          );
          if (!found) throw this.notFound(type, namespace, call.request.id);
          const reply: any = { resource: found };
          if (damage) reply[DAMAGE] = damage;
          return reply;
        })().then(
          r => !done && callback(null, r),
          e => !done && callback(toServiceError(e)),
        );
      },
      List: (call: grpc.ServerWritableStream<any, any>) => {
        const onHang = () => new Promise<never>(() => undefined);
        (async () => {
          const { m, info, damage, namespace, type } = await prepare(
            call,
            '/cosi.resource.State/List',
            onHang,
          );
          const re = call.request.options?.id_query?.regexp
            ? new RegExp(call.request.options.id_query.regexp)
            : undefined;
          for (const resource of this.resources(m, type, namespace, info)) {
            if (re && !re.test(resource.metadata.id)) continue;
            const msg: any = { resource };
            if (damage) msg[DAMAGE] = damage;
            call.write(msg);
          }
          call.end();
        })().catch(e => call.emit('error', toServiceError(e)));
      },
      Watch: (call: grpc.ServerWritableStream<any, any>) => {
        let timer: NodeJS.Timeout | undefined;
        call.on('cancelled', () => timer && clearInterval(timer));
        const onHang = () => new Promise<never>(() => undefined);
        (async () => {
          const { m, info, damage, namespace, type } = await prepare(
            call,
            '/cosi.resource.State/Watch',
            onHang,
          );
          const { id, options, api_version: apiVersion } = call.request;
          const current = () =>
            this.resources(m, type, namespace, info).filter(
              r => !id || r.metadata.id === id,
            );
          const send = (events: unknown[]) => {
            const msg: any = { event: events };
            if (damage) msg[DAMAGE] = damage;
            call.write(msg);
          };
          const last = new Map<string, string>();
          // A single-resource watch always starts with the current state; a kind
          // watch only when asked to bootstrap.
          if (id || options?.bootstrap_contents) {
            for (const r of current()) {
              last.set(r.metadata.id, r.spec.yaml_spec);
              send([{ resource: r, event_type: 'CREATED' }]);
            }
          }
          if (apiVersion >= 1) send([{ event_type: 'BOOTSTRAPPED' }]);
          timer = setInterval(() => {
            if (this.isDown(m)) {
              clearInterval(timer);
              call.emit(
                'error',
                toServiceError(
                  new StatusError(
                    grpc.status.UNAVAILABLE,
                    'error reading from server: EOF',
                  ),
                ),
              );
              return;
            }
            for (const r of current()) {
              const before = last.get(r.metadata.id);
              if (before !== r.spec.yaml_spec) {
                last.set(r.metadata.id, r.spec.yaml_spec);
                send([
                  {
                    resource: r,
                    event_type: before === undefined ? 'CREATED' : 'UPDATED',
                  },
                ]);
              }
            }
          }, 2000);
        })().catch(e => call.emit('error', toServiceError(e)));
      },
    };
  }
}

/** Wraps response serializers so malformed/truncate faults damage the bytes on the wire. */
function withDamage(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<any, any>> = {};
  for (const [name, method] of Object.entries(service)) {
    out[name] = {
      ...method,
      responseSerialize: (value: any) => {
        const bytes = method.responseSerialize(value);
        switch (value?.[DAMAGE] as Damage | undefined) {
          case 'malformed':
            // A length-delimited field 1 whose length runs past the end.
            return Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]);
          case 'truncate':
            return bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
          default:
            return bytes;
        }
      },
    };
  }
  return out as grpc.ServiceDefinition;
}

/** An xid as machined's event ids are: 12 bytes (time, machine, counter) in base32hex. */
function eventId(ms: number, counter: number) {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(ms / 1000), 0);
  bytes.writeUInt32BE(0x7a1c05 + counter, 8);
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out + alphabet[(value << (5 - bits)) & 31];
}

function timestamp(ms: number) {
  return {
    seconds: String(Math.floor(ms / 1000)),
    nanos: (ms % 1000) * 1_000_000,
  };
}

/** The Go toolchain a Talos minor was built with (roughly). */
function goVersion(minor: number) {
  if (minor >= 13) return 'go1.25.4';
  return minor >= 11 ? 'go1.24.6' : 'go1.24.4';
}

function shaOf(version: string) {
  let h = 0x811c9dc5;
  for (const c of version) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function ownerOf(type: string): string {
  const [plural, group] = type.split('.');
  const singular = /(ses|xes)$/.test(plural)
    ? plural.slice(0, -2)
    : plural.replace(/s$/, '');
  const ns = group === 'v1alpha1' ? 'v1alpha1' : group;
  return `${ns}.${singular}Controller`;
}

function httpToGrpc(status: number): grpc.status {
  switch (status) {
    case 400:
      return grpc.status.INVALID_ARGUMENT;
    case 401:
      return grpc.status.UNAUTHENTICATED;
    case 403:
      return grpc.status.PERMISSION_DENIED;
    case 404:
      return grpc.status.NOT_FOUND;
    case 409:
      return grpc.status.ALREADY_EXISTS;
    case 429:
      return grpc.status.RESOURCE_EXHAUSTED;
    case 501:
      return grpc.status.UNIMPLEMENTED;
    case 503:
      return grpc.status.UNAVAILABLE;
    case 504:
      return grpc.status.DEADLINE_EXCEEDED;
    default:
      return grpc.status.INTERNAL;
  }
}

function asStatus(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  return new StatusError(
    grpc.status.INTERNAL,
    isError(error) ? error.message : String(error),
  );
}

function toServiceError(error: unknown): Partial<grpc.ServiceError> {
  const e = asStatus(error);
  return { code: e.code, details: e.message, message: e.message };
}
