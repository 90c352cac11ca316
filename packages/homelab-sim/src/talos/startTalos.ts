import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { Router, sendJson } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { SimContext, StartedService } from '../SimContext';
import { TalosApi } from './TalosApi';
import { talosconfigYaml } from './talosconfig';
import { TalosCa } from './talosPki';

/** Offset of the Image Factory's port from the first node's. */
export const FACTORY_PORT_OFFSET = 99;

/**
 * Starts the demo Talos cluster and writes its talosconfigs to the state
 * folder: `talos/talosconfig` (role os:reader, what the portal uses) and
 * `talos/talosconfig-admin` (os:admin, for tests and for trying talosctl).
 */
export async function startTalos(
  ctx: SimContext,
  port: number,
): Promise<StartedService> {
  const cluster = ctx.scenario.talos;
  const ca = await TalosCa.loadOrCreate(ctx.state.path('talos'));
  const api = new TalosApi(ctx, ca);
  await api.start(port);

  const factory = new SimServer({
    service: 'talos-factory',
    faults: ctx.faults,
    tls: await ctx.ca.issueServer('homelab-sim image factory'),
    router: new Router()
      .get('/versions', (_req, res) =>
        sendJson(res, 200, cluster.factoryVersions),
      )
      // Sim only (not an Image Factory endpoint): Talos API calls served so
      // far, by node and method, for benchmarks.
      .get('/_sim/talos-calls', (_req, res) =>
        sendJson(res, 200, Object.fromEntries(api.calls)),
      ),
  });
  try {
    await factory.listen(port === 0 ? 0 : port + FACTORY_PORT_OFFSET);
  } catch (error) {
    await api.close();
    throw error;
  }

  const controlPlane =
    api.machines.find(m => m.isControlPlane) ?? api.machines[0];
  // "localhost", not 127.0.0.1: the server certificates carry both, and a
  // name keeps Node from warning about an IP as TLS server name.
  const endpoint = `localhost:${api.port(controlPlane.hostname)}`;
  const nodes = api.machines.map(m => m.ip);
  const files: Record<string, string[]> = {
    talosconfig: ['os:reader'],
    'talosconfig-admin': ['os:admin'],
  };
  for (const [file, roles] of Object.entries(files)) {
    await writeTalosconfig(ctx, ca, `talos/${file}`, roles, {
      context: cluster.clusterName,
      endpoints: [endpoint],
      nodes,
    });
  }

  return {
    name: 'talos',
    url: `https://${endpoint}`,
    describe: [
      ...api.machines.map(
        m =>
          `apid ${m.hostname} (${m.role}, ${m.ip}, Talos ${
            m.talosVersion
          }) on localhost:${api.port(m.hostname)}`,
      ),
      `Image Factory GET ${factory.url}/versions (and, sim only, GET /_sim/talos-calls: calls served per node and method)`,
      `talosconfig (os:reader): ${ctx.state.path('talos/talosconfig')}`,
      `talosconfig (os:admin): ${ctx.state.path('talos/talosconfig-admin')}`,
      'faults: service "talos" = every node, "talos/<hostname>" = one node; path = gRPC method',
    ],
    portalConfig: {
      talos: {
        clusters: [
          {
            name: cluster.clusterName,
            talosconfig: { $file: ctx.state.path('talos/talosconfig') },
            // The Kubernetes API of the same cluster, as the kubernetes plugin knows it.
            kubernetesCluster: cluster.clusterName,
          },
        ],
        upgrades: {
          imageFactory: {
            url: factory.url,
            caFile: ctx.state.path('ca/ca.pem'),
          },
          kubernetesVersions: cluster.kubernetesReleases,
        },
      },
    },
    close: async () => {
      await Promise.all([api.close(), factory.close()]);
    },
  };
}

/**
 * Writes a talosconfig for the given roles. The client certificate is issued
 * once and kept (like a real talosconfig); only endpoints and nodes follow
 * the ports of this run. A config from an older CA is replaced.
 */
async function writeTalosconfig(
  ctx: SimContext,
  ca: TalosCa,
  file: string,
  roles: string[],
  where: { context: string; endpoints: string[]; nodes: string[] },
) {
  const path = ctx.state.path(file);
  const caB64 = Buffer.from(ca.certPem).toString('base64');
  if (fs.existsSync(path)) {
    const config = parse(fs.readFileSync(path, 'utf8'));
    const current = config?.contexts?.[where.context];
    if (current?.ca === caB64 && current.crt && current.key) {
      current.endpoints = where.endpoints;
      current.nodes = where.nodes;
      ctx.state.writeSecret(file, stringify(config, { lineWidth: 0 }));
      return;
    }
  }
  const client = await ca.issueClient(
    roles,
    roles.includes('os:admin') ? 'admin' : 'homelab-portal',
  );
  ctx.state.writeSecret(
    file,
    talosconfigYaml({ ...where, caPem: ca.certPem, client }),
  );
}
