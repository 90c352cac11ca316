import type { StepState } from '@homelab-portal/plugin-gitops-common';
import type { KubeObject } from '../service/clusterAccess';

export type Condition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
};

export function conditionOf(
  o: KubeObject | undefined,
  type: string,
): Condition | undefined {
  return (o?.status?.conditions as Condition[] | undefined)?.find(
    c => c.type === type,
  );
}

/** What a step reports about one object. */
export type Verdict = {
  state: StepState;
  message: string;
  at?: string;
  facts: { label: string; value: string }[];
};

/**
 * kstatus (kubernetes-sigs/cli-utils, notes/gitops-status.md §1) for objects
 * with conditions: a newer generation not yet observed, or Reconciling=True,
 * is in progress; Stalled=True has failed; then Ready decides, and Ready
 * False is still in progress unless the controller says it stalled.
 */
export function kstatus(o: KubeObject): 'InProgress' | 'Failed' | 'Current' {
  const observed = o.status?.observedGeneration;
  if (observed !== undefined && observed !== o.metadata.generation)
    return 'InProgress';
  if (conditionOf(o, 'Reconciling')?.status === 'True') return 'InProgress';
  if (conditionOf(o, 'Stalled')?.status === 'True') return 'Failed';
  const ready = conditionOf(o, 'Ready');
  if (!ready || ready.status === 'True') return 'Current';
  return 'InProgress';
}

/** `main@sha1:<hex>` / `sha1:<hex>` / a bare SHA → the hash (text after the last `:`). */
export function revisionHash(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  const hash = revision.slice(revision.lastIndexOf(':') + 1);
  return /^[0-9a-f]{7,64}$/.test(hash) ? hash : undefined;
}

export const short = (sha: string | undefined) => (sha ?? '').slice(0, 7);
