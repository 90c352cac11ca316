import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FaultController } from '../faults/FaultController';
import { HttpError, readBody, Router, sendJson, SimRequest } from './Router';

export type SimServerOptions = {
  /** Service name used by fault rules (`kubernetes`, `forge`, ...). */
  service: string;
  router: Router;
  faults: FaultController;
  /** TLS certificate; omitted only for plain-HTTP helpers in tests. */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
  /** How this service shapes an error body (Kubernetes Status, Proxmox {errors}, ...). */
  errorBody?: (status: number, message: string, req?: SimRequest) => unknown;
  /** Checks authentication before routing; throw HttpError to refuse. */
  authenticate?: (req: SimRequest) => void | Promise<void>;
  /** Non-JSON handlers (git smart HTTP) may take the request before routing. */
  intercept?: (
    req: SimRequest,
    res: http.ServerResponse,
  ) => boolean | Promise<boolean>;
  host?: string;
};

const defaultErrorBody = (status: number, message: string) => ({
  status,
  message,
});

/**
 * One simulated server: HTTPS with a certificate from the sim's CA, a router,
 * and the fault controller in front of every request. A `down` fault closes
 * the listening socket, so clients see a real "connection refused".
 */
export class SimServer {
  private server: http.Server | https.Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private listening = false;
  private readonly host: string;

  constructor(private readonly options: SimServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          sendJson(
            res,
            500,
            (options.errorBody ?? defaultErrorBody)(
              500,
              String(error?.message ?? error),
              req as SimRequest,
            ),
          );
        } else {
          res.destroy();
        }
      });
    };
    this.server = options.tls
      ? https.createServer(
          {
            cert: options.tls.cert,
            key: options.tls.key,
            ca: options.tls.ca,
            requestCert: options.tls.requestCert,
            rejectUnauthorized: false,
          },
          handler,
        )
      : http.createServer(handler);
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    options.faults.onChange(() => {
      this.applyDown().catch(() => undefined);
    });
  }

  get service() {
    return this.options.service;
  }

  get url(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    return `${scheme}://localhost:${this.port}`;
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
    await this.applyDown();
    return this.port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Closes or reopens the listener to follow `down` faults, keeping the port. */
  private async applyDown() {
    const down = this.options.faults.isDown(this.options.service);
    if (down && this.listening) {
      this.listening = false;
      for (const s of this.sockets) s.destroy();
      await new Promise<void>(resolve => this.server.close(() => resolve()));
    } else if (!down && !this.listening && this.port) {
      await new Promise<void>(resolve =>
        this.server.listen(this.port, this.host, () => resolve()),
      );
      this.listening = true;
    }
  }

  private async handle(raw: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(raw.url ?? '/', 'https://sim.invalid');
    const req = raw as SimRequest;
    req.pathname = url.pathname;
    req.query = url.searchParams;
    req.params = {};
    let cached: Promise<Buffer> | undefined;
    req.body = () => (cached ??= readBody(raw));
    req.json = async <T>() => {
      const text = (await req.body()).toString('utf8');
      try {
        return (text ? JSON.parse(text) : {}) as T;
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
    };
    const errorBody = this.options.errorBody ?? defaultErrorBody;

    const fault = this.options.faults.match(
      this.options.service,
      raw.method ?? 'GET',
      url.pathname,
    );
    if (fault) {
      if (fault.ms) await new Promise(r => setTimeout(r, fault.ms));
      switch (fault.kind) {
        case 'hang':
          return; // keep the socket open; the client must time out
        case 'reset':
        case 'down':
          resetConnection(raw.socket);
          return;
        case 'error': {
          const status = fault.status ?? 500;
          sendJson(
            res,
            status,
            errorBody(status, `injected fault: HTTP ${status}`, req),
          );
          return;
        }
        case 'malformed': {
          const text = '{"data": [{"id": "qemu/100", "status": "runn';
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
          return;
        }
        case 'truncate':
          truncateResponse(res);
          break;
        default:
          break; // latency: answer normally after the delay
      }
    }

    try {
      if (this.options.intercept && (await this.options.intercept(req, res)))
        return;
      if (this.options.authenticate) await this.options.authenticate(req);
      const found = this.options.router.resolve(
        raw.method ?? 'GET',
        url.pathname,
      );
      if (!found) throw new HttpError(404, `not found: ${url.pathname}`);
      if ('allowed' in found)
        throw new HttpError(
          405,
          `method ${raw.method} not allowed on ${url.pathname}`,
        );
      req.params = found.params;
      await found.handler(req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(
          res,
          error.status,
          error.body ?? errorBody(error.status, error.message, req),
        );
        return;
      }
      throw error;
    }
  }
}

/** Lets the handler write normally, then sends only half the body and cuts the connection. */
function truncateResponse(res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  const origWrite = res.write.bind(res);
  const origEnd = res.end.bind(res);
  res.write = ((chunk: unknown) => {
    if (chunk) chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown) => {
    if (chunk && typeof chunk !== 'function')
      chunks.push(Buffer.from(chunk as Buffer));
    const body = Buffer.concat(chunks);
    // writeHead() may already have fixed the (full) length.
    if (!res.headersSent) res.setHeader('content-length', body.length);
    origWrite(body.subarray(0, Math.floor(body.length / 2)));
    // Close once the half body has been flushed: an immediate destroy() drops
    // buffered bytes (under TLS even the headers), and a bare end() can leave
    // the TLS connection half open until the client gives up.
    const socket = res.socket;
    socket?.end(() => socket.destroy());
    return res;
  }) as typeof res.end;
  void origEnd;
}

/**
 * Aborts the TCP connection with an RST, so the client sees ECONNRESET as
 * from a crashed server or a dropping firewall (a plain destroy() would send
 * a FIN, which clients report as a clean close). Under TLS the TCP socket is
 * the TLSSocket's parent.
 */
function resetConnection(socket: Socket) {
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
