import { createHash } from 'node:crypto';
import { iso } from '../identity';
import { resourceVersion } from '../pods';
import { Topology } from '../topology';
import { Condition, condition, gitRevision, phaseOf } from './conditions';
import { AppDelivery, Revision, RepoSpec } from './GitopsEngine';

type Obj = Record<string, any>;

const KS = 'kustomize.toolkit.fluxcd.io';
const HR = 'helm.toolkit.fluxcd.io';
const SOURCE = 'source.toolkit.fluxcd.io';

const sha256 = (s: string) =>
  `sha256:${createHash('sha256').update(s).digest('hex')}`;

function meta(
  t: Topology,
  kind: string,
  name: string,
  namespace: string,
  createdAt: number,
  changedAt: number,
  generation: number,
  labels?: Record<string, string>,
) {
  return {
    name,
    namespace,
    uid: t.id.uid(`${kind}:${namespace}/${name}`),
    resourceVersion: resourceVersion(
      t,
      changedAt,
      t.id.unit(`rv:${kind}:${name}`),
    ),
    generation,
    creationTimestamp: iso(createdAt),
    ...(labels && { labels }),
    finalizers: ['finalizers.fluxcd.io'],
  };
}

/** The household's GitRepository `flux-system`, as source-controller reports it. */
export function gitRepository(
  t: Topology,
  repo: RepoSpec,
  revision: Revision,
  firstFetchedAt: number,
): Obj {
  const rev = gitRevision(repo.defaultBranch, revision.sha);
  const stored = `stored artifact for revision '${rev}'`;
  const at = revision.fetchedAt;
  return {
    apiVersion: `${SOURCE}/v1`,
    kind: 'GitRepository',
    metadata: meta(
      t,
      'GitRepository',
      'flux-system',
      'flux-system',
      firstFetchedAt,
      at,
      1,
    ),
    spec: {
      interval: '1m0s',
      ref: { branch: repo.defaultBranch },
      secretRef: { name: 'flux-system' },
      timeout: '60s',
      url: `ssh://git@git.${t.scenario.household.domain}/${repo.owner}/${repo.name}.git`,
    },
    status: {
      observedGeneration: 1,
      artifact: {
        digest: sha256(revision.sha),
        lastUpdateTime: iso(at),
        path: `gitrepository/flux-system/flux-system/${revision.sha}.tar.gz`,
        revision: rev,
        size: 48_000 + Math.round(t.id.unit(`size:${revision.sha}`) * 4000),
        url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/${revision.sha}.tar.gz`,
      },
      conditions: [
        condition('Ready', 'True', 'Succeeded', stored, at, 1),
        condition('ArtifactInStorage', 'True', 'Succeeded', stored, at, 1),
      ],
    },
  };
}

/** The Flux Kustomization of an app (`<ns>/<app>`, from its ks.yaml). */
export function appKustomization(
  t: Topology,
  d: AppDelivery,
  now: number,
  delayMs: number,
): Obj {
  const { app, repo } = d;
  const applied = phaseOf(d.changedAt, delayMs, now) !== 'fetched';
  const appliedSha = applied ? d.revision.sha : d.previous?.sha;
  const attempted = gitRevision(repo.defaultBranch, d.revision.sha);
  const appliedRevision = appliedSha
    ? gitRevision(repo.defaultBranch, appliedSha)
    : undefined;
  const settledAt = applied ? d.changedAt + delayMs / 2 : d.changedAt;
  const conditions = applied
    ? [
        condition(
          'Ready',
          'True',
          'ReconciliationSucceeded',
          `Applied revision: ${appliedRevision}`,
          settledAt,
          1,
        ),
      ]
    : [
        condition(
          'Reconciling',
          'True',
          'Progressing',
          `Building manifests for revision ${attempted} with a timeout of 5m0s`,
          d.changedAt,
          1,
        ),
        condition(
          'Ready',
          'Unknown',
          'Progressing',
          'Reconciliation in progress',
          d.changedAt,
          1,
        ),
      ];
  return {
    apiVersion: `${KS}/v1`,
    kind: 'Kustomization',
    metadata: meta(
      t,
      'Kustomization',
      app.name,
      app.namespace,
      d.createdAt,
      settledAt,
      1,
      { 'kustomize.toolkit.fluxcd.io/name': 'cluster-apps' },
    ),
    spec: {
      commonMetadata: { labels: { 'app.kubernetes.io/name': app.name } },
      interval: '1h',
      path: `./${app.folder}/app`,
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'flux-system',
        namespace: 'flux-system',
      },
      targetNamespace: app.namespace,
      timeout: '5m',
      wait: false,
    },
    status: {
      // A new app's first reconciliation has not completed: nothing observed yet.
      ...(appliedSha && { observedGeneration: 1 }),
      conditions,
      lastAttemptedRevision: attempted,
      ...(appliedRevision && {
        lastAppliedRevision: appliedRevision,
        inventory: {
          entries: [
            { id: `${app.namespace}_${app.name}_${HR}_HelmRelease`, v: 'v2' },
            {
              id: `${app.namespace}_${app.name}_${SOURCE}_OCIRepository`,
              v: 'v1',
            },
          ],
        },
        history: [
          {
            digest: sha256(`${app.name}:${appliedSha}`),
            firstReconciled: iso(settledAt),
            lastReconciled: iso(settledAt),
            lastReconciledDuration: '1.204s',
            lastReconciledStatus: 'ReconciliationSucceeded',
            totalReconciliations: 1,
            metadata: { revision: appliedRevision },
          },
        ],
      }),
    },
  };
}

/** The app-template chart source of an app (`<ns>/<app>`). */
export function appOciRepository(
  t: Topology,
  d: AppDelivery,
  delayMs: number,
): Obj {
  const { app } = d;
  const version = app.chart?.version ?? '';
  const createdAt = d.createdAt + delayMs / 2;
  const rev = `${version}@${sha256(`app-template:${version}`)}`;
  return {
    apiVersion: `${SOURCE}/v1`,
    kind: 'OCIRepository',
    metadata: meta(
      t,
      'OCIRepository',
      app.name,
      app.namespace,
      createdAt,
      createdAt,
      1,
    ),
    spec: {
      interval: '15m',
      layerSelector: {
        mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        operation: 'copy',
      },
      ref: { tag: version },
      url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
    },
    status: {
      observedGeneration: 1,
      url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
      artifact: {
        digest: sha256(`artifact:${version}`),
        lastUpdateTime: iso(createdAt),
        path: `ocirepository/${app.namespace}/${app.name}/${version}.tar.gz`,
        revision: rev,
        size: 21_000,
        url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${app.namespace}/${app.name}/${version}.tar.gz`,
      },
      conditions: [
        condition(
          'Ready',
          'True',
          'Succeeded',
          `stored artifact for digest '${rev}'`,
          createdAt,
          1,
        ),
        condition(
          'ArtifactInStorage',
          'True',
          'Succeeded',
          `stored artifact for digest '${rev}'`,
          createdAt,
          1,
        ),
      ],
    },
  };
}

/**
 * The HelmRelease of an app, as helm-controller reports it
 * (notes/gitops-status.md §1): Ready/Released on success; Reconciling while
 * it installs or upgrades; after failed upgrades, rolled back and stalled
 * (Remediated wins the Ready summary, so Ready is False).
 */
export function appHelmRelease(
  t: Topology,
  d: AppDelivery,
  now: number,
  delayMs: number,
): Obj | undefined {
  const { app } = d;
  if (now < d.createdAt + delayMs / 2) return undefined;
  const phase = phaseOf(d.changedAt, delayMs, now);
  const action =
    d.changedAt === d.createdAt && !d.seeded ? 'install' : 'upgrade';
  const chart = `${app.chart?.name ?? 'app-template'}@${app.chart?.version}`;
  const release = `${app.namespace}/${app.name}`;
  const generation = d.version;
  const doneAt = d.changedAt + delayMs;
  const configDigest = sha256(`values:${app.digest}`);
  const conditions: Condition[] = [];
  const status: Obj = {
    storageNamespace: app.namespace,
    lastAttemptedReleaseAction: action,
    lastAttemptedRevision: app.chart?.version,
    lastAttemptedConfigDigest: configDigest,
  };
  let version = d.version;
  if (d.error) {
    // The last upgrade failed four times (1 + upgrade.remediation.retries 3)
    // and was rolled back to the previous release.
    const prior = `${release}.v${version - 1}`;
    const failed = `Helm upgrade failed for release ${release} with chart ${chart}: ${d.error}`;
    const rolledBack = `Helm rollback to previous release ${prior} with chart ${chart} succeeded`;
    const at = d.changedAt + delayMs;
    conditions.push(
      condition(
        'Stalled',
        'True',
        'RetriesExceeded',
        'Failed to upgrade after 4 attempt(s)',
        at,
        generation,
      ),
      condition(
        'Ready',
        'False',
        'RollbackSucceeded',
        rolledBack,
        at,
        generation,
      ),
      condition(
        'Released',
        'False',
        'UpgradeFailed',
        failed,
        at - 60_000,
        generation,
      ),
      condition(
        'Remediated',
        'True',
        'RollbackSucceeded',
        rolledBack,
        at,
        generation,
      ),
    );
    Object.assign(status, {
      observedGeneration: generation,
      lastAttemptedGeneration: generation,
      failures: 4,
      upgradeFailures: 4,
    });
    version += 1;
  } else if (phase !== 'ready') {
    const running = `Running '${action}' action with timeout of 5m0s`;
    conditions.push(
      condition(
        'Reconciling',
        'True',
        'Progressing',
        running,
        d.changedAt + delayMs / 2,
        generation,
      ),
      condition(
        'Ready',
        'Unknown',
        'Progressing',
        running,
        d.changedAt + delayMs / 2,
        generation,
      ),
    );
    Object.assign(status, {
      ...(generation > 1 && { observedGeneration: generation - 1 }),
      lastAttemptedGeneration: generation,
    });
    if (action === 'install') return withStatus();
    version -= 1;
  } else {
    const reason =
      action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded';
    const message = `Helm ${action} succeeded for release ${release}.v${version} with chart ${chart}`;
    conditions.push(
      condition('Ready', 'True', reason, message, doneAt, generation),
      condition('Released', 'True', reason, message, doneAt, generation),
    );
    Object.assign(status, {
      observedGeneration: generation,
      lastAttemptedGeneration: generation,
    });
  }
  const deployedAt = Math.min(now, d.error ? doneAt : d.changedAt + delayMs);
  status.history = [
    {
      name: app.name,
      namespace: app.namespace,
      version,
      status: 'deployed',
      chartName: app.chart?.name ?? 'app-template',
      chartVersion: app.chart?.version,
      appVersion: (app.images[0] ?? '').split(':').pop(),
      configDigest,
      digest: sha256(`release:${release}:${version}`),
      firstDeployed: iso(d.createdAt + delayMs),
      lastDeployed: iso(deployedAt),
    },
  ];
  return withStatus();

  function withStatus() {
    return {
      apiVersion: `${HR}/v2`,
      kind: 'HelmRelease',
      metadata: meta(
        t,
        'HelmRelease',
        app.name,
        app.namespace,
        d.createdAt + delayMs / 2,
        Math.min(now, doneAt),
        generation,
        {
          'app.kubernetes.io/name': app.name,
          'kustomize.toolkit.fluxcd.io/name': app.name,
          'kustomize.toolkit.fluxcd.io/namespace': app.namespace,
        },
      ),
      spec: {
        chartRef: { kind: 'OCIRepository', name: app.name },
        interval: '1h',
        install: { remediation: { retries: -1 } },
        upgrade: { cleanupOnFail: true, remediation: { retries: 3 } },
      },
      status: { ...status, conditions },
    };
  }
}

/** The root Kustomization `flux-system/cluster-apps` over the apps folder. */
export function clusterApps(
  t: Topology,
  repo: RepoSpec,
  revision: Revision,
  firstFetchedAt: number,
): Obj {
  const rev = gitRevision(repo.defaultBranch, revision.sha);
  const at = revision.fetchedAt + 2_000;
  return {
    apiVersion: `${KS}/v1`,
    kind: 'Kustomization',
    metadata: meta(
      t,
      'Kustomization',
      'cluster-apps',
      'flux-system',
      firstFetchedAt,
      at,
      1,
    ),
    spec: {
      interval: '1h',
      path: './kubernetes/apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
    status: {
      observedGeneration: 1,
      conditions: [
        condition(
          'Ready',
          'True',
          'ReconciliationSucceeded',
          `Applied revision: ${rev}`,
          at,
          1,
        ),
      ],
      lastAppliedRevision: rev,
      lastAttemptedRevision: rev,
      inventory: {
        entries: [...revision.apps.values()].map(a => ({
          id: `${a.namespace}_${a.name}_${KS}_Kustomization`,
          v: 'v1',
        })),
      },
    },
  };
}
