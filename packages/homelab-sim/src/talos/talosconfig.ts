import { stringify } from 'yaml';
import { TalosPemPair } from './talosPki';

/**
 * A talosconfig as `talosctl gen config` / `talosctl config new` write it
 * (pkg/machinery/client/config): the current context's name and, per context,
 * endpoints, nodes and the CA, client certificate and key as standard base64
 * of their PEM.
 */
export function talosconfigYaml(options: {
  context: string;
  endpoints: string[];
  nodes: string[];
  caPem: string;
  client: TalosPemPair;
}): string {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  return stringify(
    {
      context: options.context,
      contexts: {
        [options.context]: {
          endpoints: options.endpoints,
          nodes: options.nodes,
          ca: b64(options.caPem),
          crt: b64(options.client.cert),
          key: b64(options.client.key),
        },
      },
    },
    { lineWidth: 0 },
  );
}
