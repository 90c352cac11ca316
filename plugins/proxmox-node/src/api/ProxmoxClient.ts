import type {
  ProxmoxGuestType,
  ProxmoxPowerAction,
} from '@homelab-portal/plugin-proxmox-common';
import { Agent, fetch } from 'undici';
import { z } from 'zod';
import {
  hideAddress,
  httpError,
  ProxmoxApiError,
  transportError,
} from './errors';
import {
  agentInterfacesSchema,
  backupJobsSchema,
  ClusterResources,
  GuestInterface,
  guestConfigSchema,
  guestCurrentSchema,
  lxcInterfacesSchema,
  nodeStatusSchema,
  notBackedUpSchema,
  parseClusterResources,
  parseWith,
  permissionsSchema,
  rrdSchema,
  RrdRow,
  storageContentSchema,
  storageListSchema,
  taskListSchema,
  taskLogSchema,
  taskStatusSchema,
  upidSchema,
  versionSchema,
  WireShapeError,
} from './wire';

/** @public */
export type ProxmoxClientOptions = {
  /** The instance id, used in messages. */
  instance: string;
  /** `https://host:8006` */
  url: string;
  /** `user@realm!tokenid` */
  tokenId: string;
  tokenSecret: string;
  /** CA certificate(s), PEM, that signed the Proxmox certificate. */
  ca?: string;
  /** Skip certificate verification for this client only. */
  dangerouslyAllowInsecureTls?: boolean;
  timeoutMs?: number;
  /** Extra attempts for idempotent GETs on transient failures. Default 2. */
  retries?: number;
  /** Base backoff between attempts, ms. Default 200. */
  retryBaseMs?: number;
  /** Called once per HTTP request sent (metrics, tests, benchmarks). */
  onRequest?: (method: string, path: string) => void;
};

/** @public */
export type RrdTimeframe =
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'year'
  | 'decade';

/** @public */
export type TaskQuery = {
  vmid?: number;
  typefilter?: string;
  limit?: number;
  start?: number;
  since?: number;
  errors?: boolean;
  source?: 'archive' | 'active' | 'all';
};

/**
 * A typed client for the part of the Proxmox VE API the portal uses. It
 * authenticates with an API token (no ticket, no CSRF token needed), trusts
 * only the CA it is given (its own undici agent: nothing process-wide), times
 * out every call, retries only idempotent GETs on transient failures, and
 * turns every failure into a {@link ProxmoxApiError} that says what to fix.
 *
 * @public
 */
export class ProxmoxClient {
  private readonly agent: Agent;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;

  constructor(private readonly options: ProxmoxClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:') {
      throw new Error(
        `Proxmox instance "${options.instance}": url must start with https:// (Proxmox VE serves its API over HTTPS only, usually on port 8006), got ${options.url}`,
      );
    }
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}/api2/json`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.agent = new Agent({
      connect: {
        ca: options.ca,
        rejectUnauthorized: !options.dangerouslyAllowInsecureTls,
      },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      // pveproxy runs 3 workers; a few connections per instance are plenty.
      connections: 8,
    });
  }

  get instance() {
    return this.options.instance;
  }

  get tokenId() {
    return this.options.tokenId;
  }

  async close() {
    await this.agent.close();
  }

  // --- reads ---------------------------------------------------------------

  async version() {
    return parseWith(versionSchema, await this.get('/version'));
  }

  async clusterResources(): Promise<ClusterResources> {
    return this.parsed(
      '/cluster/resources',
      parseClusterResources,
      await this.get('/cluster/resources'),
    );
  }

  async nodeStatus(node: string) {
    return this.shape(`/nodes/${enc(node)}/status`, nodeStatusSchema);
  }

  async nodeRrd(
    node: string,
    timeframe: RrdTimeframe,
    cf: 'AVERAGE' | 'MAX' = 'AVERAGE',
  ): Promise<RrdRow[]> {
    return this.shape(`/nodes/${enc(node)}/rrddata`, rrdSchema, {
      timeframe,
      cf,
    }) as Promise<RrdRow[]>;
  }

  async guestRrd(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
    timeframe: Exclude<RrdTimeframe, 'decade'>,
  ): Promise<RrdRow[]> {
    return this.shape(
      `/nodes/${enc(node)}/${type}/${vmid}/rrddata`,
      rrdSchema,
      {
        timeframe,
        cf: 'AVERAGE',
      },
    ) as Promise<RrdRow[]>;
  }

  async guestCurrent(node: string, type: ProxmoxGuestType, vmid: number) {
    return this.shape(
      `/nodes/${enc(node)}/${type}/${vmid}/status/current`,
      guestCurrentSchema,
    );
  }

  async guestConfig(node: string, type: ProxmoxGuestType, vmid: number) {
    return this.shape(
      `/nodes/${enc(node)}/${type}/${vmid}/config`,
      guestConfigSchema,
    );
  }

  /** Addresses from the QEMU guest agent, or from inside an LXC container. */
  async guestInterfaces(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
  ): Promise<GuestInterface[]> {
    if (type === 'qemu') {
      const body = await this.shape(
        `/nodes/${enc(node)}/qemu/${vmid}/agent/network-get-interfaces`,
        agentInterfacesSchema,
      );
      return body.result.map(i => ({
        name: i.name,
        mac: i['hardware-address'],
        addresses: (i['ip-addresses'] ?? []).map(a => ({
          address: a['ip-address'],
          prefix: a.prefix,
          family:
            /6/.test(a['ip-address-type'] ?? '') ||
            a['ip-address'].includes(':')
              ? 'ipv6'
              : 'ipv4',
        })),
      }));
    }
    const list = await this.shape(
      `/nodes/${enc(node)}/lxc/${vmid}/interfaces`,
      lxcInterfacesSchema,
    );
    return list.map(i => {
      const addresses: GuestInterface['addresses'] = i['ip-addresses']
        ? i['ip-addresses'].map(a => ({
            address: a['ip-address'],
            prefix: a.prefix,
            family:
              /6/.test(a['ip-address-type'] ?? '') ||
              a['ip-address'].includes(':')
                ? 'ipv6'
                : 'ipv4',
          }))
        : // Before the `ip-addresses` field, only inet/inet6 (CIDR) existed.
          [i.inet, i.inet6]
            .filter((x): x is string => !!x)
            .map(cidr => {
              const [address, prefix] = cidr.split('/');
              return {
                address,
                prefix: prefix ? Number(prefix) : undefined,
                family: address.includes(':') ? 'ipv6' : 'ipv4',
              };
            });
      return {
        name: i.name,
        mac: i['hardware-address'] ?? i.hwaddr,
        addresses,
      };
    });
  }

  async storageList(node: string, content?: string) {
    return this.shape(
      `/nodes/${enc(node)}/storage`,
      storageListSchema,
      content ? { content } : {},
    );
  }

  async storageContent(
    node: string,
    storage: string,
    query: { content?: string; vmid?: number } = {},
  ) {
    return this.shape(
      `/nodes/${enc(node)}/storage/${enc(storage)}/content`,
      storageContentSchema,
      query,
    );
  }

  async backupJobs() {
    return this.shape('/cluster/backup', backupJobsSchema);
  }

  async notBackedUp() {
    return this.shape('/cluster/backup-info/not-backed-up', notBackedUpSchema);
  }

  async nodeTasks(node: string, query: TaskQuery = {}) {
    const { errors, ...rest } = query;
    const q: Record<string, string | number | undefined> = { ...rest };
    if (errors !== undefined) q.errors = errors ? 1 : 0;
    return this.shape(`/nodes/${enc(node)}/tasks`, taskListSchema, q);
  }

  async clusterTasks() {
    return this.shape('/cluster/tasks', taskListSchema);
  }

  async taskStatus(node: string, upid: string) {
    return this.shape(
      `/nodes/${enc(node)}/tasks/${enc(upid)}/status`,
      taskStatusSchema,
    );
  }

  async taskLog(node: string, upid: string, start = 0, limit = 500) {
    return this.shape(
      `/nodes/${enc(node)}/tasks/${enc(upid)}/log`,
      taskLogSchema,
      { start, limit },
    );
  }

  /** The token's own privileges, per ACL path (or for one path). */
  async permissions(path?: string) {
    return this.shape(
      '/access/permissions',
      permissionsSchema,
      path ? { path } : {},
    );
  }

  // --- power ---------------------------------------------------------------

  /** Starts a power action; returns the task's UPID. Never retried. */
  async power(
    node: string,
    type: ProxmoxGuestType,
    vmid: number,
    action: ProxmoxPowerAction,
  ): Promise<string> {
    const path = `/nodes/${enc(node)}/${type}/${vmid}/status/${action}`;
    const data = await this.send('POST', path, {});
    return this.parsed(path, d => parseWith(upidSchema, d), data);
  }

  // --- transport -----------------------------------------------------------

  private async shape<T extends z.ZodTypeAny>(
    path: string,
    schema: T,
    query: Record<string, string | number | undefined> = {},
  ): Promise<z.output<T>> {
    const data = await this.get(path, query);
    return this.parsed(path, d => parseWith(schema, d), data);
  }

  private parsed<T>(
    path: string,
    parse: (data: unknown) => T,
    data: unknown,
  ): T {
    try {
      return parse(data);
    } catch (error) {
      if (!(error instanceof WireShapeError)) throw error;
      throw new ProxmoxApiError(
        'bad-response',
        `Proxmox instance "${this.options.instance}" answered GET ${path} with data that is not the Proxmox API's shape (${error.message}). Is ${this.options.url} a Proxmox VE host, and is its version supported (8.4 or 9.x)?`,
        { instance: this.options.instance, path },
        hideAddress(this.options.url),
      );
    }
  }

  /** GET with retries on transient failures (GETs are idempotent). */
  private async get(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send('GET', path, query);
      } catch (error) {
        if (
          !(error instanceof ProxmoxApiError) ||
          !error.transient ||
          attempt >= this.retries
        ) {
          throw error;
        }
        const wait =
          this.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        await new Promise(r => setTimeout(r, wait));
      }
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string | number | undefined>,
  ): Promise<unknown> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined) search.set(k, String(v));
    }
    const url =
      method === 'GET' && [...search.keys()].length
        ? `${this.base}${path}?${search}`
        : `${this.base}${path}`;
    const ctx = {
      instance: this.options.instance,
      url: this.options.url,
      method,
      path,
      timeoutMs: this.timeoutMs,
    };
    this.options.onRequest?.(method, path);
    let res;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        dispatcher: this.agent,
        headers: {
          // Exactly as pveproxy parses it: PVEAPIToken=<user>@<realm>!<id>=<secret>
          authorization: `PVEAPIToken=${this.options.tokenId}=${this.options.tokenSecret}`,
          accept: 'application/json',
          ...(method === 'POST'
            ? { 'content-type': 'application/x-www-form-urlencoded' }
            : {}),
        },
        body: method === 'POST' ? search.toString() : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      throw transportError(error, ctx);
    }
    let body:
      | { data?: unknown; message?: unknown; errors?: unknown }
      | undefined;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        if (res.ok) {
          throw new ProxmoxApiError(
            'bad-response',
            `Proxmox instance "${
              this.options.instance
            }" answered ${method} ${path} with a body that is not JSON (${
              text.length
            } bytes, starting ${JSON.stringify(text.slice(0, 40))}). Is ${
              this.options.url
            } the Proxmox API (port 8006), not a proxy or login page?`,
            {
              instance: this.options.instance,
              method,
              path,
              status: res.status,
            },
            hideAddress(this.options.url),
          );
        }
      }
    }
    if (!res.ok) {
      // Since libpve-http-server-perl 5.2 the body has `message`; older
      // releases only put it in the reason phrase.
      const message =
        typeof body?.message === 'string'
          ? body.message.trim()
          : res.statusText.trim();
      const parameters =
        body?.errors && typeof body.errors === 'object'
          ? Object.fromEntries(
              Object.entries(body.errors).map(([k, v]) => [k, String(v)]),
            )
          : undefined;
      throw httpError({
        ...ctx,
        status: res.status,
        upstreamMessage: message,
        parameters,
        tokenId: this.options.tokenId,
      });
    }
    if (!body || typeof body !== 'object' || !('data' in body)) {
      throw new ProxmoxApiError(
        'bad-response',
        `Proxmox instance "${this.options.instance}" answered ${method} ${path} without the {"data": ...} envelope of the Proxmox API. Is ${this.options.url} a Proxmox VE host?`,
        { instance: this.options.instance, method, path, status: res.status },
        hideAddress(this.options.url),
      );
    }
    return body.data;
  }
}

function enc(s: string) {
  return encodeURIComponent(s);
}
