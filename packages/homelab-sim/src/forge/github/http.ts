import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, SimRequest } from '../../http/Router';
import { githubError } from './errors';

/** Called when a 304 answers a conditional request: GitHub does not count those. */
const refunds = new WeakMap<ServerResponse, () => void>();

export function onNotModified(res: ServerResponse, refund: () => void) {
  refunds.set(res, refund);
}

/**
 * GitHub's ETag: a weak validator over what the caller would get. The
 * token's scope and the media type change the body, so they are part of it.
 */
function etagOf(req: SimRequest, body: string) {
  const hash = createHash('sha256')
    .update(String(req.headers.accept ?? ''))
    .update('\0')
    .update(body)
    .digest('hex');
  return `W/"${hash.slice(0, 40)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some(t => t.trim() === '*' || strip(t) === strip(etag));
}

/**
 * A GET answer with GitHub's conditional-request behaviour: an `ETag` on
 * every 200, and `304 Not Modified` (empty body, no rate-limit cost) when
 * `If-None-Match` names the current one.
 */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
) {
  const req = res.req as SimRequest | undefined;
  const out = { ...headers };
  if (
    req &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    status === 200
  ) {
    const etag = etagOf(req, body.toString());
    out.etag = etag;
    out['cache-control'] = 'private, max-age=60, s-maxage=60';
    out.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP';
    if (matches(req.headers['if-none-match'] as string | undefined, etag)) {
      refunds.get(res)?.();
      delete out['content-type'];
      res.writeHead(304, {
        etag,
        'cache-control': out['cache-control'],
        vary: out.vary,
      });
      res.end();
      return;
    }
  }
  res.writeHead(status, {
    ...out,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(req?.method === 'HEAD' ? undefined : body);
}

/** JSON with GitHub's exact content-type, ETag and conditional requests. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (status !== 200) {
    sendJson(res, status, body, {
      'content-type': 'application/json; charset=utf-8',
      ...headers,
    });
    return;
  }
  sendBody(res, status, JSON.stringify(body), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

export async function readJson(
  req: SimRequest,
  docs: string,
): Promise<Record<string, unknown>> {
  const text = (await req.body()).toString('utf8');
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error();
    return value;
  } catch {
    throw githubError(400, 'Problems parsing JSON', docs);
  }
}

/** GitHub's wording for a missing or mistyped request field. */
export function field<T>(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'boolean' | 'array' | 'object' | 'number',
  docs: string,
  required = false,
): T | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required)
      throw githubError(
        422,
        `Invalid request.\n\n"${name}" wasn't supplied.`,
        docs,
      );
    return undefined;
  }
  let ok = typeof v === type;
  if (type === 'array') ok = Array.isArray(v);
  if (type === 'object') ok = typeof v === 'object' && !Array.isArray(v);
  if (!ok)
    throw githubError(
      422,
      `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(
        v,
      )} is not a${type === 'array' || type === 'object' ? 'n' : ''} ${type}.`,
      docs,
    );
  return v as T;
}

/** One enum-valued request field, as GitHub validates it. */
export function oneOf<T extends string>(
  body: Record<string, unknown>,
  name: string,
  values: readonly T[],
  docs: string,
  required = false,
): T | undefined {
  const v = field<string>(body, name, 'string', docs, required);
  if (v === undefined) return undefined;
  if (!values.includes(v as T))
    throw githubError(
      422,
      `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(
        v,
      )} is not a member of enum ${JSON.stringify(values)}.`,
      docs,
    );
  return v as T;
}

export function pageOf(req: SimRequest) {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.query.get('per_page') ?? 30) || 30),
  );
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  return { perPage, page };
}

export function linkHeader(
  req: SimRequest,
  base: string,
  page: number,
  hasNext: boolean,
  last?: number,
): Record<string, string> {
  const links: string[] = [];
  const at = (n: number) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(n));
    return `<${base}${req.pathname}?${q}>`;
  };
  if (page > 1)
    links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (hasNext) {
    links.push(`${at(page + 1)}; rel="next"`);
    if (last) links.push(`${at(last)}; rel="last"`);
  }
  const out: Record<string, string> = {};
  if (links.length) out.link = links.join(', ');
  return out;
}

/** One page of a list, and the Link header GitHub sends with it. */
export function paginate<T>(req: SimRequest, base: string, all: T[]) {
  const { perPage, page } = pageOf(req);
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    headers: linkHeader(
      req,
      base,
      page,
      all.length > page * perPage,
      Math.ceil(all.length / perPage),
    ),
  };
}

/**
 * The media type a GitHub call asked for in `Accept`
 * (`application/vnd.github[.v3].<type>[+json]`): `diff`, `patch`, `raw`,
 * `html`, `sha`; undefined for JSON.
 */
export function mediaType(req: SimRequest): string | undefined {
  const m =
    /application\/vnd\.github(?:\.v3)?\.(diff|patch|raw|html|sha|text|full)/.exec(
      String(req.headers.accept ?? ''),
    );
  return m?.[1];
}
