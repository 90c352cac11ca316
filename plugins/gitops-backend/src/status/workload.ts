import type { KubeObject } from '../service/clusterAccess';
import { Verdict } from './conditions';

/** Desired and ready replicas of a Deployment, StatefulSet or DaemonSet. */
function replicas(w: KubeObject): { desired: number; ready: number } {
  if (w.kind === 'DaemonSet')
    return {
      desired: w.status?.desiredNumberScheduled ?? 0,
      ready: w.status?.numberReady ?? 0,
    };
  return {
    desired: w.spec?.replicas ?? 1,
    ready: w.status?.readyReplicas ?? 0,
  };
}

/**
 * The app's workloads and pods (labelled `backstage.io/kubernetes-id`):
 * ready when every replica is ready; failed when a pod crash-loops or cannot
 * pull its image, or a Deployment passed its progress deadline.
 */
export function workloadVerdict(
  workloads: KubeObject[],
  pods: KubeObject[],
  selector: string,
): Verdict {
  if (!workloads.length)
    return {
      state: 'pending',
      message: `No Deployment, StatefulSet or DaemonSet labelled ${selector} yet`,
      facts: [],
    };
  let desired = 0;
  let ready = 0;
  for (const w of workloads) {
    const r = replicas(w);
    desired += r.desired;
    ready += r.ready;
  }
  let restarts = 0;
  let broken: string | undefined;
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      restarts += c.restartCount ?? 0;
      const reason = c.state?.waiting?.reason as string | undefined;
      if (
        !broken &&
        reason &&
        ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull'].includes(
          reason,
        )
      )
        broken = `pod ${pod.metadata.name}: ${reason}${
          c.lastState?.terminated?.reason
            ? ` (last exit: ${c.lastState.terminated.reason}, code ${c.lastState.terminated.exitCode})`
            : ''
        }`;
    }
  }
  const facts = [
    { label: 'Ready replicas', value: `${ready}/${desired}` },
    { label: 'Restarts', value: String(restarts) },
  ];
  const names = workloads.map(w => `${w.kind} ${w.metadata.name}`).join(', ');
  const deadline = workloads
    .flatMap(w => w.status?.conditions ?? [])
    .find((c: any) => c.reason === 'ProgressDeadlineExceeded');
  if (broken || deadline)
    return {
      state: 'failed',
      message: `${names}: ${ready}/${desired} ready; ${
        broken ?? deadline.message
      }`,
      facts,
    };
  if (ready < desired)
    return {
      state: 'in-progress',
      message: `${names}: ${ready}/${desired} replicas ready`,
      facts,
    };
  return {
    state: 'done',
    message: `${names}: ${ready}/${desired} replicas ready, ${restarts} restart${
      restarts === 1 ? '' : 's'
    }`,
    facts,
  };
}
