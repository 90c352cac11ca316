import { iso } from '../identity';
import { resourceVersion } from '../pods';
import { Topology } from '../topology';
import { phaseOf } from './conditions';
import { AppDelivery } from './GitopsEngine';

type Obj = Record<string, any>;

/**
 * The Argo CD Application the category's ApplicationSet makes for an app
 * folder (`argocd/<app>`), as the application controller reports it
 * (notes/gitops-status.md §2): sync status and revision, health, the
 * operation that synced it, and since 3.0 no per-resource health in
 * `status.resources` (`resourceHealthSource: appTree`).
 */
export function argoApplication(
  t: Topology,
  d: AppDelivery,
  now: number,
  delayMs: number,
): Obj {
  const { app, repo } = d;
  const phase = phaseOf(d.changedAt, delayMs, now);
  const repoURL = `https://git.${t.scenario.household.domain}/${repo.owner}/${repo.name}.git`;
  const source = { repoURL, path: app.folder, targetRevision: 'HEAD' };
  const destination = {
    server: 'https://kubernetes.default.svc',
    namespace: app.namespace,
  };
  const syncedSha = phase === 'fetched' ? d.previous?.sha : d.revision.sha;
  const startedAt = d.changedAt + 1_000;
  const finishedAt = d.changedAt + delayMs / 2;
  const kind = app.kind;
  const resources = [
    {
      group: '',
      version: 'v1',
      kind: 'Service',
      namespace: app.namespace,
      name: app.name,
    },
    {
      group: 'apps',
      version: 'v1',
      kind,
      namespace: app.namespace,
      name: app.name,
    },
    ...(app.hostnames.length
      ? [
          {
            group: 'gateway.networking.k8s.io',
            version: 'v1',
            kind: 'HTTPRoute',
            namespace: app.namespace,
            name: app.name,
          },
        ]
      : []),
  ];
  const failed = d.error
    ? `one or more objects failed to apply, reason: ${d.error}`
    : undefined;
  const inSync = !failed && phase !== 'fetched';
  let health: string;
  if (failed) health = 'Healthy'; // the previous version keeps running
  else if (phase === 'ready') health = 'Healthy';
  else if (d.previous) health = 'Healthy';
  else health = phase === 'fetched' ? 'Missing' : 'Progressing';
  let operationPhase = 'Succeeded';
  let operationMessage = failed ?? 'successfully synced (all tasks run)';
  if (failed) operationPhase = 'Failed';
  else if (phase === 'fetched') {
    operationPhase = 'Running';
    operationMessage = `waiting for healthy state of apps/${kind}/${app.name}`;
  }
  const operationState = {
    operation: {
      sync: {
        revision: d.revision.sha,
        prune: true,
        syncOptions: ['CreateNamespace=true'],
      },
      initiatedBy: { automated: true },
      retry: { limit: 5 },
    },
    phase: operationPhase,
    message: operationMessage,
    startedAt: iso(startedAt),
    ...(phase !== 'fetched' || failed ? { finishedAt: iso(finishedAt) } : {}),
    ...(failed && { retryCount: 5 }),
    syncResult: {
      revision: d.revision.sha,
      source,
      resources: resources.map(r => ({
        ...r,
        status: failed && r.kind === kind ? 'SyncFailed' : 'Synced',
        message:
          failed && r.kind === kind
            ? d.error
            : `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${
                r.name
              } configured`,
        hookPhase: failed && r.kind === kind ? 'Failed' : 'Succeeded',
        syncPhase: 'Sync',
      })),
    },
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: app.name,
      namespace: 'argocd',
      uid: t.id.uid(`Application:${app.name}`),
      resourceVersion: resourceVersion(
        t,
        Math.min(now, d.changedAt + delayMs),
        t.id.unit(`rv:app:${app.name}`),
      ),
      generation: d.version + 2,
      creationTimestamp: iso(d.createdAt),
      labels: { 'app.kubernetes.io/part-of': app.namespace },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: app.namespace,
      source,
      destination,
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    },
    status: {
      sync: {
        status: inSync ? 'Synced' : 'OutOfSync',
        comparedTo: { source, destination },
        revision: d.revision.sha,
      },
      health: {
        status: health,
        lastTransitionTime: iso(
          health === 'Healthy' && !d.previous
            ? d.changedAt + delayMs
            : d.changedAt,
        ),
      },
      resourceHealthSource: 'appTree',
      resources: resources.map(r => ({
        ...r,
        status: inSync ? 'Synced' : 'OutOfSync',
      })),
      operationState,
      ...(failed && {
        conditions: [
          {
            type: 'SyncError',
            message: `Failed sync attempt to ${d.revision.sha}: ${failed} (retried 5 times).`,
            lastTransitionTime: iso(finishedAt),
          },
        ],
      }),
      reconciledAt: iso(
        Math.max(d.changedAt, now - ((now / 1000) % 180) * 1000),
      ),
      ...(syncedSha && {
        history: [
          {
            id: d.version,
            revision: syncedSha,
            deployedAt: iso(phase === 'fetched' ? d.changedAt - 1 : finishedAt),
            deployStartedAt: iso(
              phase === 'fetched' ? d.changedAt - 1 : startedAt,
            ),
            source,
            initiatedBy: { automated: true },
          },
        ],
      }),
      summary: {
        images: app.images,
        externalURLs: app.hostnames.map(h => `https://${h}`),
      },
      sourceType: 'Kustomize',
    },
  };
}
