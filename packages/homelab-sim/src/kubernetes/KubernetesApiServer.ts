import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Router, sendJson, SimRequest } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { loadOrCreateSealingKeys } from '../sealedSecrets/keys';
import { SealedSecretsController } from '../sealedSecrets/SealedSecretsController';
import { SimContext, StartedService } from '../SimContext';
import {
  selfSubjectAccessReview,
  selfSubjectRulesReview,
} from './api/accessReview';
import {
  apiGroup,
  coreVersions,
  groupList,
  resourceList,
} from './api/discovery';
import { followLogs } from './api/followLogs';
import { listObjects, pageObjects } from './api/lists';
import { decodeBody } from './api/protobufBody';
import { parseApiPath, ResourceRequest } from './api/requestPath';
import { apiVersionOf, findResource, resourceKey } from './api/resources';
import {
  KubeError,
  kubernetesErrorBody,
  notFound,
  resourceNotFound,
} from './api/status';
import { tableRequest, toTable } from './api/table';
import { serveWatch } from './api/watch';
import { createObject, deleteObject } from './api/writes';
import { TokenAuthenticator } from './auth/authenticate';
import {
  forbiddenMessage,
  RbacAuthorizer,
  RequestAttributes,
  UserInfo,
} from './auth/rbac';
import { ClusterModel } from './cluster/ClusterModel';
import { DeliveryObjects } from './cluster/gitops/DeliveryObjects';
import { GitopsEngine } from './cluster/gitops/GitopsEngine';
import { proxyToService } from './serviceProxy';

function send(res: ServerResponse, status: number, body: unknown) {
  sendJson(res, status, body, {
    'audit-id': randomUUID(),
    'cache-control': 'no-cache, private',
  });
}

const isWatch = (query: URLSearchParams) => {
  const watch = query.get('watch');
  return Boolean(watch) && !/^(0|false)$/i.test(watch!);
};

/** The authorizer's verb for a request (k8s.io/apiserver RequestInfoFactory). */
function verbOf(method: string, r: ResourceRequest, query: URLSearchParams) {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return r.name ? 'delete' : 'deletecollection';
    default:
      if (r.name) return 'get';
      return isWatch(query) ? 'watch' : 'list';
  }
}

/** RBAC's 403, the Status the API server answers a forbidden request with. */
function forbidden(user: UserInfo, a: RequestAttributes) {
  return new KubeError(
    403,
    forbiddenMessage(user, a),
    'Forbidden',
    a.kind === 'resource'
      ? {
          ...(a.name && { name: a.name }),
          ...(a.group && { group: a.group }),
          kind: a.resource,
        }
      : {},
  );
}

/**
 * The simulated Kubernetes API server of the Talos cluster (HTTPS with a
 * certificate from the sim CA, bearer tokens per scenario account with
 * anonymous requests refused like Talos' kube-apiserver, RBAC from the
 * scenario on top of the bootstrap roles), plus the sealed-secrets
 * controller behind its service proxy.
 */
export async function startKubernetesApi(
  ctx: SimContext,
  port: number,
): Promise<StartedService> {
  const kube = ctx.scenario.kubernetes;
  const authenticator = new TokenAuthenticator(ctx.state, kube.accounts);
  const authorizer = new RbacAuthorizer(kube.rbac);
  const sealing = await loadOrCreateSealingKeys(ctx.state);
  // Flux and Argo CD: they fetch the forge's repositories and deliver what
  // a merge adds (cluster/gitops).
  const engine = new GitopsEngine(ctx);
  await engine.start();
  const model = new ClusterModel(ctx, ctx.ca.certPem, {
    rbac: authorizer.objects,
    sealing,
    delivery: new DeliveryObjects(engine, ctx.startedAt),
  });
  const sealed = kube.sealedSecrets;
  const controller = new SealedSecretsController(sealing, { now: ctx.now });
  const talos = ctx.scenario.talos;
  const serverAddress = new URL(talos.endpoint).host;
  const users = new WeakMap<SimRequest, UserInfo>();
  const userOf = (req: SimRequest) => users.get(req)!;

  const authorize = (req: SimRequest, a: RequestAttributes) => {
    const user = userOf(req);
    if (!authorizer.authorize(user, a).allowed) throw forbidden(user, a);
  };

  const handleResource = async (
    req: SimRequest,
    res: ServerResponse,
    r: ResourceRequest,
  ) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    // As in kube-apiserver, authorization runs before the resource is
    // looked up: a forbidden unknown resource is 403, an allowed one 404.
    authorize(req, {
      kind: 'resource',
      verb: verbOf(method, r, req.query),
      group: r.group,
      resource: r.plural,
      ...(r.subresource && { subresource: r.subresource }),
      ...(r.namespace && { namespace: r.namespace }),
      ...(r.name && { name: r.name }),
    });
    const resource = findResource(r.group, r.version, r.plural);
    if (!resource || (r.namespace !== undefined && !resource.namespaced))
      throw resourceNotFound();
    const key = resourceKey(resource);

    if (
      r.subresource === 'proxy' &&
      key === 'services' &&
      r.namespace &&
      r.name
    ) {
      await proxyToService(
        req,
        res,
        model.snapshot(),
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
    if (method === 'POST' && !r.name && !r.subresource) {
      const body = decodeBody(req.headers['content-type'], await req.body());
      if (key === 'selfsubjectaccessreviews.authorization.k8s.io') {
        send(res, 201, selfSubjectAccessReview(authorizer, userOf(req), body));
        return;
      }
      if (key === 'selfsubjectrulesreviews.authorization.k8s.io') {
        send(res, 201, selfSubjectRulesReview(authorizer, userOf(req), body));
        return;
      }
      const dryRun = req.query.getAll('dryRun').includes('All');
      send(res, 201, createObject(model, r, resource, body, dryRun));
      return;
    }
    if (method === 'DELETE' && r.name && !r.subresource) {
      const deleted = deleteObject(model, r, resource);
      send(res, 200, {
        ...deleted,
        apiVersion: apiVersionOf(resource),
        kind: resource.kind,
      });
      return;
    }
    if (method !== 'GET') {
      throw new KubeError(
        405,
        `the demo homelab derives its objects from the scenario: ${method} is not supported here (only create and delete of objects written through the API)`,
        'MethodNotAllowed',
      );
    }
    if (
      r.subresource &&
      !resource.subresources?.some(s => s.name === r.subresource)
    ) {
      throw resourceNotFound();
    }
    const table = tableRequest(req.headers.accept, req.query);
    if (!r.name && isWatch(req.query)) {
      serveWatch(req, res, model, resource, key, r.namespace, table, ctx.now);
      return;
    }
    const snapshot = model.snapshot();
    const all = snapshot.objects.get(key) ?? [];
    if (!r.name) {
      if (table && !r.subresource) {
        const page = pageObjects(
          resource,
          key,
          all,
          r.namespace,
          req.query,
          snapshot.resourceVersion,
        );
        send(
          res,
          200,
          toTable(resource, key, page.items, page.metadata, table, ctx.now()),
        );
        return;
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
      const headers = {
        'audit-id': randomUUID(),
        'cache-control': 'no-cache, private',
      };
      if (/^(true|1)$/i.test(req.query.get('follow') ?? '')) {
        followLogs(res, model, plan, req.query, headers);
        return;
      }
      const text = model.logs(plan, req.query);
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    if (table && !r.subresource) {
      send(
        res,
        200,
        toTable(
          resource,
          key,
          [found],
          { resourceVersion: found.metadata.resourceVersion },
          table,
          ctx.now(),
        ),
      );
      return;
    }
    send(res, 200, {
      ...found,
      apiVersion: apiVersionOf(resource),
      kind: resource.kind,
    });
  };

  const nonResource =
    (verb = 'get') =>
    (req: SimRequest) =>
      authorize(req, { kind: 'non-resource', verb, path: req.pathname });

  const dispatch = async (req: SimRequest, res: ServerResponse) => {
    const parsed = parseApiPath(req.pathname);
    if (parsed?.kind === 'resource') {
      await handleResource(req, res, parsed);
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
    nonResource(method === 'GET' ? 'get' : method.toLowerCase())(req);
    if (!parsed) throw resourceNotFound();
    if (method !== 'GET') {
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
  const router = new Router().get('/version', (req, res) => {
    nonResource()(req);
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
    });
  });
  for (const path of ['/healthz', '/livez', '/readyz']) {
    router.get(path, (req, res) => {
      nonResource()(req);
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
      users.set(req, authenticator.authenticate(req.headers.authorization));
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
                  $file: ctx.state.path(
                    `kubernetes/${kube.accounts.portal.tokenFile}`,
                  ),
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
