/**
 * The kubelet's restart back-off for a container that keeps exiting: the
 * first restart waits 10 s, each next one twice as long, capped at 5 min
 * (kubelet `backOffPeriod`/`MaxContainerBackOff`). Given when the first run
 * started and how long each run lasts before it exits, this says where the
 * container is at any moment: running (run `restartCount`) or waiting in
 * CrashLoopBackOff after run `restartCount` failed.
 */
export const INITIAL_BACKOFF_S = 10;
export const MAX_BACKOFF_S = 300;

export type CrashLoopState = {
  /** `containerStatuses[].restartCount`. */
  restartCount: number;
  /** The current run, when the container is up at this moment. */
  running?: { startedAt: number };
  /** The back-off in effect while waiting, seconds. */
  backoffSeconds?: number;
  /** The last run that exited (lastState.terminated, or state.terminated). */
  lastTerminated?: { startedAt: number; finishedAt: number };
  /** When the current back-off ends and the next run starts. */
  nextStartAt?: number;
};

export function backoffAfter(run: number): number {
  return Math.min(INITIAL_BACKOFF_S * 2 ** run, MAX_BACKOFF_S);
}

/** Start time (ms) of run `i` (0 = first start). */
export function runStart(firstStart: number, runMs: number, i: number): number {
  let t = firstStart;
  for (let k = 0; k < i; k++) t += runMs + backoffAfter(k) * 1000;
  return t;
}

export function crashLoopAt(
  firstStart: number,
  runMs: number,
  now: number,
): CrashLoopState {
  if (now < firstStart) return { restartCount: 0 };
  // Runs until the back-off reaches its cap; after that, a fixed period.
  let i = 0;
  let t = firstStart;
  while (backoffAfter(i) < MAX_BACKOFF_S) {
    const next = t + runMs + backoffAfter(i) * 1000;
    if (next > now) break;
    t = next;
    i++;
  }
  if (backoffAfter(i) >= MAX_BACKOFF_S) {
    const period = runMs + MAX_BACKOFF_S * 1000;
    const more = Math.floor((now - t) / period);
    i += more;
    t += more * period;
  }
  const previous =
    i > 0
      ? {
          startedAt: t - backoffAfter(i - 1) * 1000 - runMs,
          finishedAt: t - backoffAfter(i - 1) * 1000,
        }
      : undefined;
  if (now < t + runMs) {
    return {
      restartCount: i,
      running: { startedAt: t },
      lastTerminated: previous,
    };
  }
  return {
    restartCount: i,
    backoffSeconds: backoffAfter(i),
    lastTerminated: { startedAt: t, finishedAt: t + runMs },
    nextStartAt: t + runMs + backoffAfter(i) * 1000,
  };
}
