import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Router, sendJson, SimRequest } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { loadOrCreateSealingKeys } from '../sealedSecrets/keys';
import { SealedSecretsController } from '../sealedSecrets/SealedSecretsController';
import { SimContext, StartedService } from '../SimContext';
import {
  apiGroup,
  coreVersions,
  groupList,
  resourceList,
} from './api/discovery';
import { listObjects } from './api/lists';
import { parseApiPath, ResourceRequest } from './api/requestPath';
import { apiVersionOf, findResource, resourceKey } from './api/resources';
import {
  KubeError,
  kubernetesErrorBody,
  notFound,
  resourceNotFound,
} from './api/status';
import { ClusterModel } from './cluster/ClusterModel';
import { DeliveryObjects } from './cluster/gitops/DeliveryObjects';
import { GitopsEngine } from './cluster/gitops/GitopsEngine';
import { proxyToService } from './serviceProxy';

/** Who the portal's token is (a read-only ServiceAccount with the RBAC of notes/backstage-platform.md §4). */
export const SERVICE_ACCOUNT = 'system:serviceaccount:backstage:backstage';

const VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

function send(res: ServerResponse, status: number, body: unknown) {
  sendJson(res, status, body, {
    'audit-id': randomUUID(),
    'cache-control': 'no-cache, private',
  });
}

function forbidden(method: string, r: ResourceRequest) {
  const read = r.name ? 'get' : 'list';
  const verb =
    !r.name && method === 'DELETE' ? 'deletecollection' : VERBS[method] ?? read;
  const what = r.name
    ? `${r.plural}${r.group ? `.${r.group}` : ''} "${r.name}"`
    : r.plural + (r.group ? `.${r.group}` : '');
  const scope = r.namespace
    ? `in the namespace "${r.namespace}"`
    : 'at the cluster scope';
  const resource = r.subresource ? `${r.plural}/${r.subresource}` : r.plural;
  return new KubeError(
    403,
    `${what} is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "${resource}" in API group "${r.group}" ${scope}`,
    'Forbidden',
    {
      ...(r.name && { name: r.name }),
      ...(r.group && { group: r.group }),
      kind: r.plural,
    },
  );
}

/**
 * The simulated Kubernetes API server of the Talos cluster (HTTPS with a
 * certificate from the sim CA, bearer-token authentication with anonymous
 * requests refused like Talos' kube-apiserver, read-only RBAC for the
 * portal's ServiceAccount), plus the sealed-secrets controller behind its
 * service proxy.
 */
export async function startKubernetesApi(
  ctx: SimContext,
  port: number,
): Promise<StartedService> {
  const token = ctx.state.token('kubernetes/token');
  const engine = new GitopsEngine(ctx);
  await engine.start();
  const model = new ClusterModel(
    ctx,
    ctx.ca.certPem,
    new DeliveryObjects(engine, ctx.startedAt),
  );
  const denied = new Set(ctx.scenario.kubernetes.deniedToPortal);
  const sealed = ctx.scenario.kubernetes.sealedSecrets;
  const controller = new SealedSecretsController(
    await loadOrCreateSealingKeys(ctx.state),
    { now: ctx.now },
  );
  const talos = ctx.scenario.talos;
  const serverAddress = new URL(talos.endpoint).host;

  const handleResource = async (
    req: SimRequest,
    res: ServerResponse,
    r: ResourceRequest,
  ) => {
    const method = req.method ?? 'GET';
    const resource = findResource(r.group, r.version, r.plural);
    if (!resource || (r.namespace !== undefined && !resource.namespaced))
      throw resourceNotFound();
    const snapshot = model.snapshot();
    const key = resourceKey(resource);
    if (denied.has(key)) throw forbidden(method, r);

    if (
      r.subresource === 'proxy' &&
      key === 'services' &&
      r.namespace &&
      r.name
    ) {
      await proxyToService(
        req,
        res,
        snapshot,
        r.namespace,
        r.name,
        r.rest ?? '/',
        {
          namespace: sealed.namespace,
          serviceName: sealed.serviceName,
          controller,
        },
      );
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') throw forbidden(method, r);
    if (
      r.subresource &&
      !resource.subresources?.some(s => s.name === r.subresource)
    ) {
      throw resourceNotFound();
    }
    const all = snapshot.objects.get(key) ?? [];
    if (!r.name) {
      const watch = req.query.get('watch');
      if (watch && !/^(0|false)$/i.test(watch)) {
        throw new KubeError(
          405,
          'the demo homelab does not support watch requests; list instead',
          'MethodNotAllowed',
        );
      }
      send(
        res,
        200,
        listObjects(
          resource,
          key,
          all,
          r.namespace,
          req.query,
          snapshot.resourceVersion,
        ),
      );
      return;
    }
    const found = all.find(
      o =>
        o.metadata.name === r.name &&
        (!resource.namespaced || o.metadata.namespace === r.namespace),
    );
    if (!found) throw notFound(r.group, r.plural, r.name);
    if (r.subresource === 'log') {
      const plan = model.podPlan(r.namespace!, r.name);
      if (!plan) {
        throw new KubeError(
          400,
          `the demo homelab keeps no logs for ${r.namespace}/${r.name}`,
          'BadRequest',
        );
      }
      const text = model.logs(plan, req.query);
      res.writeHead(200, {
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(text),
        'audit-id': randomUUID(),
        'cache-control': 'no-cache, private',
      });
      res.end(text);
      return;
    }
    send(res, 200, {
      ...found,
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
    });
  };

  const dispatch = async (req: SimRequest, res: ServerResponse) => {
    const parsed = parseApiPath(req.pathname);
    if (!parsed) throw resourceNotFound();
    if (parsed.kind === 'resource') {
      await handleResource(req, res, parsed);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new KubeError(
        405,
        `the server does not allow this method on the requested resource`,
        'MethodNotAllowed',
      );
    }
    let body: unknown;
    if (parsed.kind === 'core-versions') body = coreVersions(serverAddress);
    else if (parsed.kind === 'groups') body = groupList();
    else if (parsed.kind === 'group') body = apiGroup(parsed.group);
    else body = resourceList(parsed.group, parsed.version);
    if (!body) throw resourceNotFound();
    send(res, 200, body);
  };

  const minor = talos.kubernetesVersion.split('.')[1];
  const router = new Router().get('/version', (_req, res) =>
    send(res, 200, {
      major: '1',
      minor,
      gitVersion: talos.kubernetesVersion,
      gitCommit: model.topology.id.hex(
        `k8s-commit:${talos.kubernetesVersion}`,
        40,
      ),
      gitTreeState: 'clean',
      buildDate: '2025-07-15T18:00:00Z',
      goVersion: 'go1.24.4',
      compiler: 'gc',
      platform: 'linux/amd64',
    }),
  );
  for (const path of ['/healthz', '/livez', '/readyz']) {
    router.get(path, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
      res.end('ok');
    });
  }
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    router.add(method, '/api', dispatch);
    router.add(method, '/api/*rest', dispatch);
    router.add(method, '/apis', dispatch);
    router.add(method, '/apis/*rest', dispatch);
  }

  const expected = Buffer.from(`Bearer ${token}`);
  const server = new SimServer({
    service: 'kubernetes',
    router,
    faults: ctx.faults,
    tls: await ctx.ca.issueServer('kube-apiserver', [
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
    ]),
    errorBody: kubernetesErrorBody,
    authenticate: req => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      ) {
        // Talos runs kube-apiserver with --anonymous-auth=false: no token, or
        // a wrong one, is 401 on every path.
        throw new KubeError(401, 'Unauthorized', 'Unauthorized');
      }
    },
  });
  await server.listen(port);
  const url = server.url;
  return {
    name: 'kubernetes',
    url,
    describe: [
      'GET /version, /healthz, /livez, /readyz',
      'GET /api, /apis, /apis/{group}, /api/v1, /apis/{group}/{version} (discovery)',
      'GET /api/v1/{pods,services,configmaps,limitranges,resourcequotas,events,namespaces,nodes} (+ /namespaces/{ns}/..., /{name})',
      'GET /apis/apps/v1/{deployments,replicasets,statefulsets,daemonsets}, /apis/batch/v1/{jobs,cronjobs}',
      'GET /apis/autoscaling/v2/horizontalpodautoscalers, /apis/networking.k8s.io/v1/ingresses',
      'GET /apis/metrics.k8s.io/v1beta1/{pods,nodes}',
      'GET /apis/gateway.networking.k8s.io/v1/{httproutes,gateways,gatewayclasses}',
      'GET /api/v1/namespaces/{ns}/pods/{name}/log',
      `* /api/v1/namespaces/${sealed.namespace}/services/http:${sealed.serviceName}:http/proxy/v1/{cert.pem,verify,rotate} (sealed-secrets controller)`,
    ],
    portalConfig: {
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: talos.clusterName,
                title: `${talos.clusterName} (Talos ${talos.talosVersion})`,
                url,
                authProvider: 'serviceAccount',
                serviceAccountToken: {
                  $file: ctx.state.path('kubernetes/token'),
                },
                caFile: ctx.state.path('ca/ca.pem'),
                customResources: [
                  {
                    group: 'gateway.networking.k8s.io',
                    apiVersion: 'v1',
                    plural: 'httproutes',
                  },
                ],
              },
            ],
          },
        ],
      },
    },
    close: async () => {
      engine.stop();
      await server.close();
    },
  };
}
