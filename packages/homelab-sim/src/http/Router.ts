import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteParams = Record<string, string>;

export type SimRequest = IncomingMessage & {
  params: RouteParams;
  query: URLSearchParams;
  pathname: string;
  /** Raw body, read lazily. */
  body(): Promise<Buffer>;
  json<T = unknown>(): Promise<T>;
};

export type Handler = (
  req: SimRequest,
  res: ServerResponse,
) => unknown | Promise<unknown>;

type Route = {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
};

/** Thrown by handlers to answer with a status and a service-specific body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/**
 * A small path router: `/api/v1/namespaces/:namespace/pods` style patterns,
 * `*rest` for a tail. Enough for the sim; keeps it free of a web framework so
 * faults can sit right at the socket.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map(part => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        if (part.startsWith('*')) {
          keys.push(part.slice(1));
          return '(.*)';
        }
        return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}/?$`),
      keys,
      handler,
    });
    return this;
  }

  get(path: string, h: Handler) {
    return this.add('GET', path, h);
  }
  post(path: string, h: Handler) {
    return this.add('POST', path, h);
  }
  put(path: string, h: Handler) {
    return this.add('PUT', path, h);
  }
  patch(path: string, h: Handler) {
    return this.add('PATCH', path, h);
  }
  delete(path: string, h: Handler) {
    return this.add('DELETE', path, h);
  }

  /** Finds the handler; `undefined` when nothing matches; `405` data when only the method is wrong. */
  resolve(
    method: string,
    pathname: string,
  ):
    | { handler: Handler; params: RouteParams }
    | { allowed: string[] }
    | undefined {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      if (
        route.method !== method.toUpperCase() &&
        !(route.method === 'GET' && method === 'HEAD')
      ) {
        allowed.push(route.method);
        continue;
      }
      const params: RouteParams = {};
      route.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1]);
      });
      return { handler: route.handler, params };
    }
    return allowed.length ? { allowed } : undefined;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function readBody(
  req: IncomingMessage,
  limit = 32 * 1024 * 1024,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
