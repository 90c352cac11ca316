import { X509Certificate } from 'node:crypto';
import { Router, sendJson } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { SimContext, StartedService } from '../SimContext';
import { defaultTokens, loadTokens } from './api/access';
import { ProxmoxApi } from './api/ProxmoxApi';
import { BackupSchedule } from './model/backups';
import { expandProxmox } from './model/generate';
import { ProxmoxModel } from './model/ProxmoxModel';

/**
 * The household's Proxmox VE: `/api2/json` over HTTPS with a certificate from
 * the sim's CA, API-token authentication with two tokens (read-only, and
 * read-only plus VM.PowerMgmt), and the portal config that points at it.
 */
export async function startProxmox(
  ctx: SimContext,
  port: number,
): Promise<StartedService> {
  const proxmox = expandProxmox(ctx.scenario.proxmox, ctx.scenario.seed);
  const model = new ProxmoxModel(ctx, proxmox);
  const backups = new BackupSchedule(model);
  const tokens = loadTokens(ctx.state, proxmox.tokens ?? defaultTokens);
  const nodeNames = proxmox.nodes.map(n => n.name);
  const tls = await ctx.ca.issueServer(
    `${nodeNames[0]}.${ctx.scenario.household.domain}`,
    ['localhost', ...nodeNames],
  );
  const api = new ProxmoxApi(model, backups, tokens, {
    authFailureDelayMs: proxmox.authFailureDelayMs,
    sslFingerprint: new X509Certificate(tls.cert).fingerprint256,
  });
  const handler = api.handle.bind(api);
  const router = new Router()
    .get('/', (_req, res) =>
      sendJson(res, 200, {
        message: 'homelab-sim: Proxmox VE API at /api2/json (no web UI)',
      }),
    )
    // Not part of Proxmox: how many API calls the sim answered, per
    // endpoint, so tests and benchmarks can count upstream calls.
    .get('/_sim/requests', (_req, res) =>
      sendJson(res, 200, {
        total: [...api.requests.values()].reduce((a, b) => a + b, 0),
        byEndpoint: Object.fromEntries(api.requests),
      }),
    )
    .delete('/_sim/requests', (_req, res) => {
      api.requests.clear();
      res.writeHead(204).end();
    })
    .add('GET', '/api2/*rest', handler)
    .add('POST', '/api2/*rest', handler)
    .add('PUT', '/api2/*rest', handler)
    .add('DELETE', '/api2/*rest', handler);
  const server = new SimServer({
    service: 'proxmox',
    router,
    faults: ctx.faults,
    tls,
    // Injected error faults answer like pveproxy does.
    errorBody: (_status, message) => ({ data: null, message: `${message}\n` }),
  });
  await server.listen(port);
  const url = server.url;
  const secret = (file: string) => ({
    $file: ctx.state.path(`proxmox/${file}-token-secret`),
  });
  const reader = tokens.find(t => t.file === 'catalog') ?? tokens[0];
  const operator = tokens.find(t => t.file === 'power');
  return {
    name: 'proxmox',
    url,
    describe: [
      `Proxmox VE ${model.version.version} API at ${url}/api2/json`,
      `${proxmox.nodes.length} node(s), ${proxmox.guests.length} guest(s)`,
      ...tokens.map(
        t =>
          `token ${t.id} (secret in ${ctx.state.path(
            `proxmox/${t.file}-token-secret`,
          )})`,
      ),
    ],
    portalConfig: {
      // The demo refreshes the catalog every minute (the default is 5).
      catalog: {
        providers: {
          proxmox: {
            schedule: { frequency: { seconds: 60 }, timeout: { seconds: 50 } },
          },
        },
      },
      proxmox: {
        instances: {
          [proxmox.instance]: {
            url,
            caFile: ctx.state.path('ca/ca.pem'),
            tokenId: reader.id,
            tokenSecret: secret(reader.file),
            ...(operator
              ? {
                  powerActions: {
                    tokenId: operator.id,
                    tokenSecret: secret(operator.file),
                  },
                }
              : {}),
          },
        },
      },
    },
    close: () => server.close(),
  };
}
