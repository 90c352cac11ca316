import type { KubeObject } from '../service/clusterAccess';
import { short, Verdict } from './conditions';
import { Merge } from './flux';

const ERROR_CONDITIONS = [
  'InvalidSpecError',
  'ComparisonError',
  'SyncError',
  'UnknownError',
  'DeletionError',
];

/**
 * Where Argo CD stands with an app (notes/gitops-status.md §2): a failed sync
 * operation or an error condition fails; OutOfSync or a running operation is
 * in progress; Synced at the merge (or reconciled after it) and Healthy is
 * done. Health below Healthy fails when Degraded, waits otherwise.
 */
export function argoVerdict(
  app: KubeObject | undefined,
  merge: Merge,
): Verdict {
  if (!app)
    return {
      state: 'pending',
      message: 'No Argo CD Application for the app yet',
      facts: [],
    };
  const s = app.status ?? {};
  const op = s.operationState;
  const revision = s.sync?.revision as string | undefined;
  const facts = [
    {
      label: 'Sync',
      value: `${s.sync?.status ?? 'Unknown'} at ${short(revision)}`,
    },
    { label: 'Health', value: s.health?.status ?? 'Unknown' },
  ];
  const error = (s.conditions ?? []).find((c: any) =>
    ERROR_CONDITIONS.includes(c.type),
  );
  if (op && ['Failed', 'Error'].includes(op.phase))
    return {
      state: 'failed',
      message: `Argo CD sync failed: ${op.message}`,
      at: op.finishedAt,
      facts,
    };
  if (error)
    return {
      state: 'failed',
      message: `Argo CD ${error.type}: ${error.message}`,
      at: error.lastTransitionTime,
      facts,
    };
  if (s.sync?.status !== 'Synced' || op?.phase === 'Running')
    return {
      state: 'in-progress',
      message: `Argo CD is syncing ${short(revision)}${
        op?.message ? `: ${op.message}` : ''
      }`,
      at: op?.startedAt,
      facts,
    };
  const caughtUp =
    !merge.sha ||
    revision === merge.sha ||
    (merge.at !== undefined &&
      s.reconciledAt !== undefined &&
      Date.parse(s.reconciledAt) >= Date.parse(merge.at) &&
      (!op?.finishedAt || Date.parse(op.finishedAt) >= Date.parse(merge.at)));
  if (!caughtUp)
    return {
      state: 'in-progress',
      message: `Waiting for Argo CD to fetch the merge ${short(merge.sha)}`,
      facts,
    };
  const health = s.health?.status as string | undefined;
  if (health === 'Degraded')
    return {
      state: 'failed',
      message: `Synced to ${short(revision)}, but health is Degraded${
        s.health?.message ? `: ${s.health.message}` : ''
      }`,
      at: s.health?.lastTransitionTime,
      facts,
    };
  if (health !== 'Healthy')
    return {
      state: 'in-progress',
      message: `Synced to ${short(revision)}; health is ${health ?? 'Unknown'}`,
      at: s.health?.lastTransitionTime,
      facts,
    };
  return {
    state: 'done',
    message: `Synced to ${short(revision)} and Healthy`,
    at: op?.finishedAt ?? s.health?.lastTransitionTime,
    facts,
  };
}
