import type { KubeObject } from '../service/clusterAccess';
import {
  conditionOf,
  kstatus,
  revisionHash,
  short,
  Verdict,
} from './conditions';

/** The merge whose delivery is followed, if there is one. */
export type Merge = { sha?: string; at?: string };

/**
 * Where Flux stands with an app: its Kustomization applied the merged
 * revision (or a later one), then its HelmRelease installed or upgraded.
 * notes/gitops-status.md §1: a merge M counts as applied when the
 * Kustomization is Ready at M, or became Ready on a revision after M was
 * merged (Flux applies the branch head, so M itself may be skipped).
 */
export function fluxVerdict(
  ks: KubeObject | undefined,
  hr: KubeObject | undefined,
  merge: Merge,
): Verdict {
  if (!ks)
    return {
      state: 'pending',
      message: 'No Flux Kustomization for the app yet: Flux has not fetched it',
      facts: [],
    };
  const ksName = `Kustomization ${ks.metadata.namespace}/${ks.metadata.name}`;
  const ready = conditionOf(ks, 'Ready');
  const applied = ks.status?.lastAppliedRevision as string | undefined;
  const attempted = ks.status?.lastAttemptedRevision as string | undefined;
  const facts = [
    ...(applied ? [{ label: 'Applied revision', value: applied }] : []),
    ...(attempted && attempted !== applied
      ? [{ label: 'Attempted revision', value: attempted }]
      : []),
  ];
  const status = kstatus(ks);
  if (status === 'Failed' || ready?.status === 'False')
    return {
      state: 'failed',
      message: `${ksName} failed: ${ready?.reason ?? 'Stalled'}: ${
        ready?.message ?? conditionOf(ks, 'Stalled')?.message ?? ''
      }`,
      at: ready?.lastTransitionTime,
      facts,
    };
  if (status === 'InProgress')
    return {
      state: 'in-progress',
      message: `Flux is applying ${short(revisionHash(attempted))}: ${
        conditionOf(ks, 'Reconciling')?.message ??
        ready?.message ??
        'reconciliation in progress'
      }`,
      at: ready?.lastTransitionTime,
      facts,
    };
  const appliedHash = revisionHash(applied);
  const caughtUp =
    !merge.sha ||
    appliedHash === merge.sha ||
    (merge.at !== undefined &&
      ready?.lastTransitionTime !== undefined &&
      Date.parse(ready.lastTransitionTime) >= Date.parse(merge.at));
  if (!caughtUp)
    return {
      state: 'in-progress',
      message: `Waiting for Flux to fetch the merge ${short(
        merge.sha,
      )} (it applies ${short(appliedHash)})`,
      facts,
    };
  if (!hr)
    return {
      state: 'in-progress',
      message: `${ksName} applied ${short(
        appliedHash,
      )}; waiting for its HelmRelease`,
      at: ready?.lastTransitionTime,
      facts,
    };
  return helmReleaseVerdict(hr, facts);
}

function helmReleaseVerdict(hr: KubeObject, facts: Verdict['facts']): Verdict {
  const ready = conditionOf(hr, 'Ready');
  const released = conditionOf(hr, 'Released');
  const stalled = conditionOf(hr, 'Stalled');
  const action = (hr.status?.lastAttemptedReleaseAction as string) ?? 'install';
  const history = hr.status?.history?.[0];
  const all = [
    ...facts,
    ...(history
      ? [
          {
            label: 'Release',
            value: `v${history.version} (${history.chartName}@${history.chartVersion})`,
          },
        ]
      : []),
  ];
  if (kstatus(hr) === 'Failed' || ready?.status === 'False') {
    // Ready copies Remediated after a rollback; the Released condition keeps
    // the error that caused it.
    const cause =
      released?.status === 'False' ? released.message : ready?.message;
    return {
      state: 'failed',
      message: `HelmRelease ${action} failed: ${cause ?? ready?.reason ?? ''}${
        stalled?.status === 'True'
          ? ` (${stalled.message}; Flux stopped retrying)`
          : ''
      }`,
      at: released?.lastTransitionTime ?? ready?.lastTransitionTime,
      facts: all,
    };
  }
  if (kstatus(hr) === 'InProgress')
    return {
      state: 'in-progress',
      message: `HelmRelease ${hr.metadata.name}: ${
        ready?.message ?? `${action} in progress`
      }`,
      at: ready?.lastTransitionTime,
      facts: all,
    };
  return {
    state: 'done',
    message: ready?.message ?? `HelmRelease ${hr.metadata.name} is ready`,
    at: ready?.lastTransitionTime,
    facts: all,
  };
}
