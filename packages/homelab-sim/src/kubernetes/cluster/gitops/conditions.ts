import { iso } from '../identity';

export type Condition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
};

/** A metav1.Condition (Flux, cert-manager, Gateway API all use this shape). */
export function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  at: number,
  observedGeneration?: number,
): Condition {
  return {
    type,
    status,
    ...(observedGeneration !== undefined && { observedGeneration }),
    lastTransitionTime: iso(at),
    reason,
    message,
  };
}

/** Where a change stands: before it is applied, applied but not ready, done. */
export function phaseOf(changedAt: number, delayMs: number, now: number) {
  if (now < changedAt + delayMs / 2) return 'fetched' as const;
  if (now < changedAt + delayMs) return 'applied' as const;
  return 'ready' as const;
}

/** Flux's Git revision format: `<branch>@sha1:<40 hex>`. */
export function gitRevision(branch: string, sha: string) {
  return `${branch}@sha1:${sha}`;
}
