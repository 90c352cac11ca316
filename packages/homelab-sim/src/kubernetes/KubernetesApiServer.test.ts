import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import fs from 'node:fs';
import { Agent } from 'undici';
import { SimUnderTest, startSim } from '../testUtils';
import { loadScenario } from '../scenario/loadScenario';
import { apiVersionOf, RESOURCES, ResourceType } from './api/resources';
import { ClusterModel } from './cluster/ClusterModel';
import { crdValidator, modelFor } from './__testUtils__/validators';

// Starting servers, an RSA-4096 key or a backend takes seconds on a busy machine.
jest.setTimeout(60_000);

const scenario = loadScenario();
// Every kind readable here: the household's ClusterRole leaves autoscaling
// out on purpose (the Kubernetes tab's per-kind 403, tested in cluster/gitops).
const readRole = scenario.kubernetes.rbac.find(
  o => o.kind === 'ClusterRole' && o.metadata.name === 'backstage-read',
) as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
readRole.rules.push({
  apiGroups: ['autoscaling'],
  resources: ['horizontalpodautoscalers'],
  verbs: ['get', 'list', 'watch'],
});

describe('simulated Kubernetes API server', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let dispatcher: Agent;
  let token: string;
  let adminToken: string;
  let url: string;
  let k8s: typeof import('@kubernetes/client-node');

  // Loading client-node (a large ESM bundle) takes seconds on a busy
  // machine: do it once, beside the server start, not inside a test's time.
  beforeAll(async () => {
    [sim, k8s] = await Promise.all([
      startSim({ only: ['kubernetes'], scenario, tmpPrefix: 'sim-k8s-' }),
      import('@kubernetes/client-node'),
    ]);
    dispatcher = sim.dispatcher;
    token = sim.kubernetes.token;
    adminToken = sim.kubernetes.tokenOf('admin');
    url = sim.kubernetes.url;
  }, 180_000);

  afterAll(async () => {
    await sim?.close();
  });

  async function call(
    p: string,
    init: { method?: string; token?: string | null } = {},
  ) {
    const auth = init.token === undefined ? token : init.token;
    const res = await fetch(`${url}${p}`, {
      method: init.method ?? 'GET',
      headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
      dispatcher,
    } as RequestInit);
    const text = await res.text();
    let body: any = text;
    if (res.headers.get('content-type')?.startsWith('application/json'))
      body = JSON.parse(text);
    return { status: res.status, body, headers: res.headers };
  }
  /** Reads as cluster-admin: every kind, whatever the portal's RBAC says. */
  const get = async (p: string) => {
    const r = await call(p, { token: adminToken });
    if (r.status !== 200)
      throw new Error(`GET ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  it.each([
    ['no token', null],
    ['a wrong token', 'not-the-token'],
    ['a token with the wrong length', `${'x'.repeat(47)}`],
  ])(
    'answers %s with 401 and a Kubernetes Status on every path',
    async (_, bad) => {
      for (const p of [
        '/api/v1/pods',
        '/apis/apps/v1/namespaces/media/deployments',
        '/version',
        '/api',
        '/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem',
      ]) {
        const r = await call(p, { token: bad });
        expect(r.status).toBe(401);
        expect(r.body).toEqual({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        });
      }
    },
  );

  it('serves the discovery and typed calls @kubernetes/client-node makes', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'homelab',
          server: url,
          caData: Buffer.from(sim.caPem).toString('base64'),
        },
      ],
      users: [{ name: 'backstage', token }],
      contexts: [{ name: 'homelab', cluster: 'homelab', user: 'backstage' }],
      currentContext: 'homelab',
    });
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    expect(version.gitVersion).toBe(scenario.talos.kubernetesVersion);

    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({
      namespace: 'documents',
      labelSelector: 'backstage.io/kubernetes-id=paperless-ngx',
    });
    expect(pods.items.map(p => p.metadata?.name)).toEqual([
      expect.stringMatching(/^paperless-ngx-[a-z0-9]{10}-[a-z0-9]{5}$/),
    ]);
    const nodes = await core.listNode();
    expect(nodes.items.map(n => n.metadata?.name)).toEqual(
      scenario.talos.nodes.map(n => n.hostname).sort(),
    );
    const log = await core.readNamespacedPodLog({
      namespace: 'documents',
      name: pods.items[0].metadata!.name!,
      container: 'paperless-ngx',
    });
    expect(log).toContain('password authentication failed');

    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const jellyfin = await apps.readNamespacedStatefulSet({
      namespace: 'media',
      name: 'jellyfin',
    });
    expect(jellyfin.spec?.serviceName).toBe('jellyfin');

    // The generic client discovers the plural of HTTPRoute from /apis/<group>/<version>.
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const routes = await objects.list(
      'gateway.networking.k8s.io/v1',
      'HTTPRoute',
      'media',
    );
    expect(routes.items.map(r => r.metadata?.name).sort()).toEqual([
      'audiobookshelf',
      'immich-server',
      'jellyfin',
    ]);
    await expect(
      objects.read({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'talos-cp-1' },
      }),
    ).resolves.toMatchObject({
      status: { nodeInfo: { osImage: 'Talos (v1.10.6)' } },
    });
    // Loading the ESM client the first time (cold transform cache) takes a while.
  }, 60_000);

  const prefixOf = (r: ResourceType) =>
    r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const named = (rs: ResourceType[]) =>
    rs.map(r => [`${r.plural}.${r.group || 'core'}`, r] as const);

  it('lists every group and version in discovery with the resources it serves', async () => {
    const core = await get('/api');
    expect(core).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await get('/apis');
    expect(groups.kind).toBe('APIGroupList');
    for (const r of RESOURCES.filter(x => x.group)) {
      expect(groups.groups.map((g: any) => g.name)).toContain(r.group);
      const doc = await get(`/apis/${r.group}`);
      expect(doc.versions.map((v: any) => v.version)).toContain(r.version);
    }
    for (const r of RESOURCES) {
      const list = await get(prefixOf(r));
      expect(list).toMatchObject({
        kind: 'APIResourceList',
        groupVersion: apiVersionOf(r),
      });
      expect(list.resources).toContainEqual(
        expect.objectContaining({
          name: r.plural,
          kind: r.kind,
          namespaced: r.namespaced,
        }),
      );
    }
    const v1 = await get('/api/v1');
    expect(v1.resources.map((x: any) => x.name)).toEqual(
      expect.arrayContaining(['pods/log', 'services/proxy']),
    );
    expect((await call('/apis/policy/v1')).status).toBe(404);
  });

  /** A list as served, and its items with the kind/apiVersion a typed client adds. */
  async function listOf(r: ResourceType) {
    const list = await get(`${prefixOf(r)}/${r.plural}`);
    expect(list.kind).toBe(`${r.kind}List`);
    expect(list.apiVersion).toBe(apiVersionOf(r));
    const items = list.items.map((i: any) => ({
      apiVersion: list.apiVersion,
      kind: r.kind,
      ...i,
    }));
    return { list, items };
  }

  const builtIn = RESOURCES.filter(r => modelFor(apiVersionOf(r), r.kind));
  const emptyInTheDemo = ['limitranges', 'resourcequotas', 'ingresses'];
  // Flux and Argo CD objects come from the forge's repositories, which this
  // kubernetes-only sim has not got: cluster/gitops/delivery.test.ts reads them.
  const fromTheForge = [
    'kustomize.toolkit.fluxcd.io',
    'helm.toolkit.fluxcd.io',
    'source.toolkit.fluxcd.io',
    'argoproj.io',
  ];

  it.each(named(builtIn))(
    'lists %s as a list kubernetes-models validates',
    async (_, r) => {
      const { list, items } = await listOf(r);
      expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
      // Built-in lists carry no per-item kind, as the API server sends them.
      expect(list.items.every((i: any) => i.kind === undefined)).toBe(true);
      const List = modelFor(list.apiVersion, `${r.kind}List`)!;
      const Item = modelFor(list.apiVersion, r.kind)!;
      new List({ ...list, items }).validate();
      for (const item of items) new Item(item).validate();
      // Nothing validated vacuously, except kinds the household does not use.
      expect(list.items.length > 0).toBe(!emptyInTheDemo.includes(r.plural));
    },
  );

  const crds: Record<string, (o: unknown) => void> = {
    HTTPRoute: crdValidator('gateway.networking.k8s.io_httproutes.yaml', 'v1'),
    Gateway: crdValidator('gateway.networking.k8s.io_gateways.yaml', 'v1'),
    GatewayClass: crdValidator(
      'gateway.networking.k8s.io_gatewayclasses.yaml',
      'v1',
    ),
  };

  it.each(named(RESOURCES.filter(r => crds[r.kind])))(
    'lists %s as custom resources the upstream CRD schema validates',
    async (_, r) => {
      const { list } = await listOf(r);
      expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(list.items.length).toBeGreaterThan(0);
      for (const item of list.items) {
        // Custom resources keep kind and apiVersion per item.
        expect(item).toMatchObject({
          apiVersion: apiVersionOf(r),
          kind: r.kind,
        });
        crds[r.kind](item);
      }
    },
  );

  it.each(named(RESOURCES.filter(r => r.group === 'metrics.k8s.io')))(
    'lists %s in the shape of metrics-server',
    async (_, r) => {
      // metrics.k8s.io has no kubernetes-models class: check its types by hand.
      const { list, items } = await listOf(r);
      expect(list.metadata).toEqual({});
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        new ObjectMeta(item.metadata).validate();
        expect(Date.parse(item.timestamp)).not.toBeNaN();
        expect(item.window).toMatch(/^\d+(\.\d+)?s$/);
        const usages = item.containers?.map((c: any) => c.usage) ?? [
          item.usage,
        ];
        expect(usages.length).toBeGreaterThan(0);
        for (const u of usages) {
          expect(Object.keys(u).sort()).toEqual(['cpu', 'memory']);
          expect(u.cpu).toMatch(/^\d+n$/);
          expect(u.memory).toMatch(/^\d+Ki$/);
        }
      }
    },
  );

  it.each(
    named(
      RESOURCES.filter(
        r =>
          r.namespaced &&
          !emptyInTheDemo.includes(r.plural) &&
          !fromTheForge.includes(r.group),
      ),
    ),
  )('scopes %s to a namespace and reads one by name', async (_, r) => {
    const { list } = await listOf(r);
    const { namespace, name } = list.items[0].metadata;
    const scoped = await get(
      `${prefixOf(r)}/namespaces/${namespace}/${r.plural}`,
    );
    expect(scoped.items.length).toBeGreaterThan(0);
    expect(scoped.items.map((i: any) => i.metadata.namespace)).toEqual(
      scoped.items.map(() => namespace),
    );
    const one = await get(
      `${prefixOf(r)}/namespaces/${namespace}/${r.plural}/${name}`,
    );
    expect(one).toMatchObject({
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: { name, namespace },
    });
  });

  /** How many pods an app runs: one per node, one per replica, or its kept job runs. */
  function expectedPods(
    app: (typeof scenario.kubernetes.apps)[number],
    jobs: number,
  ) {
    if (app.cronJob) return jobs;
    if (app.kind === 'DaemonSet') return scenario.talos.nodes.length;
    return app.replicas;
  }

  it.each(scenario.kubernetes.apps.map(a => [a.name, a] as const))(
    'labels %s, its pods and its route for its catalog entity',
    async (_, app) => {
      const selector = encodeURIComponent(
        `backstage.io/kubernetes-id=${app.kubernetesId},app.kubernetes.io/name=${app.name}`,
      );
      const ns = `/namespaces/${app.namespace}`;
      const pods = await get(`/api/v1${ns}/pods?labelSelector=${selector}`);
      const jobs = await get(
        `/apis/batch/v1${ns}/jobs?labelSelector=${selector}`,
      );
      const owner = app.cronJob
        ? `/apis/batch/v1${ns}/cronjobs`
        : `/apis/apps/v1${ns}/${app.kind.toLowerCase()}s`;
      expect(
        (await get(`${owner}?labelSelector=${selector}`)).items,
      ).toHaveLength(1);
      expect(pods.items).toHaveLength(expectedPods(app, jobs.items.length));
      expect(pods.items.map((p: any) => p.spec.containers[0].image)).toEqual(
        pods.items.map(() => app.image),
      );
      const routes = await get(
        `/apis/gateway.networking.k8s.io/v1${ns}/httproutes?labelSelector=${selector}`,
      );
      expect(routes.items.map((r: any) => r.spec.hostnames)).toEqual(
        app.hostname ? [[`${app.hostname}.${scenario.household.domain}`]] : [],
      );
    },
  );

  it.each(
    scenario.kubernetes.apps
      .filter(a => a.hostname)
      .map(a => [a.name, a] as const),
  )('routes %s through its Gateway listener to its Service', async (_, app) => {
    const route = await get(
      `/apis/gateway.networking.k8s.io/v1/namespaces/${app.namespace}/httproutes/${app.name}`,
    );
    const gateway = scenario.kubernetes.gateways.find(
      g => g.name === app.gateway,
    )!;
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: gateway.name,
        namespace: gateway.namespace,
        sectionName: gateway.sectionName,
      },
    ]);
    // CEL rule of the CRD a JSON schema cannot check: a Service backend needs a port.
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: app.name, port: app.port, weight: 1 },
    ]);
    expect(route.status.parents[0].conditions).toContainEqual(
      expect.objectContaining({ type: 'Accepted', status: 'True' }),
    );
    const service = await get(
      `/api/v1/namespaces/${app.namespace}/services/${app.name}`,
    );
    expect(service.spec.ports[0].port).toBe(app.port);
  });

  it('filters lists by label selectors as the upstream backend and kubectl send them', async () => {
    const names = async (selector: string) =>
      (
        await get(`/api/v1/pods?labelSelector=${encodeURIComponent(selector)}`)
      ).items
        .map((p: any) => p.metadata.name)
        .sort();
    const immich = await names('backstage.io/kubernetes-id=immich');
    expect(immich).toHaveLength(2);
    expect(immich.every((n: string) => n.startsWith('immich-'))).toBe(true);
    expect(
      await names('backstage.io/kubernetes-id in (immich,jellyfin)'),
    ).toEqual([...immich, 'jellyfin-0'].sort());
    expect(
      await names(
        'backstage.io/kubernetes-id=immich,app.kubernetes.io/name!=immich-server',
      ),
    ).toEqual([expect.stringMatching(/^immich-machine-learning-/)]);
    const all = await names('');
    const labelled = await names('backstage.io/kubernetes-id');
    const unlabelled = await names('!backstage.io/kubernetes-id');
    expect(labelled.length + unlabelled.length).toBe(all.length);
    expect(unlabelled).toEqual(
      expect.arrayContaining([
        'kube-apiserver-talos-cp-1',
        expect.stringMatching(/^coredns-/),
      ]),
    );
    expect(
      await names('backstage.io/kubernetes-id notin (immich)'),
    ).not.toEqual(expect.arrayContaining(immich));
    expect(await names('backstage.io/kubernetes-id=nobody')).toEqual([]);
    const bad = await call(
      `/api/v1/pods?labelSelector=${encodeURIComponent('a in (')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      code: 400,
    });
    expect(bad.body.message).toMatch(/^unable to parse requirement/);
  });

  it('filters by field selectors and refuses fields the resource does not index', async () => {
    const running = await get(
      '/api/v1/pods?fieldSelector=status.phase%3DRunning,spec.nodeName%3Dtalos-cp-1',
    );
    expect(running.items.length).toBeGreaterThan(0);
    expect(
      running.items.every(
        (p: any) =>
          p.spec.nodeName === 'talos-cp-1' && p.status.phase === 'Running',
      ),
    ).toBe(true);
    const byName = await get(
      '/api/v1/namespaces/media/pods?fieldSelector=metadata.name%3Djellyfin-0',
    );
    expect(byName.items.map((p: any) => p.metadata.name)).toEqual([
      'jellyfin-0',
    ]);
    const bad = await call('/api/v1/pods?fieldSelector=spec.containers%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.containers');
  });

  it('pages with limit and continue like the API server', async () => {
    const all = (await get('/api/v1/pods')).items.map(
      (p: any) => p.metadata.name,
    );
    const seen: string[] = [];
    let next = '';
    let pages = 0;
    do {
      const page = await get(
        `/api/v1/pods?limit=7${
          next ? `&continue=${encodeURIComponent(next)}` : ''
        }`,
      );
      seen.push(...page.items.map((p: any) => p.metadata.name));
      next = page.metadata.continue ?? '';
      expect(page.metadata.remainingItemCount ?? 0).toBe(
        all.length - seen.length,
      );
      pages++;
    } while (next);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 7));
    expect((await call('/api/v1/pods?limit=5&continue=garbage')).status).toBe(
      400,
    );
  });

  it('answers unknown objects and paths with NotFound Status objects', async () => {
    const missing = await call(
      '/apis/apps/v1/namespaces/media/deployments/nope',
      { token: adminToken },
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    const pod = await call('/api/v1/namespaces/media/pods/nope');
    expect(pod.body.message).toBe('pods "nope" not found');
    for (const p of [
      '/apis/apps/v1/widgets',
      '/api/v1/namespaces/media/nodes',
      '/apis/nothing/v1/pods',
    ]) {
      const r = await call(p, { token: adminToken });
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
    }
    // Listing in a namespace that does not exist is an empty list, not an error.
    expect((await get('/api/v1/namespaces/nowhere/pods')).items).toEqual([]);
  });

  it('forbids writes: the portal token is a read-only ServiceAccount', async () => {
    const pod = (await get('/api/v1/namespaces/media/pods')).items[0].metadata
      .name;
    const r = await call(`/api/v1/namespaces/media/pods/${pod}`, {
      method: 'DELETE',
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: `pods "${pod}" is forbidden: User "system:serviceaccount:backstage:backstage" cannot delete resource "pods" in API group "" in the namespace "media"`,
    });
  });

  it('shows the Talos nodes as their kubelets register them', async () => {
    const nodes = (await get('/api/v1/nodes')).items;
    for (const t of scenario.talos.nodes) {
      const node = nodes.find((n: any) => n.metadata.name === t.hostname);
      const vm = scenario.proxmox.guests.find(g => g.vmid === t.vmid)!;
      expect(node.status.nodeInfo).toMatchObject({
        osImage: `Talos (${scenario.talos.talosVersion})`,
        systemUUID: vm.smbiosUuid,
        kubeletVersion: scenario.talos.kubernetesVersion,
        operatingSystem: 'linux',
      });
      expect(node.status.addresses).toEqual([
        { type: 'InternalIP', address: t.ip },
        { type: 'Hostname', address: t.hostname },
      ]);
      expect(
        node.status.conditions.find((c: any) => c.type === 'Ready'),
      ).toMatchObject({
        status: 'True',
        reason: 'KubeletReady',
      });
      expect(node.status.capacity.cpu).toBe(String(vm.cores));
      const controlPlane = t.role === 'controlplane';
      expect(
        'node-role.kubernetes.io/control-plane' in node.metadata.labels,
      ).toBe(controlPlane);
      expect(Boolean(node.spec.taints)).toBe(controlPlane);
    }
  });

  it('shows paperless-ngx crash looping, with restarts growing over time', async () => {
    const pod = (
      await get(
        '/api/v1/namespaces/documents/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dpaperless-ngx',
      )
    ).items[0];
    const status = pod.status.containerStatuses[0];
    expect(status.ready).toBe(false);
    expect(status.restartCount).toBeGreaterThan(5);
    expect(status.lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
    // Between two 3-second runs the container waits in CrashLoopBackOff.
    expect(Object.keys(status.state)).toEqual([
      status.state.running ? 'running' : 'waiting',
    ]);
    const model = new ClusterModel(sim.sim.ctx, sim.caPem);
    const statusAt = (ms: number) =>
      model
        .snapshot(ms)
        .objects.get('pods')!
        .find(p => p.metadata.name === pod.metadata.name)!.status
        .containerStatuses[0];
    const now = Date.now();
    const waitingAt = statusAt(now).state.waiting ? now : now + 5_000;
    expect(statusAt(waitingAt).state.waiting.reason).toBe('CrashLoopBackOff');
    expect(statusAt(waitingAt).state.waiting.message).toMatch(
      new RegExp(
        `^back-off 5m0s restarting failed container=paperless-ngx pod=${pod.metadata.name}_documents\\(${pod.metadata.uid}\\)$`,
      ),
    );
    expect(
      pod.status.conditions.find((c: any) => c.type === 'Ready'),
    ).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    const deployment = await get(
      '/apis/apps/v1/namespaces/documents/deployments/paperless-ngx',
    );
    expect(deployment.status).toMatchObject({
      replicas: 1,
      unavailableReplicas: 1,
    });
    expect(deployment.status.availableReplicas).toBeUndefined();
    expect(deployment.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
      }),
    );
    // Healthy apps are available.
    const immich = await get(
      '/apis/apps/v1/namespaces/media/deployments/immich-server',
    );
    expect(immich.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    });

    // Time moves: an hour later the same pod has restarted about twelve more times.
    const at = statusAt;
    const later = at(now + 3_600_000);
    expect(later.restartCount - at(now).restartCount).toBeGreaterThanOrEqual(
      11,
    );
    expect(later.restartCount - at(now).restartCount).toBeLessThanOrEqual(12);
    expect(Date.parse(later.lastState.terminated.finishedAt)).toBeGreaterThan(
      Date.parse(at(now).lastState.terminated.finishedAt),
    );
  });

  it('serves the crashing pod events and logs the Kubernetes tab reads through its proxy', async () => {
    const pod = (
      await get(
        '/api/v1/namespaces/documents/pods?labelSelector=app.kubernetes.io%2Fname%3Dpaperless-ngx',
      )
    ).items[0];
    const events = await get(
      `/api/v1/namespaces/documents/events?fieldSelector=involvedObject.name=${pod.metadata.name}`,
    );
    expect(events.items.map((e: any) => e.reason).sort()).toEqual([
      'BackOff',
      'Created',
      'Pulled',
      'Started',
    ]);
    expect(events.items.find((e: any) => e.reason === 'BackOff')).toMatchObject(
      {
        type: 'Warning',
        involvedObject: {
          kind: 'Pod',
          name: pod.metadata.name,
          uid: pod.metadata.uid,
        },
      },
    );
    // The frontend asks for the crashed instance with `previous=` (empty means true).
    const previous = await call(
      `/api/v1/namespaces/documents/pods/${pod.metadata.name}/log?container=paperless-ngx&previous=`,
    );
    expect(previous.status).toBe(200);
    expect(previous.headers.get('content-type')).toBe('text/plain');
    expect(previous.body).toMatch(
      /password authentication failed[\s\S]*exiting with status 1\n$/,
    );
    const healthy = (
      await get(
        '/api/v1/namespaces/media/pods?labelSelector=app.kubernetes.io%2Fname%3Djellyfin',
      )
    ).items[0];
    const noPrevious = await call(
      `/api/v1/namespaces/media/pods/${healthy.metadata.name}/log?previous=true`,
    );
    expect(noPrevious.status).toBe(400);
    expect(noPrevious.body.message).toBe(
      `previous terminated container "jellyfin" in pod "${healthy.metadata.name}" not found`,
    );
    const tail = await call(
      `/api/v1/namespaces/media/pods/${healthy.metadata.name}/log?tailLines=1&timestamps=true`,
    );
    expect(tail.body.trim().split('\n')).toHaveLength(1);
    expect(tail.body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  });

  it('writes the kubernetes section of the demo portal config with secrets as $file', () => {
    const config = JSON.parse(
      fs
        .readFileSync(sim.path('app-config.demo.yaml'), 'utf8')
        .replace(/^#.*\n/, ''),
    );
    expect(config.kubernetes).toEqual({
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'homelab',
              title: 'homelab (Talos v1.10.6)',
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: {
                $file: sim.path('kubernetes/token'),
              },
              caFile: sim.path('ca/ca.pem'),
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
    });
    expect(JSON.stringify(config)).not.toContain(token);
  });
});
