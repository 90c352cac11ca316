import { ForwardedError } from '@backstage/errors';

/** A forge answered with an HTTP error; the message never carries credentials. */
export class ForgeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly body: string,
  ) {
    super(
      `${method} ${url} answered HTTP ${status}${
        body ? `: ${body.replace(/\s+/g, ' ').slice(0, 300)}` : ''
      }`,
    );
    this.name = 'ForgeHttpError';
  }
}

/**
 * The forge refused because of a rate limit and asked for a longer wait
 * than the portal will spend inside one step.
 */
export class ForgeRateLimitError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly waitSeconds: number,
  ) {
    const until = new Date(Date.now() + waitSeconds * 1000)
      .toISOString()
      .slice(11, 19);
    super(
      `${method} ${url} was refused by the forge's rate limit; it asks to wait ${waitSeconds} s (until ${until} UTC). Run the template again after that.`,
    );
    this.name = 'ForgeRateLimitError';
  }
}

export type JsonRequest = {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** statuses that are answers, not errors (e.g. 404 for "no such file") */
  accept?: number[];
  signal?: AbortSignal;
  /**
   * Longest rate-limit wait (ms) to sit out before one retry; a longer one
   * fails with ForgeRateLimitError. Default 30 s.
   */
  maxRateLimitWaitMs?: number;
};

/**
 * Seconds GitHub asks to wait before the next request, per its docs: a 403
 * or 429 with `retry-after`, or with `x-ratelimit-remaining: 0` until
 * `x-ratelimit-reset`. Undefined when the answer is not a rate limit.
 */
export function rateLimitWait(res: Response): number | undefined {
  if (res.status !== 403 && res.status !== 429) return undefined;
  const retryAfter = Number(res.headers.get('retry-after'));
  if (retryAfter > 0) return retryAfter;
  if (res.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  }
  return res.status === 429 ? 60 : undefined;
}

async function send(url: string, method: string, request: JsonRequest) {
  try {
    return await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined && {
          'content-type': 'application/json',
        }),
        ...request.headers,
      },
      body:
        request.body !== undefined ? JSON.stringify(request.body) : undefined,
      signal: request.signal ?? AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new ForwardedError(`${method} ${url} failed`, error);
  }
}

/**
 * A JSON request to a forge API; throws ForgeHttpError for unexpected
 * statuses. A rate-limited answer is retried once after the wait the forge
 * asks for, when that wait is short.
 */
export async function forgeJson<T>(
  url: string,
  request: JsonRequest = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const method = request.method ?? 'GET';
  let res = await send(url, method, request);
  const wait = rateLimitWait(res);
  if (wait !== undefined) {
    await res.arrayBuffer();
    if (wait * 1000 > (request.maxRateLimitWaitMs ?? 30_000))
      throw new ForgeRateLimitError(method, url, wait);
    await new Promise(r => setTimeout(r, wait * 1000));
    res = await send(url, method, request);
    const again = rateLimitWait(res);
    if (again !== undefined) {
      await res.arrayBuffer();
      throw new ForgeRateLimitError(method, url, again);
    }
  }
  const text = await res.text();
  if (!res.ok && !(request.accept ?? []).includes(res.status)) {
    throw new ForgeHttpError(res.status, method, url, text);
  }
  let body: T;
  try {
    body = (text ? JSON.parse(text) : undefined) as T;
  } catch {
    if (res.ok) {
      throw new Error(
        `${method} ${url} answered HTTP ${res.status} with a body that is not JSON`,
      );
    }
    body = undefined as T;
  }
  return { status: res.status, body, headers: res.headers };
}

/** Runs async tasks with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    },
  );
  await Promise.all(workers);
  return out;
}

/** Encodes each segment of a repo path for a URL. */
export function encodePath(path: string) {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The forge answered a GraphQL query with `errors` (GitHub does so with HTTP 200). */
export class ForgeGraphqlError extends Error {
  constructor(
    readonly url: string,
    readonly errors: { message: string; type?: string }[],
  ) {
    super(
      `GraphQL at ${url} answered with ${errors.length} error${
        errors.length === 1 ? '' : 's'
      }: ${errors
        .map(e => (e.type ? `${e.type}: ${e.message}` : e.message))
        .join('; ')}`,
    );
    this.name = 'ForgeGraphqlError';
  }
}

/** A GraphQL query; `errors` in the answer (HTTP 200 on GitHub) throw ForgeGraphqlError. */
export async function forgeGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<T> {
  const answer = await forgeJson<{
    data?: T;
    errors?: { message: string; type?: string }[];
  }>(url, { method: 'POST', headers, body: { query, variables } });
  const body = answer.body;
  // GitHub's GraphQL rate limit is a 200 with a RATE_LIMITED error; the
  // window's end is in x-ratelimit-reset.
  if (body?.errors?.some(e => e.type === 'RATE_LIMITED')) {
    const reset = Number(answer.headers.get('x-ratelimit-reset'));
    throw new ForgeRateLimitError(
      'POST',
      url,
      Math.max(1, Math.ceil(reset - Date.now() / 1000) || 60),
    );
  }
  if (body?.errors?.length) throw new ForgeGraphqlError(url, body.errors);
  if (!body?.data)
    throw new ForgeGraphqlError(url, [{ message: 'the answer has no data' }]);
  return body.data;
}
