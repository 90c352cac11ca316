import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gitEnv } from './runGit';

/** What a smart HTTP request asks for, parsed from its path. */
export type SmartHttpTarget = {
  owner: string;
  repo: string;
  /** `info/refs`, `git-upload-pack` or `git-receive-pack`. */
  endpoint: string;
  /** The service a push or fetch uses (`git-upload-pack` / `git-receive-pack`). */
  service: 'git-upload-pack' | 'git-receive-pack';
};

const SMART =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/**
 * Recognises git's smart HTTP paths in both spellings GitHub accepts:
 * `/<owner>/<repo>.git/info/refs` and `/<owner>/<repo>/info/refs`.
 */
export function parseSmartHttpPath(
  pathname: string,
  query: URLSearchParams,
): SmartHttpTarget | undefined {
  const m = SMART.exec(pathname);
  if (!m) return undefined;
  const [, owner, repo, endpoint] = m;
  const service = endpoint === 'info/refs' ? query.get('service') : endpoint;
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack')
    return undefined; // the "dumb" protocol is not served, like GitHub
  return {
    owner: decodeURIComponent(owner),
    repo: decodeURIComponent(repo),
    endpoint,
    service,
  };
}

/**
 * Serves one smart HTTP request with real `git http-backend` as a CGI child:
 * the forge only authenticates and maps the path; git speaks the protocol.
 */
export function serveWithHttpBackend(options: {
  req: IncomingMessage;
  res: ServerResponse;
  projectRoot: string;
  /** Path below projectRoot, e.g. `/home-ops/home-ops.git/info/refs`. */
  pathInfo: string;
  query: string;
  remoteUser: string;
}): Promise<void> {
  const { req, res } = options;
  return new Promise((resolve, reject) => {
    const env = gitEnv({
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: options.pathInfo,
      QUERY_STRING: options.query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
      REMOTE_USER: options.remoteUser,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      // git http-backend inflates gzip request bodies itself.
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      // Protocol v2 is negotiated through this header.
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
    });
    if (req.headers['content-length'])
      env.CONTENT_LENGTH = String(req.headers['content-length']);
    const child = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let headerBuf = Buffer.alloc(0);
    let headersDone = false;
    const stderr: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      headerBuf = Buffer.concat([headerBuf, chunk]);
      const crlf = headerBuf.indexOf('\r\n\r\n');
      const lf = headerBuf.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) return;
      const sep = end === crlf ? 4 : 2;
      const head = headerBuf.subarray(0, end).toString('latin1');
      const rest = headerBuf.subarray(end + sep);
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status')
          status = Number(value.split(' ')[0]);
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      if (rest.length) res.write(rest);
    });
    child.on('close', code => {
      if (!headersDone) {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(
            `git http-backend failed (exit ${code}): ${Buffer.concat(stderr)}`,
          );
        }
      } else {
        res.end();
      }
      resolve();
    });
    child.stdin.on('error', () => undefined);
    req.pipe(child.stdin);
  });
}
