import { HOUR, iso } from './identity';
import { containerState, resourceVersion } from './pods';
import { PodPlan, Topology } from './topology';

type Obj = Record<string, any>;

/** kube-apiserver `--event-ttl` default: events not updated for an hour are gone. */
const EVENT_TTL = HOUR;

/**
 * core/v1 Events the kubelet records for pods that are not well: a
 * crash-looping container keeps updating BackOff/Pulled/Created/Started,
 * a failing pull keeps updating Failed/BackOff. Healthy pods started long
 * ago have no events left.
 */
export function podEvents(
  t: Topology,
  p: PodPlan,
  pod: Obj,
  now: number,
): Obj[] {
  const w = p.workload;
  const state = containerState(t, p, now);
  const host = p.node?.name;
  const involved = {
    kind: 'Pod',
    namespace: p.namespace,
    name: p.name,
    uid: pod.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pod.metadata.resourceVersion,
    fieldPath: `spec.containers{${w.name}}`,
  };
  const event = (
    reason: string,
    type: 'Normal' | 'Warning',
    message: string,
    first: number,
    last: number,
    count: number,
    component = 'kubelet',
  ) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${p.name}.${t.id.hex(`event:${p.key}:${reason}`, 16)}`,
      namespace: p.namespace,
      uid: t.id.uid(`event:${p.key}:${reason}`),
      resourceVersion: resourceVersion(t, last, 0.99),
      creationTimestamp: iso(first),
    },
    involvedObject: involved,
    reason,
    message,
    source: { component, ...(host && { host }) },
    firstTimestamp: iso(first),
    lastTimestamp: iso(last),
    count,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: component === 'kubelet' ? host ?? '' : '',
  });
  const out: Obj[] = [];
  if (state.kind === 'crashloop' && state.restartCount > 0) {
    const lastStart =
      state.running?.startedAt ?? state.lastTerminated!.startedAt;
    const firstCrash = state.firstStart + 3_000;
    out.push(
      event(
        'Pulled',
        'Normal',
        `Container image "${w.image}" already present on machine`,
        state.firstStart - 1_000,
        lastStart - 500,
        state.restartCount + 1,
      ),
      event(
        'Created',
        'Normal',
        `Created container: ${w.name}`,
        state.firstStart - 200,
        lastStart - 100,
        state.restartCount + 1,
      ),
      event(
        'Started',
        'Normal',
        `Started container ${w.name}`,
        state.firstStart,
        lastStart,
        state.restartCount + 1,
      ),
      event(
        'BackOff',
        'Warning',
        `Back-off restarting failed container ${w.name} in pod ${p.name}_${p.namespace}(${pod.metadata.uid})`,
        firstCrash,
        state.running ? lastStart - 1_000 : now - ((now - firstCrash) % 10_000),
        Math.max(1, Math.floor((now - firstCrash) / 10_000)),
      ),
    );
  } else if (state.kind === 'image-pull') {
    const since = p.createdAt + 2_000;
    const pulls = Math.max(1, Math.floor((now - since) / 300_000));
    out.push(
      event(
        'Pulling',
        'Normal',
        `Pulling image "${w.image}"`,
        since,
        since + (pulls - 1) * 300_000,
        pulls,
      ),
      event(
        'Failed',
        'Warning',
        `Failed to pull image "${w.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${w.image}": failed to resolve reference "${w.image}": ${w.image}: not found`,
        since + 1_000,
        since + (pulls - 1) * 300_000 + 1_000,
        pulls,
      ),
      event(
        'Failed',
        'Warning',
        'Error: ErrImagePull',
        since + 1_000,
        since + (pulls - 1) * 300_000 + 1_000,
        pulls,
      ),
      event(
        'BackOff',
        'Normal',
        `Back-off pulling image "${w.image}"`,
        since + 2_000,
        now - ((now - since) % 10_000),
        Math.max(1, Math.floor((now - since) / 10_000)),
      ),
      event(
        'Failed',
        'Warning',
        'Error: ImagePullBackOff',
        since + 2_000,
        now - ((now - since) % 10_000),
        Math.max(1, Math.floor((now - since) / 10_000)),
      ),
    );
    // Two "Failed" events differ by message; give them distinct names.
    out.forEach((e, i) => {
      e.metadata.name = `${p.name}.${t.id.hex(`event:${p.key}:${i}`, 16)}`;
      e.metadata.uid = t.id.uid(`event:${p.key}:${i}`);
    });
  } else if (state.kind === 'pending') {
    const since = p.createdAt;
    out.push(
      event(
        'FailedScheduling',
        'Warning',
        '0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
        since,
        now - ((now - since) % 300_000),
        Math.max(1, Math.floor((now - since) / 300_000)),
        'default-scheduler',
      ),
    );
  }
  return out.filter(e => Date.parse(e.lastTimestamp) > now - EVENT_TTL);
}
