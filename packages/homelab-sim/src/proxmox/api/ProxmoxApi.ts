import { isError, toError } from '@backstage/errors';
import type { ServerResponse } from 'node:http';
import { SimRequest } from '../../http/Router';
import { BackupSchedule } from '../model/backups';
import { ProxmoxModel } from '../model/ProxmoxModel';
import { authenticate, hasAny, privilegesOn, Token } from './access';
import { buildEndpoints, Endpoint, PermCheck } from './endpoints';
import {
  PveError,
  sendData,
  sendError,
  sendExtjs,
  verifyParams,
} from './pveHttp';

type Compiled = Endpoint & { re: RegExp; keys: string[] };

/**
 * `/api2/json/...` as pveproxy serves it: token authentication first (a
 * failure answers 401 with an empty body after a delay), then the path (501
 * for anything unknown), parameter verification (400), the permission check
 * of the schema (403), and the handler inside the `{"data": ...}` envelope.
 */
export class ProxmoxApi {
  private readonly endpoints: Compiled[];
  /** Requests served, by `METHOD /schema/path` (for tests and benchmarks). */
  readonly requests = new Map<string, number>();

  constructor(
    private readonly model: ProxmoxModel,
    private readonly backups: BackupSchedule,
    private readonly tokens: Token[],
    private readonly options: {
      authFailureDelayMs: number;
      sslFingerprint: string;
    },
  ) {
    this.endpoints = buildEndpoints().map(e => {
      const keys: string[] = [];
      const source = e.path.replace(/\{(\w+)\}/g, (_m, k) => {
        keys.push(k);
        return '([^/]+)';
      });
      return { ...e, re: new RegExp(`^${source}/?$`), keys };
    });
  }

  /** The endpoints the sim serves (for the conformance tests). */
  static endpoints(): Endpoint[] {
    return buildEndpoints();
  }

  async handle(req: SimRequest, res: ServerResponse) {
    const extjs = req.pathname.startsWith('/api2/extjs/');
    try {
      await this.dispatch(req, res, extjs);
    } catch (error) {
      const e =
        error instanceof PveError
          ? error
          : new PveError(500, isError(error) ? error.message : String(error));
      // /api2/extjs reports errors inside an HTTP 200 (`success: 0`); only
      // a refused login stays a real status.
      if (extjs && !e.emptyBody) sendExtjs(res, null, {}, e);
      else sendError(res, e);
    }
  }

  private async dispatch(req: SimRequest, res: ServerResponse, extjs: boolean) {
    const m = /^\/api2\/([^/]+)(\/.*)?$/.exec(req.pathname);
    if (!m || (m[1] !== 'json' && m[1] !== 'extjs')) {
      throw new PveError(501, `Unsupported format '${m?.[1] ?? ''}'`);
    }
    const path = m[2] ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();

    const auth = authenticate(req.headers.authorization, this.tokens);
    if (!auth.ok) {
      // pve-http-server: "always delay unauthorized calls by 3 seconds"
      await new Promise(r => setTimeout(r, this.options.authFailureDelayMs));
      throw new PveError(401, auth.reason, undefined, true);
    }

    let found: { ep: Compiled; values: Record<string, string> } | undefined;
    for (const ep of this.endpoints) {
      if (ep.method !== method && !(ep.method === 'GET' && method === 'HEAD'))
        continue;
      const hit = ep.re.exec(path);
      if (!hit) continue;
      const values: Record<string, string> = {};
      ep.keys.forEach((k, i) => {
        values[k] = decodeURIComponent(hit[i + 1]);
      });
      found = { ep, values };
      break;
    }
    if (!found) {
      throw new PveError(501, `Method '${method} ${path}' not implemented`);
    }
    const { ep } = found;
    const counted = `${ep.method} ${ep.path}`;
    this.requests.set(counted, (this.requests.get(counted) ?? 0) + 1);
    const raw: Record<string, string> = {};
    for (const [k, v] of req.query.entries()) raw[k] = v;
    if (method !== 'GET') Object.assign(raw, await readForm(req));
    Object.assign(raw, found.values);
    const major = this.model.major;
    const specs =
      typeof ep.params === 'function' ? ep.params(major) : ep.params;
    const params = verifyParams(specs, raw);

    const check = ep.check?.(major);
    if (check && !passes(check, params, auth.token, major)) {
      const perm = check[0] === 'or' ? (check[1] as PermCheck) : check;
      const target = String(perm[1]).replace(/\{(\w+)\}/g, (_m, k) =>
        String(params[k]),
      );
      throw new PveError(
        403,
        `Permission check failed (${target}, ${(perm[2] as string[]).join(
          '|',
        )})`,
      );
    }

    const reply = ep.handle({
      model: this.model,
      backups: this.backups,
      token: auth.token,
      params,
      sslFingerprint: this.options.sslFingerprint,
    });
    const extra = reply.total === undefined ? {} : { total: reply.total };
    if (extjs) sendExtjs(res, reply.data, extra);
    else sendData(res, reply.data, extra);
  }
}

/** POST parameters: form-encoded (what the PVE UI sends) or JSON. */
async function readForm(req: SimRequest): Promise<Record<string, string>> {
  const body = (await req.body()).toString('utf8');
  if (!body.trim()) return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new PveError(
        400,
        `malformed JSON string: ${toError(error).message}`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new PveError(400, 'Parameter verification failed.', {
        data: 'expected a JSON object',
      });
    }
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'boolean' ? String(Number(v)) : String(v),
      ]),
    );
  }
  return Object.fromEntries(new URLSearchParams(body).entries());
}

/** A schema permission check: `['perm', path, privs, 'any', 1]` or `['or', ...checks]`. */
function passes(
  check: PermCheck,
  params: Record<string, unknown>,
  token: Token,
  major: number,
): boolean {
  if (check[0] === 'or') {
    return (check.slice(1) as PermCheck[]).some(c =>
      passes(c, params, token, major),
    );
  }
  const target = String(check[1]).replace(/\{(\w+)\}/g, (_m, k) =>
    String(params[k]),
  );
  const privs = check[2] as string[];
  return check[3] === 'any'
    ? hasAny(token, target, privs, major)
    : privs.every(p => privilegesOn(token, target, major).has(p));
}
