import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  AppDelivery,
  DeliveryStep,
  gitopsAppName,
  StepState,
} from '@homelab-portal/plugin-gitops-common';
import { argoVerdict } from '../status/argo';
import { Verdict } from '../status/conditions';
import { fluxVerdict, Merge } from '../status/flux';
import { routeVerdict } from '../status/route';
import { workloadVerdict } from '../status/workload';
import { KubeObject } from './clusterAccess';
import { appOfPath } from './repositories';
import { RepoPulls, Snapshot } from './Snapshot';

const labelled = (objects: KubeObject[], app: string) =>
  objects.filter(o => o.metadata.labels?.[ANNOTATION_KUBERNETES_ID] === app);

function step(
  id: DeliveryStep['id'],
  title: string,
  v: Verdict,
  links: DeliveryStep['links'] = [],
): DeliveryStep {
  return { id, title, ...v, links };
}

/** The apps a repository declares, as its engine reports them in the cluster. */
function appsOf(
  s: Snapshot,
  repo: RepoPulls,
): { name: string; namespace?: string }[] {
  if (repo.reader.repo.engine === 'flux')
    return s.cluster.kustomizations
      .filter(k => k.metadata.namespace !== 'flux-system')
      .map(k => ({ name: k.metadata.name, namespace: k.metadata.namespace }));
  return s.cluster.applications.map(a => ({
    name: a.metadata.name,
    namespace: a.spec?.destination?.namespace,
  }));
}

/** The pull request a delivery follows: your open change, else the last merge. */
function followedPull(repo: RepoPulls, app: string) {
  const touching = repo.pulls
    .filter(p => p.files.some(f => appOfPath(repo.reader.repo, f) === app))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    touching.find(p => p.state === 'open' && !p.head.startsWith('renovate/')) ??
    touching.find(p => p.merged)
  );
}

/**
 * One app's way from pull request to running, per repository that declares
 * it: the pull request (forge), the engine's reconciliation (Flux
 * Kustomization + HelmRelease, or the Argo CD Application), the workload
 * (ready replicas, restarts) and the route (per-parent conditions). Later
 * steps wait while an earlier one is not done.
 */
export function deliveryOf(
  s: Snapshot,
  repo: RepoPulls,
  app: string,
  namespace?: string,
): AppDelivery {
  const r = repo.reader.repo;
  const pull = followedPull(repo, app);
  const merge: Merge = pull?.merged
    ? { sha: pull.mergeSha, at: pull.mergedAt }
    : {};
  let prStep: DeliveryStep;
  if (!pull)
    prStep = step('pull-request', 'Pull request', {
      state: 'done',
      message: `No recent pull request touched ${app} in ${r.name}`,
      facts: [],
    });
  else
    prStep = step(
      'pull-request',
      'Pull request',
      pull.merged
        ? {
            state: 'done',
            message: `#${pull.number} merged: ${pull.title}`,
            at: pull.mergedAt,
            facts: [
              {
                label: 'Merge commit',
                value: (pull.mergeSha ?? '').slice(0, 7),
              },
            ],
          }
        : {
            state: 'in-progress',
            message: `#${pull.number} is waiting to be merged: ${pull.title}`,
            at: pull.createdAt,
            facts: [],
          },
      [{ title: `${r.name}#${pull.number}`, url: pull.url }],
    );
  const ns = namespace ?? '';
  const engine =
    r.engine === 'flux'
      ? fluxVerdict(
          s.cluster.kustomizations.find(
            k => k.metadata.name === app && k.metadata.namespace === ns,
          ),
          s.cluster.helmreleases.find(
            h => h.metadata.name === app && h.metadata.namespace === ns,
          ),
          merge,
        )
      : argoVerdict(
          s.cluster.applications.find(a => a.metadata.name === app),
          merge,
        );
  const reconcile = step(
    'reconcile',
    r.engine === 'flux' ? 'Flux' : 'Argo CD',
    pull && !pull.merged
      ? { state: 'pending', message: 'Waiting for the merge', facts: [] }
      : engine,
    [
      {
        title: `${r.name}: ${app}`,
        url: repo.reader.folderUrl(`${r.appsPath}/${ns}/${app}`),
      },
    ],
  );
  const workloads = labelled(
    [
      ...s.cluster.deployments,
      ...s.cluster.statefulsets,
      ...s.cluster.daemonsets,
    ].map(w => w),
    app,
  );
  const workload = step(
    'workload',
    'Workload',
    workloadVerdict(
      workloads,
      labelled(s.cluster.pods, app),
      `${ANNOTATION_KUBERNETES_ID}=${app}`,
    ),
  );
  const routes = labelled(s.cluster.httproutes, app);
  const route = step(
    'route',
    'Route',
    routeVerdict(routes),
    routes.flatMap(x =>
      (x.spec?.hostnames ?? []).map((h: string) => ({
        title: h,
        url: `https://${h}`,
      })),
    ),
  );
  const steps = [prStep, reconcile, workload, route];
  // A later step cannot be done before an earlier one is: it waits.
  let blocked = false;
  for (const st of steps) {
    if (
      blocked &&
      st.state !== 'failed' &&
      st.id !== 'route' &&
      st.id !== 'workload'
    )
      st.state = 'pending';
    if (
      st.state === 'pending' ||
      (st.state === 'in-progress' && st.id === 'pull-request')
    )
      blocked = true;
  }
  const failing = steps.find(x => x.state === 'failed');
  let state: StepState = 'done';
  if (failing) state = 'failed';
  else if (steps.some(x => x.state === 'in-progress')) state = 'in-progress';
  else if (steps.some(x => x.state === 'pending')) state = 'pending';
  const entity = s.entities.find(e => gitopsAppName(e) === app);
  return {
    app,
    namespace,
    entityRef: entity ? stringifyEntityRef(entity) : undefined,
    repository: r.name,
    engine: r.engine,
    steps,
    failingStep: failing?.id,
    state,
  };
}

/** Every app of every repository (an app in two repositories is listed twice). */
export function allDeliveries(s: Snapshot): AppDelivery[] {
  return s.repos
    .flatMap(repo =>
      appsOf(s, repo).map(a => deliveryOf(s, repo, a.name, a.namespace)),
    )
    .sort(
      (a, b) =>
        a.app.localeCompare(b.app) ||
        (a.repository ?? '').localeCompare(b.repository ?? ''),
    );
}

/**
 * The deliveries of one app: from every repository that declares it, or,
 * while its pull request is still open, from the repository it targets.
 */
export function deliveriesOf(s: Snapshot, app: string): AppDelivery[] {
  const out: AppDelivery[] = [];
  for (const repo of s.repos) {
    const declared = appsOf(s, repo).find(a => a.name === app);
    const pull = followedPull(repo, app);
    if (!declared && !pull) continue;
    const namespace =
      declared?.namespace ??
      pull?.files
        .map(f => f.slice(repo.reader.repo.appsPath.length + 1).split('/'))
        .find(p => p[1] === app)?.[0];
    out.push(deliveryOf(s, repo, app, namespace));
  }
  return out;
}
