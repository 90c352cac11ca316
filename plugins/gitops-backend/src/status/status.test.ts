import { validated } from '../__testUtils__/crds';
import { KubeObject } from '../service/clusterAccess';
import { argoVerdict } from './argo';
import { kstatus } from './conditions';
import { fluxVerdict } from './flux';
import { routeVerdict } from './route';

// Status shapes as the controllers write them (notes/gitops-status.md §1–§4),
// each checked against the upstream CRD schema before it is interpreted.

const SHA = '4f9c2d1e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d';
const OLD = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 18, m)).toISOString();
const cond = (
  type: string,
  status: string,
  reason: string,
  message: string,
  minute = 0,
  observedGeneration = 1,
) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: at(minute),
  observedGeneration,
});

function kustomization(
  status: Record<string, any>,
  generation = 1,
): KubeObject {
  return validated({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'kitchenowl', namespace: 'productivity', generation },
    spec: {
      interval: '1h',
      path: './kubernetes/apps/productivity/kitchenowl/app',
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'flux-system',
        namespace: 'flux-system',
      },
    },
    status,
  });
}

function helmRelease(status: Record<string, any>, generation = 3): KubeObject {
  return validated({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'kitchenowl', namespace: 'productivity', generation },
    spec: {
      interval: '1h',
      chartRef: { kind: 'OCIRepository', name: 'kitchenowl' },
    },
    status,
  });
}

const applied = kustomization({
  observedGeneration: 1,
  lastAppliedRevision: `main@sha1:${SHA}`,
  lastAttemptedRevision: `main@sha1:${SHA}`,
  conditions: [
    cond(
      'Ready',
      'True',
      'ReconciliationSucceeded',
      `Applied revision: main@sha1:${SHA}`,
      5,
    ),
  ],
});

describe('kstatus', () => {
  it('is in progress while the controller has not observed the newest generation', () => {
    const hr = helmRelease(
      {
        observedGeneration: 2,
        conditions: [
          cond(
            'Ready',
            'True',
            'UpgradeSucceeded',
            'Helm upgrade succeeded',
            1,
            2,
          ),
        ],
      },
      3,
    );
    expect(kstatus(hr)).toBe('InProgress');
    expect(fluxVerdict(applied, hr, {}).state).toBe('in-progress');
  });

  it('is failed when Stalled, current when Ready, in progress when Reconciling', () => {
    expect(
      kstatus(
        helmRelease({
          observedGeneration: 3,
          conditions: [
            cond(
              'Stalled',
              'True',
              'RetriesExceeded',
              'Failed to upgrade after 4 attempt(s)',
              1,
              3,
            ),
          ],
        }),
      ),
    ).toBe('Failed');
    expect(kstatus(applied)).toBe('Current');
    expect(
      kstatus(
        kustomization({
          observedGeneration: 1,
          conditions: [
            cond('Reconciling', 'True', 'Progressing', 'Building manifests'),
            cond(
              'Ready',
              'Unknown',
              'Progressing',
              'Reconciliation in progress',
            ),
          ],
        }),
      ),
    ).toBe('InProgress');
  });
});

describe('fluxVerdict', () => {
  it('waits for Flux while the Kustomization applies an older revision than the merge', () => {
    const old = kustomization({
      observedGeneration: 1,
      lastAppliedRevision: `main@sha1:${OLD}`,
      conditions: [
        cond(
          'Ready',
          'True',
          'ReconciliationSucceeded',
          `Applied revision: main@sha1:${OLD}`,
          1,
        ),
      ],
    });
    const v = fluxVerdict(old, undefined, { sha: SHA, at: at(3) });
    expect(v.state).toBe('in-progress');
    expect(v.message).toBe(
      'Waiting for Flux to fetch the merge 4f9c2d1 (it applies 0a1b2c3)',
    );
  });

  it('counts a later revision applied after the merge as delivering it', () => {
    const installed = helmRelease({
      observedGeneration: 3,
      conditions: [
        cond(
          'Ready',
          'True',
          'InstallSucceeded',
          'Helm install succeeded for release productivity/kitchenowl.v1 with chart app-template@5.1.0',
          6,
          3,
        ),
        cond(
          'Released',
          'True',
          'InstallSucceeded',
          'Helm install succeeded for release productivity/kitchenowl.v1 with chart app-template@5.1.0',
          6,
          3,
        ),
      ],
      history: [
        {
          name: 'kitchenowl',
          namespace: 'productivity',
          version: 1,
          status: 'deployed',
          chartName: 'app-template',
          chartVersion: '5.1.0',
          configDigest: 'sha256:aa',
          digest: 'sha256:bb',
          firstDeployed: at(6),
          lastDeployed: at(6),
        },
      ],
    });
    const v = fluxVerdict(applied, installed, { sha: OLD, at: at(4) });
    expect(v).toMatchObject({
      state: 'done',
      message:
        'Helm install succeeded for release productivity/kitchenowl.v1 with chart app-template@5.1.0',
    });
    expect(v.facts).toContainEqual({
      label: 'Release',
      value: 'v1 (app-template@5.1.0)',
    });
  });

  it('names the upgrade error behind a rollback, not the rollback', () => {
    const failed = helmRelease({
      observedGeneration: 3,
      lastAttemptedGeneration: 3,
      lastAttemptedReleaseAction: 'upgrade',
      failures: 4,
      upgradeFailures: 4,
      conditions: [
        cond(
          'Stalled',
          'True',
          'RetriesExceeded',
          'Failed to upgrade after 4 attempt(s)',
          9,
          3,
        ),
        cond(
          'Ready',
          'False',
          'RollbackSucceeded',
          'Helm rollback to previous release productivity/kitchenowl.v2 with chart app-template@5.1.0 succeeded',
          9,
          3,
        ),
        cond(
          'Released',
          'False',
          'UpgradeFailed',
          'Helm upgrade failed for release productivity/kitchenowl with chart app-template@5.1.0: context deadline exceeded',
          8,
          3,
        ),
        cond(
          'Remediated',
          'True',
          'RollbackSucceeded',
          'Helm rollback to previous release productivity/kitchenowl.v2 with chart app-template@5.1.0 succeeded',
          9,
          3,
        ),
      ],
    });
    expect(fluxVerdict(applied, failed, {})).toMatchObject({
      state: 'failed',
      message:
        'HelmRelease upgrade failed: Helm upgrade failed for release productivity/kitchenowl with chart app-template@5.1.0: context deadline exceeded (Failed to upgrade after 4 attempt(s); Flux stopped retrying)',
    });
  });

  it('fails with the Kustomization reason when it cannot build', () => {
    const broken = kustomization({
      observedGeneration: 1,
      lastAppliedRevision: `main@sha1:${OLD}`,
      lastAttemptedRevision: `main@sha1:${SHA}`,
      conditions: [
        cond(
          'Ready',
          'False',
          'BuildFailed',
          "kustomize build failed: accumulating resources: 'helmrelease.yaml' not found",
          7,
        ),
      ],
    });
    const v = fluxVerdict(broken, undefined, { sha: SHA, at: at(3) });
    expect(v.state).toBe('failed');
    expect(v.message).toMatch(
      /^Kustomization productivity\/kitchenowl failed: BuildFailed: kustomize build failed/,
    );
    expect(v.facts).toContainEqual({
      label: 'Attempted revision',
      value: `main@sha1:${SHA}`,
    });
  });

  it('is pending without a Kustomization', () => {
    expect(fluxVerdict(undefined, undefined, {}).state).toBe('pending');
  });
});

function application(status: Record<string, any>): KubeObject {
  return validated({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'miniflux', namespace: 'argocd', generation: 4 },
    spec: {
      project: 'productivity',
      source: {
        repoURL: 'https://git.home.example.org/home-ops/k8s-gitops.git',
        path: 'k8s/apps/productivity/miniflux',
        targetRevision: 'HEAD',
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'productivity',
      },
    },
    status,
  });
}

describe('argoVerdict', () => {
  const operation = {
    sync: { revision: SHA },
    initiatedBy: { automated: true },
  };

  it('is done when synced to the merge and Healthy', () => {
    const app = application({
      sync: { status: 'Synced', revision: SHA },
      health: { status: 'Healthy', lastTransitionTime: at(6) },
      resourceHealthSource: 'appTree',
      operationState: {
        operation,
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: at(4),
        finishedAt: at(5),
      },
      reconciledAt: at(6),
    });
    expect(argoVerdict(app, { sha: SHA, at: at(3) })).toMatchObject({
      state: 'done',
      message: 'Synced to 4f9c2d1 and Healthy',
    });
  });

  it('fails with the sync operation message', () => {
    const app = application({
      sync: { status: 'OutOfSync', revision: SHA },
      health: { status: 'Healthy' },
      operationState: {
        operation,
        phase: 'Failed',
        message:
          'one or more objects failed to apply, reason: Deployment.apps "miniflux" is invalid',
        startedAt: at(4),
        finishedAt: at(5),
        retryCount: 5,
      },
      conditions: [
        {
          type: 'SyncError',
          message: 'Failed sync attempt',
          lastTransitionTime: at(5),
        },
      ],
    });
    expect(argoVerdict(app, {})).toMatchObject({
      state: 'failed',
      message:
        'Argo CD sync failed: one or more objects failed to apply, reason: Deployment.apps "miniflux" is invalid',
    });
  });

  it('waits while OutOfSync or Progressing, and fails when Degraded', () => {
    const running = application({
      sync: { status: 'OutOfSync', revision: SHA },
      health: { status: 'Missing' },
      operationState: {
        operation,
        phase: 'Running',
        message: 'waiting for healthy state of apps/Deployment/miniflux',
        startedAt: at(4),
      },
    });
    expect(argoVerdict(running, { sha: SHA }).state).toBe('in-progress');
    const degraded = application({
      sync: { status: 'Synced', revision: SHA },
      health: {
        status: 'Degraded',
        message: 'Deployment "miniflux" exceeded its progress deadline',
        lastTransitionTime: at(9),
      },
    });
    expect(argoVerdict(degraded, { sha: SHA }).message).toBe(
      'Synced to 4f9c2d1, but health is Degraded: Deployment "miniflux" exceeded its progress deadline',
    );
  });
});

describe('routeVerdict', () => {
  const route = (conditions: any[]): KubeObject =>
    validated({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'miniflux', namespace: 'productivity' },
      spec: {
        parentRefs: [
          { name: 'external', namespace: 'kube-system', sectionName: 'https' },
        ],
        hostnames: ['feeds.home.example.org'],
      },
      status: {
        parents: [
          {
            parentRef: {
              name: 'external',
              namespace: 'kube-system',
              sectionName: 'https',
            },
            controllerName: 'io.cilium/gateway-controller',
            conditions,
          },
        ],
      },
    });

  it('names the parent and reason of a refused route', () => {
    const v = routeVerdict([
      route([
        cond(
          'Accepted',
          'False',
          'NoMatchingListenerHostname',
          'No matching listener hostname',
        ),
        cond('ResolvedRefs', 'True', 'ResolvedRefs', 'Resolved'),
      ]),
    ]);
    expect(v).toMatchObject({
      state: 'failed',
      message:
        'HTTPRoute miniflux on kube-system/external#https: Accepted=False (NoMatchingListenerHostname): No matching listener hostname',
    });
  });

  it('is done when every parent accepted it and its backends resolved', () => {
    const v = routeVerdict([
      route([
        cond('Accepted', 'True', 'Accepted', 'Accepted HTTPRoute'),
        cond(
          'ResolvedRefs',
          'True',
          'ResolvedRefs',
          'Service reference is valid',
        ),
      ]),
    ]);
    expect(v.state).toBe('done');
    expect(v.message).toBe(
      'https://feeds.home.example.org: accepted by external',
    );
  });
});
