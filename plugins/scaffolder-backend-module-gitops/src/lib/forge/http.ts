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

export type JsonRequest = {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** statuses that are answers, not errors (e.g. 404 for "no such file") */
  accept?: number[];
  signal?: AbortSignal;
};

/** A JSON request to a forge API; throws ForgeHttpError for unexpected statuses. */
export async function forgeJson<T>(
  url: string,
  request: JsonRequest = {},
): Promise<{ status: number; body: T }> {
  const method = request.method ?? 'GET';
  let res: Response;
  try {
    res = await fetch(url, {
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
  return { status: res.status, body };
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
