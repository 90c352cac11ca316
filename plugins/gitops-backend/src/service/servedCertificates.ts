import { toError } from '@backstage/errors';
import { Config } from '@backstage/config';
import tls from 'node:tls';
import { KubeObject } from './clusterAccess';

/** What a Gateway listener presented in a TLS handshake for one host. */
export type ServedCertificate = {
  host: string;
  /** `address:port` dialled (after `connectTo`). */
  target: string;
  notAfter?: string;
  /** Why the handshake gave no certificate. */
  error?: string;
};

export type ServedProbeOptions = {
  timeoutMs: number;
  /** `address:port` → `host:port` to dial instead (a NAT, a port-forward, the demo). */
  connectTo: Record<string, string>;
};

const HOST_PORT = /^[^\s:]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/i;

/** `gitops.servedCertificates`, or undefined when probing is off (the default). */
export function readServedProbe(
  config: Config,
): ServedProbeOptions | undefined {
  const c = config.getOptionalConfig('gitops.servedCertificates');
  if (!c?.getOptionalBoolean('enabled')) return undefined;
  const connectTo: Record<string, string> = {};
  for (const entry of c.getOptionalConfigArray('connectTo') ?? []) {
    const from = entry.getString('address');
    const to = entry.getString('dial');
    for (const x of [from, to])
      if (!HOST_PORT.test(x))
        throw new Error(
          `gitops.servedCertificates.connectTo: "${x}" is not address:port`,
        );
    connectTo[from] = to;
  }
  return {
    timeoutMs: (c.getOptionalNumber('timeoutSeconds') ?? 3) * 1000,
    connectTo,
  };
}

/** The certificate a TLS server presents for `servername`, without trusting it. */
function handshake(
  target: string,
  servername: string,
  timeoutMs: number,
): Promise<string> {
  const at = target.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: target.slice(0, at),
      port: Number(target.slice(at + 1)),
      servername,
      // Only the dates are read; trust is cert-manager's and the browser's business.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.valid_to) reject(new Error('no certificate presented'));
      else resolve(new Date(cert.valid_to).toISOString());
    });
    socket.once('timeout', () =>
      fail(new Error(`no TLS answer within ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
  });
}

/**
 * Asks every HTTPS listener of every Gateway for its certificate, by the
 * Secret it names (`namespace/name`), so a listener still serving an old
 * certificate after cert-manager renewed the Secret shows. A wildcard
 * listener is asked for the first route host it serves.
 */
export async function probeServedCertificates(
  gateways: KubeObject[],
  routes: KubeObject[],
  options: ServedProbeOptions,
): Promise<Map<string, ServedCertificate>> {
  const asks: { secret: string; host: string; target: string }[] = [];
  for (const gw of gateways) {
    const address = gw.status?.addresses?.[0]?.value as string | undefined;
    if (!address) continue;
    const ns = gw.metadata.namespace;
    for (const l of gw.spec?.listeners ?? []) {
      const ref = l.tls?.certificateRefs?.[0];
      if (l.protocol !== 'HTTPS' || !ref) continue;
      const pattern: string | undefined = l.hostname;
      const host = pattern?.startsWith('*.')
        ? routes
            .filter(r =>
              (r.spec?.parentRefs ?? []).some(
                (p: any) =>
                  p.name === gw.metadata.name &&
                  (p.namespace ?? r.metadata.namespace) === ns,
              ),
            )
            .flatMap(r => (r.spec?.hostnames ?? []) as string[])
            .find(h => h.endsWith(pattern.slice(1)))
        : pattern;
      if (!host) continue;
      const secret = `${ref.namespace ?? ns}/${ref.name}`;
      if (asks.some(a => a.secret === secret)) continue;
      const dialled = `${address}:${l.port}`;
      asks.push({
        secret,
        host,
        target: options.connectTo[dialled] ?? dialled,
      });
    }
  }
  const served = await Promise.all(
    asks.map(async (a): Promise<[string, ServedCertificate]> => {
      const seen = { host: a.host, target: a.target };
      try {
        return [
          a.secret,
          {
            ...seen,
            notAfter: await handshake(a.target, a.host, options.timeoutMs),
          },
        ];
      } catch (error) {
        return [a.secret, { ...seen, error: toError(error).message }];
      }
    }),
  );
  return new Map(served);
}
