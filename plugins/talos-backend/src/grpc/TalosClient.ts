import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import { z } from 'zod';
import type { CosiType } from './cosiTypes';
import { diagnoseEndpoint } from './diagnose';
import { CallContext, problemFrom, TalosCallError } from './errors';
import type { Event__Output } from './generated/cosi/resource/Event';
import type { Resource__Output } from './generated/cosi/resource/Resource';
import type { StateClient } from './generated/cosi/resource/State';
import type { WatchResponse__Output } from './generated/cosi/resource/WatchResponse';
import type { CPUsInfo__Output } from './generated/machine/CPUsInfo';
import type { EtcdAlarm__Output } from './generated/machine/EtcdAlarm';
import type { EtcdMembers__Output } from './generated/machine/EtcdMembers';
import type { EtcdStatus__Output } from './generated/machine/EtcdStatus';
import type { Hostname__Output } from './generated/machine/Hostname';
import type { LoadAvg__Output } from './generated/machine/LoadAvg';
import type { Memory__Output } from './generated/machine/Memory';
import type { ServiceList__Output } from './generated/machine/ServiceList';
import type { SystemStat__Output } from './generated/machine/SystemStat';
import type { Version__Output } from './generated/machine/Version';
import type { MachineServiceClient } from './generated/machine/MachineService';
import type { ServiceInfo__Output } from './generated/machine/ServiceInfo';
import { loadTalosServices } from './protos';
import { TalosContext } from './talosconfig';

/** A COSI resource with its YAML spec checked against its {@link CosiType}. */
export type CosiResource<T> = {
  id: string;
  namespace: string;
  type: string;
  version: string;
  phase: string;
  spec: T;
};

/** A service as ServiceList returns it. */
export type RawService = ServiceInfo__Output;

type Channel = {
  endpoint: string;
  machine: MachineServiceClient;
  state: StateClient;
};

/** Every MachineService answer: one message per node, each with metadata. */
type NodeMessages<M> = {
  messages: (M & { metadata: { error: string } | null })[];
};

/** Calls one unary method on a channel with the call's metadata and deadline. */
type UnaryCall<R> = (
  channel: Channel,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<R>,
) => grpc.ClientUnaryCall;

/**
 * The Talos API of one cluster over mTLS: every call goes to the configured
 * endpoint (apid) and names its target node in the `node` metadata, as
 * talosctl does; apid forwards it. One channel per endpoint, shared by all
 * calls. Failures become {@link TalosCallError}s whose messages say what to do.
 */
export class TalosClient {
  private readonly channels: Channel[];
  private current = 0;
  /** Upstream calls made so far (for metrics and the benchmark). */
  calls = 0;

  constructor(
    readonly context: TalosContext,
    private readonly options: { timeoutMs: number } = { timeoutMs: 5000 },
  ) {
    const { MachineService, State } = loadTalosServices();
    const credentials = grpc.credentials.createSsl(
      Buffer.from(context.caPem),
      Buffer.from(context.keyPem),
      Buffer.from(context.certPem),
    );
    const channelOptions = {
      'grpc.max_receive_message_length': 32 * 1024 * 1024,
      // Do not let a dead endpoint keep every call waiting for a reconnect.
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 5000,
    };
    this.channels = context.endpoints.map(endpoint => ({
      endpoint,
      machine: new MachineService(endpoint, credentials, channelOptions),
      state: new State(endpoint, credentials, channelOptions),
    }));
  }

  get roles(): string[] {
    return this.context.roles;
  }

  get endpoint(): string {
    return this.channels[this.current].endpoint;
  }

  close() {
    for (const c of this.channels) {
      c.machine.close();
      c.state.close();
    }
  }

  private metadata(node?: string): grpc.Metadata {
    const md = new grpc.Metadata();
    if (node) md.set('node', node);
    return md;
  }

  private callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.options.timeoutMs };
  }

  private ctx(what: string, node?: string): CallContext {
    return {
      what,
      node: node ?? this.endpoint,
      endpoint: this.endpoint,
      roles: this.roles,
      timeoutMs: this.options.timeoutMs,
    };
  }

  /**
   * Runs a call on the current endpoint; when the endpoint itself (not the
   * node behind it) cannot be reached and there are others, moves on to the
   * next one, as talosctl's round robin would.
   */
  private async withEndpoint<T>(
    what: string,
    node: string | undefined,
    run: (channel: Channel) => Promise<T>,
  ): Promise<T> {
    let lastError: TalosCallError | undefined;
    for (let attempt = 0; attempt < this.channels.length; attempt++) {
      const channel = this.channels[this.current];
      try {
        this.calls++;
        return await run(channel);
      } catch (error) {
        let problem = problemFrom(error, this.ctx(what, node));
        const endpointDown =
          problem.problem.kind === 'unreachable' &&
          !/reported by/.test(problem.message);
        if (endpointDown) {
          // gRPC hides TLS failures behind "Failed to connect": find out which.
          const found = await diagnoseEndpoint(channel.endpoint, this.context);
          if (found) problem = new TalosCallError(found, problem.code);
        }
        if (
          !endpointDown ||
          problem.problem.kind === 'tls' ||
          this.channels.length === 1
        ) {
          throw problem;
        }
        lastError = problem;
        this.current = (this.current + 1) % this.channels.length;
      }
    }
    throw lastError ?? new Error('the talosconfig lists no endpoint');
  }

  /** A unary call whose answer is the target node's one message. */
  private unary<M>(
    what: string,
    node: string | undefined,
    call: UnaryCall<NodeMessages<M>>,
  ): Promise<M> {
    return this.withEndpoint(
      what,
      node,
      channel =>
        new Promise<M>((resolve, reject) => {
          call(
            channel,
            this.metadata(node),
            this.callOptions(),
            (error, response) => {
              if (error) {
                reject(error);
                return;
              }
              // One item per node; with `node` metadata there is exactly one.
              const item = response?.messages?.[0];
              if (!item) {
                reject(
                  new TalosCallError({
                    kind: 'malformed',
                    message: `${
                      node ?? channel.endpoint
                    } answered "${what}" with no message`,
                  }),
                );
              } else if (item.metadata?.error) {
                reject(
                  new TalosCallError({
                    kind: 'error',
                    message: `${node ?? channel.endpoint}: ${
                      item.metadata.error
                    }`,
                  }),
                );
              } else {
                resolve(item);
              }
            },
          );
        }),
    );
  }

  // ---- MachineService ---------------------------------------------------

  version(node?: string) {
    return this.unary<Version__Output>(
      'read the Talos version',
      node,
      (c, md, o, cb) => c.machine.Version({}, md, o, cb),
    );
  }

  hostname(node?: string) {
    return this.unary<Hostname__Output>(
      'read the hostname',
      node,
      (c, md, o, cb) => c.machine.Hostname({}, md, o, cb),
    );
  }

  serviceList(node?: string) {
    return this.unary<ServiceList__Output>(
      'list services',
      node,
      (c, md, o, cb) => c.machine.ServiceList({}, md, o, cb),
    );
  }

  memory(node?: string) {
    return this.unary<Memory__Output>('read memory', node, (c, md, o, cb) =>
      c.machine.Memory({}, md, o, cb),
    );
  }

  systemStat(node?: string) {
    return this.unary<SystemStat__Output>(
      'read CPU statistics',
      node,
      (c, md, o, cb) => c.machine.SystemStat({}, md, o, cb),
    );
  }

  cpuInfo(node?: string) {
    return this.unary<CPUsInfo__Output>(
      'read CPU information',
      node,
      (c, md, o, cb) => c.machine.CPUInfo({}, md, o, cb),
    );
  }

  loadAvg(node?: string) {
    return this.unary<LoadAvg__Output>(
      'read the load average',
      node,
      (c, md, o, cb) => c.machine.LoadAvg({}, md, o, cb),
    );
  }

  etcdMemberList(node?: string) {
    return this.unary<EtcdMembers__Output>(
      'read the etcd members',
      node,
      (c, md, o, cb) =>
        c.machine.EtcdMemberList({ query_local: false }, md, o, cb),
    );
  }

  etcdStatus(node?: string) {
    return this.unary<EtcdStatus__Output>(
      'read the etcd status',
      node,
      (c, md, o, cb) => c.machine.EtcdStatus({}, md, o, cb),
    );
  }

  etcdAlarms(node?: string) {
    return this.unary<EtcdAlarm__Output>(
      'read the etcd alarms',
      node,
      (c, md, o, cb) => c.machine.EtcdAlarmList({}, md, o, cb),
    );
  }

  // ---- COSI state -------------------------------------------------------

  /** `talosctl get <type> <id>`. */
  async get<S extends z.ZodTypeAny>(
    kind: CosiType<S>,
    id: string,
    node?: string,
  ): Promise<CosiResource<z.infer<S>>> {
    const what = `read ${kind.type} ${id}`;
    const { namespace, type } = kind;
    const res = await this.withEndpoint(
      what,
      node,
      channel =>
        new Promise<Resource__Output | null>((resolve, reject) =>
          channel.state.Get(
            { namespace, type, id },
            this.metadata(node),
            this.callOptions(),
            (error, response) =>
              error ? reject(error) : resolve(response?.resource ?? null),
          ),
        ),
    );
    return this.decode(kind, res, what, node);
  }

  /** `talosctl get <type>`: every resource of the type, streamed. */
  async list<S extends z.ZodTypeAny>(
    kind: CosiType<S>,
    node?: string,
  ): Promise<CosiResource<z.infer<S>>[]> {
    const what = `list ${kind.type}`;
    const { namespace, type } = kind;
    const items = await this.withEndpoint(what, node, channel =>
      collect(
        channel.state.List(
          { namespace, type },
          this.metadata(node),
          this.callOptions(),
        ),
      ),
    );
    return items.map(i => this.decode(kind, i.resource, what, node));
  }

  /**
   * The current state of one resource through a COSI Watch (as `talosctl
   * health` reads boot progress): the first event, then the stream is closed.
   */
  async watchCurrent<S extends z.ZodTypeAny>(
    kind: CosiType<S>,
    id: string,
    node?: string,
  ): Promise<CosiResource<z.infer<S>>> {
    const what = `watch ${kind.type} ${id}`;
    const { namespace, type } = kind;
    const isOurs = (e: Event__Output) => e.resource?.metadata?.id === id;
    const messages = await this.withEndpoint(what, node, channel =>
      collect<WatchResponse__Output>(
        channel.state.Watch(
          {
            namespace,
            type,
            id,
            options: { bootstrap_contents: true },
            api_version: 1,
          },
          this.metadata(node),
          this.callOptions(),
        ),
        msg =>
          msg.event.some(e => e.event_type === 'BOOTSTRAPPED' || isOurs(e)),
      ),
    );
    const found = messages.flatMap(m => m.event).find(isOurs);
    if (!found) {
      throw new TalosCallError({
        kind: 'not-found',
        message: `${node ?? this.endpoint}: ${type} ${id} does not exist`,
      });
    }
    if (found.event_type === 'ERRORED') {
      throw new TalosCallError({
        kind: 'error',
        message: `${node}: ${found.error}`,
      });
    }
    return this.decode(kind, found.resource, what, node);
  }

  /** Parses a resource's YAML spec and checks it against its type's schema. */
  private decode<S extends z.ZodTypeAny>(
    kind: CosiType<S>,
    resource: Resource__Output | null,
    what: string,
    node?: string,
  ): CosiResource<z.infer<S>> {
    const on = node ?? this.endpoint;
    const metadata = resource?.metadata;
    if (!metadata) {
      throw new TalosCallError({
        kind: 'malformed',
        message: `${on} answered "${what}" without a resource`,
      });
    }
    const malformed = (why: string) =>
      new TalosCallError({
        kind: 'malformed',
        message: `${on}: the YAML spec of ${metadata.type} ${metadata.id} ${why}`,
      });
    let raw: unknown;
    try {
      raw = parse(resource.spec?.yaml_spec ?? '');
    } catch (error) {
      throw malformed(`is not valid (${String(error).split('\n')[0]})`);
    }
    const spec = kind.spec.safeParse(raw);
    if (!spec.success) {
      const issue = spec.error.issues[0];
      throw malformed(
        `has an unexpected ${issue.path.join('.') || 'value'} (${
          issue.message
        })`,
      );
    }
    return {
      id: metadata.id,
      namespace: metadata.namespace,
      type: metadata.type,
      version: metadata.version,
      phase: metadata.phase,
      spec: spec.data,
    };
  }
}

/** Reads a server stream to its end, or until `stop` says enough (then cancels). */
function collect<M>(
  call: grpc.ClientReadableStream<M>,
  stop?: (message: M) => boolean,
): Promise<M[]> {
  return new Promise((resolve, reject) => {
    const out: M[] = [];
    let finished = false;
    call.on('data', (message: M) => {
      out.push(message);
      if (stop?.(message) && !finished) {
        finished = true;
        call.cancel();
        resolve(out);
      }
    });
    call.on('error', (error: grpc.ServiceError) => {
      if (finished) return;
      finished = true;
      reject(error);
    });
    call.on('end', () => {
      if (finished) return;
      finished = true;
      resolve(out);
    });
  });
}
