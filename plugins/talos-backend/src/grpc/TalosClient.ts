import * as grpc from '@grpc/grpc-js';
import { parse } from 'yaml';
import { diagnoseEndpoint } from './diagnose';
import { CallContext, problemFrom, TalosCallError } from './errors';
import { loadTalosServices } from './protos';
import { TalosContext } from './talosconfig';

/** A COSI resource with its spec decoded from YAML. */
export type CosiResource<T = any> = {
  id: string;
  namespace: string;
  type: string;
  version: string;
  phase: string;
  spec: T;
};

type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: any) => void,
) => grpc.ClientUnaryCall;

/**
 * The Talos API of one cluster over mTLS: every call goes to the configured
 * endpoint (apid) and names its target node in the `node` metadata, as
 * talosctl does; apid forwards it. One channel per endpoint, shared by all
 * calls. Failures become {@link TalosCallError}s whose messages say what to do.
 */
export class TalosClient {
  private readonly channels: {
    endpoint: string;
    machine: grpc.Client & Record<string, Unary>;
    state: grpc.Client & Record<string, any>;
  }[];
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
      machine: new MachineService(endpoint, credentials, channelOptions) as any,
      state: new State(endpoint, credentials, channelOptions) as any,
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
    run: (channel: (typeof this.channels)[number]) => Promise<T>,
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

  private unary<T>(
    method: string,
    what: string,
    node?: string,
    request: unknown = {},
  ): Promise<T> {
    return this.withEndpoint(
      what,
      node,
      channel =>
        new Promise<T>((resolve, reject) => {
          channel.machine[method](
            request,
            this.metadata(node),
            { deadline: Date.now() + this.options.timeoutMs },
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
                resolve(item as T);
              }
            },
          );
        }),
    );
  }

  // ---- MachineService ---------------------------------------------------

  version(node?: string) {
    return this.unary<{
      version: { tag: string; sha: string; arch: string } | null;
      platform: { name: string; mode: string } | null;
    }>('Version', 'read the Talos version', node);
  }

  hostname(node?: string) {
    return this.unary<{ hostname: string }>(
      'Hostname',
      'read the hostname',
      node,
    );
  }

  serviceList(node?: string) {
    return this.unary<{ services: RawService[] }>(
      'ServiceList',
      'list services',
      node,
    );
  }

  memory(node?: string) {
    return this.unary<{ meminfo: Record<string, string> | null }>(
      'Memory',
      'read memory',
      node,
    );
  }

  systemStat(node?: string) {
    return this.unary<{
      boot_time: string;
      cpu_total: Record<string, number> | null;
    }>('SystemStat', 'read CPU statistics', node);
  }

  cpuInfo(node?: string) {
    return this.unary<{
      cpu_info: { processor: number; model_name: string; cpu_mhz: number }[];
    }>('CPUInfo', 'read CPU information', node);
  }

  loadAvg(node?: string) {
    return this.unary<{ load1: number; load5: number; load15: number }>(
      'LoadAvg',
      'read the load average',
      node,
    );
  }

  etcdMemberList(node?: string) {
    return this.unary<{
      members: {
        id: string;
        hostname: string;
        peer_urls: string[];
        client_urls: string[];
        is_learner: boolean;
      }[];
    }>('EtcdMemberList', 'read the etcd members', node, { query_local: false });
  }

  etcdStatus(node?: string) {
    return this.unary<{
      member_status: {
        protocol_version: string;
        db_size: string;
        db_size_in_use: string;
        leader: string;
        raft_index: string;
        raft_term: string;
        errors: string[];
        is_learner: boolean;
        member_id: string;
        storage_version: string;
      } | null;
    }>('EtcdStatus', 'read the etcd status', node);
  }

  etcdAlarms(node?: string) {
    return this.unary<{
      member_alarms: { member_id: string; alarm: string }[];
    }>('EtcdAlarmList', 'read the etcd alarms', node);
  }

  // ---- COSI state -------------------------------------------------------

  /** `talosctl get <type> <id>`. */
  async get<T = any>(
    namespace: string,
    type: string,
    id: string,
    node?: string,
  ) {
    const what = `read ${type} ${id}`;
    const res = await this.withEndpoint(
      what,
      node,
      channel =>
        new Promise<any>((resolve, reject) =>
          channel.state.Get(
            { namespace, type, id },
            this.metadata(node),
            { deadline: Date.now() + this.options.timeoutMs },
            (error: grpc.ServiceError | null, response: any) =>
              error ? reject(error) : resolve(response),
          ),
        ),
    );
    return this.decode<T>(res.resource, what, node);
  }

  /** `talosctl get <type>`: every resource of the type, streamed. */
  async list<T = any>(namespace: string, type: string, node?: string) {
    const what = `list ${type}`;
    const items = await this.withEndpoint(what, node, channel =>
      collect(
        channel.state.List({ namespace, type }, this.metadata(node), {
          deadline: Date.now() + this.options.timeoutMs,
        }),
      ),
    );
    return items.map(i => this.decode<T>(i.resource, what, node));
  }

  /**
   * The current state of one resource through a COSI Watch (as `talosctl
   * health` reads boot progress): the first event, then the stream is closed.
   */
  async watchCurrent<T = any>(
    namespace: string,
    type: string,
    id: string,
    node?: string,
  ) {
    const what = `watch ${type} ${id}`;
    const events = await this.withEndpoint(what, node, channel =>
      collect(
        channel.state.Watch(
          {
            namespace,
            type,
            id,
            options: { bootstrap_contents: true },
            api_version: 1,
          },
          this.metadata(node),
          { deadline: Date.now() + this.options.timeoutMs },
        ),
        (msg: any) =>
          (msg.event ?? []).some(
            (e: any) =>
              e.event_type === 'BOOTSTRAPPED' ||
              e.resource?.metadata?.id === id,
          ),
      ),
    );
    const found = events
      .flatMap((m: any) => m.event ?? [])
      .find((e: any) => e.resource?.metadata?.id === id);
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
    return this.decode<T>(found.resource, what, node);
  }

  private decode<T>(
    resource: any,
    what: string,
    node?: string,
  ): CosiResource<T> {
    if (!resource?.metadata) {
      throw new TalosCallError({
        kind: 'malformed',
        message: `${
          node ?? this.endpoint
        } answered "${what}" without a resource`,
      });
    }
    let spec: T;
    try {
      spec = parse(resource.spec?.yaml_spec ?? '') as T;
    } catch (error) {
      throw new TalosCallError({
        kind: 'malformed',
        message: `${node ?? this.endpoint}: the YAML spec of ${
          resource.metadata.type
        } ${resource.metadata.id} is not valid (${
          (error as Error).message.split('\n')[0]
        })`,
      });
    }
    return {
      id: resource.metadata.id,
      namespace: resource.metadata.namespace,
      type: resource.metadata.type,
      version: resource.metadata.version,
      phase: resource.metadata.phase,
      spec,
    };
  }
}

export type RawService = {
  id: string;
  state: string;
  events: {
    events: {
      msg: string;
      state: string;
      ts: { seconds: string; nanos: number } | null;
    }[];
  } | null;
  health: {
    unknown: boolean;
    healthy: boolean;
    last_message: string;
    last_change: { seconds: string; nanos: number } | null;
  } | null;
};

/** Reads a server stream to its end, or until `stop` says enough (then cancels). */
function collect(
  call: grpc.ClientReadableStream<any>,
  stop?: (message: any) => boolean,
): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const out: any[] = [];
    let finished = false;
    call.on('data', message => {
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
