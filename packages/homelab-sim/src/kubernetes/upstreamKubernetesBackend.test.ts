import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { ConfigSources, loadConfigSchema } from '@backstage/config-loader';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { detectErrors } from '@backstage/plugin-kubernetes-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SimUnderTest, startSim } from '../testUtils';

// Starting servers, an RSA-4096 key or a backend takes seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * The REAL upstream `@backstage/plugin-kubernetes-backend` (0.21.11), wired
 * from the config the sim writes and the household's real catalog files,
 * called the way the Kubernetes tab calls it. Nothing in between is ours.
 */

// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../../..');

function householdComponents(): Entity[] {
  const files = [
    'catalog/apps/home-automation.yaml',
    'catalog/apps/media.yaml',
    'catalog/apps/productivity.yaml',
    'catalog/platform/components.yaml',
  ];
  return files.flatMap(f =>
    parseAllDocuments(fs.readFileSync(path.join(repoRoot, f), 'utf8'))
      .map(d => d.toJS() as Entity)
      .filter(e => e?.kind === 'Component')
      .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } })),
  );
}

type Logged = { level: string; message: string };

function recordingLogger(logged: Logged[]): LoggerService {
  const logger: LoggerService = {
    error: message => logged.push({ level: 'error', message }),
    warn: message => logged.push({ level: 'warn', message }),
    info: message => logged.push({ level: 'info', message }),
    debug: message => logged.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

describe('upstream kubernetes backend against the simulated cluster', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let appConfig: JsonObject & Record<string, any>;
  const entities = householdComponents();

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes'],
      tmpPrefix: 'sim-k8s-upstream-',
    });
    // Read the generated demo config the way the backend does ($file included).
    const config = await ConfigSources.toConfig(
      ConfigSources.defaultForTargets({
        rootDir: sim.stateDir,
        targets: [{ type: 'path', target: sim.path('app-config.demo.yaml') }],
      }),
    );
    appConfig = config.get() as JsonObject & Record<string, any>;
    config.close();
  });

  afterAll(async () => {
    await sim?.close();
  });

  async function startBackend(data: JsonObject) {
    const logged: Logged[] = [];
    const { server } = await startTestBackend({
      features: [
        import('@backstage/plugin-kubernetes-backend'),
        mockServices.rootConfig.factory({ data }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => recordingLogger(logged),
        }),
      ],
    });
    const base = `http://localhost:${server.port()}/api/kubernetes`;
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: mockCredentials.user.header(),
        },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return res.json();
    };
    return { server, logged, post, base };
  }

  const entity = (name: string) =>
    entities.find(e => e.metadata.name === name)!;

  it('accepts the generated config under the plugin config schema', async () => {
    const schema = await loadConfigSchema({
      dependencies: [
        '@backstage/plugin-kubernetes-backend',
        // The demo's permission settings (admin groups of the demo sign-in).
        '@homelab-portal/plugin-permission-backend-module-homelab',
      ],
      noUndeclaredProperties: true,
    });
    // The demo config is layered on app-config.yaml, which carries app and backend.
    const base = {
      context: 'app-config.yaml',
      data: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl: 'http://localhost:7007',
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
      },
    };
    expect(() =>
      schema.process([
        base,
        { context: 'app-config.demo.yaml', data: appConfig },
      ]),
    ).not.toThrow();
    // A misspelt key is caught by the same check, so the check has teeth.
    const broken = structuredClone(appConfig);
    broken.kubernetes.clusterLocatorMethods[0].clusters[0].caFiles = 'x';
    expect(() =>
      schema.process([base, { context: 'broken', data: broken }]),
    ).toThrow(/caFiles/);
  });

  it('finds the crash-looping paperless-ngx pod, its deployment and route, like the tab does', async () => {
    const { post, logged, server } = await startBackend(appConfig);
    try {
      // The request the frontend's KubernetesBackendClient sends.
      const response = await post('/services/paperless-ngx', {
        entity: entity('paperless-ngx'),
      });
      expect(response.items).toHaveLength(1);
      const [cluster] = response.items;
      expect(cluster.cluster).toEqual({
        name: 'homelab',
        title: 'homelab (Talos v1.10.6)',
      });
      // The demo's ClusterRole lacks autoscaling (its backstage-read ClusterRole has no autoscaling rule):
      // upstream reports that one kind and still returns every other.
      expect(cluster.errors).toEqual([
        {
          errorType: 'UNKNOWN_ERROR',
          statusCode: 403,
          resourcePath: '/apis/autoscaling/v2/horizontalpodautoscalers',
        },
      ]);
      const byType = Object.fromEntries(
        cluster.resources.map((r: any) => [r.type, r.resources]),
      );
      expect(Object.keys(byType).sort()).toEqual(
        [
          'configmaps',
          'cronjobs',
          'customresources',
          'daemonsets',
          'deployments',
          'ingresses',
          'jobs',
          'limitranges',
          'pods',
          'replicasets',
          'resourcequotas',
          'services',
          'statefulsets',
        ].sort(),
      );
      expect(byType.pods).toHaveLength(1);
      const status = byType.pods[0].status.containerStatuses[0];
      expect(status.restartCount).toBeGreaterThan(0);
      expect(status.lastState.terminated.exitCode).toBe(1);
      expect(
        byType.deployments.map((d: any) => [
          d.metadata.name,
          d.status.unavailableReplicas,
        ]),
      ).toEqual([['paperless-ngx', 1]]);
      expect(byType.services.map((s: any) => s.metadata.name)).toEqual([
        'paperless-ngx',
      ]);
      expect(byType.customresources).toEqual([
        expect.objectContaining({
          kind: 'HTTPRoute',
          spec: expect.objectContaining({
            hostnames: ['documents.home.example.org'],
          }),
        }),
      ]);
      // The frontend's error detection names the crash loop.
      const errors = detectErrors(response).get('homelab') ?? [];
      const types = errors.map(e => e.proposedFix?.errorType ?? e.type);
      // Always the restarts with their exit code; CrashLoopBackOff while it waits.
      expect(types).toEqual(
        expect.arrayContaining(
          status.state.waiting ? ['Error', 'CrashLoopBackOff'] : ['Error'],
        ),
      );
      // Upstream warns about the forbidden kind, and about nothing else.
      expect(
        logged
          .filter(l => l.level === 'warn' || l.level === 'error')
          .map(l => l.message.replace(/; body=.*/, '')),
      ).toEqual([
        'Received 403 status when fetching "/apis/autoscaling/v2/horizontalpodautoscalers" from cluster "homelab"',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('returns immich pods with metrics and route, and the forbidden HPAs as one error, through the workloads query', async () => {
    const { post, logged, server } = await startBackend(appConfig);
    try {
      const response = await post('/resources/workloads/query', {
        entityRef: 'component:default/immich',
        auth: {},
      });
      const [cluster] = response.items;
      // The demo's ClusterRole lacks autoscaling (its backstage-read ClusterRole has no autoscaling rule):
      // upstream reports that one kind and still returns every other.
      expect(cluster.errors).toEqual([
        {
          errorType: 'UNKNOWN_ERROR',
          statusCode: 403,
          resourcePath: '/apis/autoscaling/v2/horizontalpodautoscalers',
        },
      ]);
      const byType = Object.fromEntries(
        cluster.resources.map((r: any) => [r.type, r.resources]),
      );
      expect(byType.pods.map((p: any) => p.metadata.name).sort()).toEqual([
        expect.stringMatching(/^immich-machine-learning-/),
        expect.stringMatching(/^immich-server-/),
      ]);
      for (const pod of byType.pods) {
        expect(pod.status.phase).toBe('Running');
        expect(pod.status.containerStatuses[0].ready).toBe(true);
      }
      expect(byType.deployments).toHaveLength(2);
      expect(byType.horizontalpodautoscalers).toBeUndefined();
      expect(
        byType.customresources.map((r: any) => r.spec.hostnames[0]),
      ).toEqual(['photos.home.example.org']);
      // Pod metrics come from metrics.k8s.io through @kubernetes/client-node's topPods.
      expect(cluster.podMetrics).toHaveLength(2);
      for (const m of cluster.podMetrics) {
        expect(m.cpu.currentUsage).toBeGreaterThan(0);
        expect(Number(m.memory.currentUsage)).toBeGreaterThan(0);
        expect(m.containers).toHaveLength(1);
      }
      expect(detectErrors(response).get('homelab')).toEqual([]);
      // Upstream warns about the forbidden kind, and about nothing else.
      expect(
        logged
          .filter(l => l.level === 'warn' || l.level === 'error')
          .map(l => l.message.replace(/; body=.*/, '')),
      ).toEqual([
        'Received 403 status when fetching "/apis/autoscaling/v2/horizontalpodautoscalers" from cluster "homelab"',
      ]);
    } finally {
      await server.stop();
    }
  });

  it('gets the real 401 answer when the token is wrong', async () => {
    const data = structuredClone(appConfig);
    data.kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken =
      'not-the-token';
    const { post, logged, server } = await startBackend(data);
    try {
      const response = await post('/services/immich', {
        entity: entity('immich'),
      });
      const [cluster] = response.items;
      expect(cluster.resources).toEqual([]);
      expect(cluster.errors.length).toBeGreaterThanOrEqual(14);
      for (const e of cluster.errors) {
        expect(e).toMatchObject({
          errorType: 'UNAUTHORIZED_ERROR',
          statusCode: 401,
        });
      }
      // The backend logs the API server's Status body for each refused call.
      expect(logged.filter(l => l.level === 'warn')[0].message).toContain(
        '"reason":"Unauthorized"',
      );
    } finally {
      await server.stop();
    }
  });

  it('lists the cluster for the frontend', async () => {
    const { server, base } = await startBackend(appConfig);
    try {
      const res = await fetch(`${base}/clusters`, {
        headers: { authorization: mockCredentials.user.header() },
      });
      expect(await res.json()).toEqual({
        items: [
          {
            name: 'homelab',
            title: 'homelab (Talos v1.10.6)',
            authProvider: 'serviceAccount',
          },
        ],
      });
    } finally {
      await server.stop();
    }
  });
});
