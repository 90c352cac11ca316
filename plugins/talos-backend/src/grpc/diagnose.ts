import net from 'node:net';
import tls from 'node:tls';
import type { TalosProblem } from '@homelab-portal/plugin-talos-common';
import { TalosContext } from './talosconfig';

/**
 * gRPC only says "Failed to connect" when a TLS handshake goes wrong. This
 * repeats the handshake with the same material and reads the real reason,
 * so the message can say whether the server was not trusted, the client
 * certificate was refused, or nothing listens there.
 */
export async function diagnoseEndpoint(
  endpoint: string,
  context: TalosContext,
  timeoutMs = 3000,
): Promise<TalosProblem | undefined> {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(endpoint);
  if (!m) return undefined;
  const [, host, port] = m;
  return new Promise(resolve => {
    const socket = tls.connect({
      host,
      port: Number(port),
      ca: context.caPem,
      cert: context.certPem,
      key: context.keyPem,
      ALPNProtocols: ['h2'],
      // Node warns when the server name is an IP; names only.
      servername: net.isIP(host) ? undefined : host,
    });
    let settled = false;
    const timer = setTimeout(
      () =>
        done({
          kind: 'timeout',
          message: `${endpoint} did not complete a TLS handshake within ${
            timeoutMs / 1000
          } s`,
        }),
      timeoutMs,
    );
    function done(p: TalosProblem | undefined) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(p);
    }
    socket.once('secureConnect', () => {
      // In TLS 1.3 the server judges the client certificate after the
      // handshake: a server that accepts it starts HTTP/2 (its SETTINGS
      // frame arrives); one that refuses sends an alert (Go) or hangs up
      // (Node).
      socket.once('data', () => done(undefined));
      const hungUp = () =>
        done(
          clientRefused(
            endpoint,
            'the server closed the connection after the handshake',
          ),
        );
      socket.once('end', hungUp);
      socket.once('close', hungUp);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      done(explain(endpoint, error));
    });
  });
}

function explain(endpoint: string, error: NodeJS.ErrnoException): TalosProblem {
  const text = `${error.code ?? ''} ${error.message}`;
  if (/ECONNREFUSED/.test(text)) {
    return {
      kind: 'unreachable',
      message: `${endpoint} is unreachable: connection refused (is apid running there?)`,
    };
  }
  if (/EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN/.test(text)) {
    return {
      kind: 'unreachable',
      message: `${endpoint} is unreachable: ${error.code}`,
    };
  }
  if (/alert|ERR_SSL_TLSV1|certificate required|ECONNRESET/i.test(text)) {
    return clientRefused(
      endpoint,
      error.message.replace(/^.*SSL routines::/, ''),
    );
  }
  if (/CERT|self[- ]signed|verify|issuer|altnames|Hostname\/IP/i.test(text)) {
    return {
      kind: 'tls',
      message: `the Talos API at ${endpoint} is not trusted: its certificate is not signed by the CA in the talosconfig (${error.message}). Check that the talosconfig belongs to this cluster`,
    };
  }
  return {
    kind: 'unreachable',
    message: `${endpoint} is unreachable: ${error.message}`,
  };
}

function clientRefused(endpoint: string, why: string): TalosProblem {
  return {
    kind: 'tls',
    message: `the Talos API at ${endpoint} refused the client certificate (${why}): it must be issued by this cluster's Talos CA, with the client-auth usage`,
  };
}
