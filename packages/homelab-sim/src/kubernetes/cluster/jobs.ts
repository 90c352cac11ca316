import { parseCron, previousRuns } from './cron';
import { iso } from './identity';
import {
  containerSpec,
  imageID,
  podSpecDefaults,
  resourceVersion,
} from './pods';
import { Topology, WorkloadPlan } from './topology';

type Obj = Record<string, any>;

/** How long one run takes (Renovate's hourly run over the GitOps repos). */
const RUN_MS = 4 * 60_000 + 17_000;
const HISTORY = 3; // successfulJobsHistoryLimit default

export type JobRun = {
  name: string;
  scheduledAt: number;
  startedAt: number;
  finishedAt?: number;
  podName: string;
  podIP: string;
};

/** The runs of a workload's CronJob still kept as Jobs at `now`. */
export function jobRuns(t: Topology, w: WorkloadPlan, now: number): JobRun[] {
  if (!w.cronJob) return [];
  const schedule = parseCron(w.cronJob.schedule);
  const cronName = w.cronJob.name;
  const runs = previousRuns(schedule, now, HISTORY + 1)
    .filter(at => at >= w.createdAt)
    .map(scheduledAt => {
      const startedAt = scheduledAt + 1_000;
      const done = startedAt + RUN_MS;
      // Job names carry the scheduled time in minutes (CronJob controller v2).
      const name = `${cronName}-${Math.floor(scheduledAt / 60_000)}`;
      const node = t.nodes.find(n => n.role === 'worker') ?? t.nodes[0];
      return {
        name,
        scheduledAt,
        startedAt,
        finishedAt: done <= now ? done : undefined,
        podName: `${name}-${t.id.suffix(`job-pod:${w.key}:${scheduledAt}`)}`,
        podIP: `10.244.${node.index}.${
          250 - (Math.floor(scheduledAt / 60_000) % 5)
        }`,
      };
    });
  const finished = runs
    .filter(r => r.finishedAt !== undefined)
    .slice(0, HISTORY);
  const active = runs.filter(r => r.finishedAt === undefined);
  return [...active, ...finished];
}

function jobLabels(w: WorkloadPlan, run: JobRun, uid: string) {
  return {
    ...w.labels,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': run.name,
    'controller-uid': uid,
    'job-name': run.name,
  };
}

export function buildCronJob(
  t: Topology,
  w: WorkloadPlan,
  now: number,
): Obj | undefined {
  if (!w.cronJob) return undefined;
  const runs = jobRuns(t, w, now);
  const active = runs.filter(r => r.finishedAt === undefined);
  const lastDone = runs.find(r => r.finishedAt !== undefined);
  const name = w.cronJob.name;
  const uid = t.id.uid(`CronJob:${w.key}:${name}`);
  const lastChange = Math.max(
    w.createdAt,
    ...runs.map(r => r.finishedAt ?? r.startedAt),
  );
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name,
      namespace: w.namespace,
      uid,
      resourceVersion: resourceVersion(
        t,
        lastChange,
        t.id.unit(`rv:cj:${w.key}`),
      ),
      generation: 1,
      creationTimestamp: iso(w.createdAt),
      labels: w.labels,
    },
    spec: {
      schedule: w.cronJob.schedule,
      concurrencyPolicy: 'Forbid',
      suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null, labels: w.labels },
        spec: {
          backoffLimit: 6,
          template: {
            metadata: { creationTimestamp: null, labels: w.labels },
            spec: {
              containers: [containerSpec(w)],
              ...podSpecDefaults(w),
              restartPolicy: 'Never',
            },
          },
        },
      },
      successfulJobsHistoryLimit: HISTORY,
      failedJobsHistoryLimit: 1,
    },
    status: {
      ...(active.length && {
        active: active.map(r => ({
          kind: 'Job',
          namespace: w.namespace,
          name: r.name,
          uid: t.id.uid(`Job:${w.key}:${r.name}`),
          apiVersion: 'batch/v1',
          resourceVersion: resourceVersion(t, r.startedAt, 0.3),
        })),
      }),
      ...(runs.length && {
        lastScheduleTime: iso(Math.max(...runs.map(r => r.scheduledAt))),
      }),
      ...(lastDone && { lastSuccessfulTime: iso(lastDone.finishedAt!) }),
    },
  };
}

export function buildJobs(t: Topology, w: WorkloadPlan, now: number): Obj[] {
  if (!w.cronJob) return [];
  const cronName = w.cronJob.name;
  return jobRuns(t, w, now).map(run => {
    const uid = t.id.uid(`Job:${w.key}:${run.name}`);
    const labels = jobLabels(w, run, uid);
    const done = run.finishedAt !== undefined;
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: run.name,
        namespace: w.namespace,
        uid,
        resourceVersion: resourceVersion(
          t,
          run.finishedAt ?? run.startedAt,
          t.id.unit(`rv:${run.name}`),
        ),
        generation: 1,
        creationTimestamp: iso(run.startedAt),
        labels: {
          ...w.labels,
          'batch.kubernetes.io/controller-uid': uid,
          'batch.kubernetes.io/job-name': run.name,
          'controller-uid': uid,
          'job-name': run.name,
        },
        annotations: {
          'batch.kubernetes.io/cronjob-scheduled-timestamp': iso(
            run.scheduledAt,
          ),
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cronName,
            uid: t.id.uid(`CronJob:${w.key}:${cronName}`),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
        },
        manualSelector: false,
        template: {
          metadata: { creationTimestamp: null, labels },
          spec: {
            containers: [containerSpec(w)],
            ...podSpecDefaults(w),
            restartPolicy: 'Never',
          },
        },
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
      },
      status: {
        startTime: iso(run.startedAt),
        ...(done
          ? {
              completionTime: iso(run.finishedAt!),
              succeeded: 1,
              conditions: [
                {
                  type: 'SuccessCriteriaMet',
                  status: 'True',
                  lastProbeTime: iso(run.finishedAt!),
                  lastTransitionTime: iso(run.finishedAt!),
                  reason: 'CompletionsReached',
                  message: 'Reached expected number of succeeded pods',
                },
                {
                  type: 'Complete',
                  status: 'True',
                  lastProbeTime: iso(run.finishedAt!),
                  lastTransitionTime: iso(run.finishedAt!),
                  reason: 'CompletionsReached',
                  message: 'Reached expected number of succeeded pods',
                },
              ],
            }
          : { active: 1, ready: 1 }),
        terminating: 0,
        uncountedTerminatedPods: {},
      },
    };
  });
}

export function buildJobPods(t: Topology, w: WorkloadPlan, now: number): Obj[] {
  if (!w.cronJob) return [];
  const node = t.nodes.find(n => n.role === 'worker') ?? t.nodes[0];
  return jobRuns(t, w, now).map(run => {
    const jobUid = t.id.uid(`Job:${w.key}:${run.name}`);
    const done = run.finishedAt !== undefined;
    const containerStarted = run.startedAt + 6_000;
    const status = {
      name: w.name,
      image: w.image,
      imageID: imageID(t, w.image),
      containerID: `containerd://${t.id.hex(`container:${run.podName}`)}`,
      state: done
        ? {
            terminated: {
              exitCode: 0,
              reason: 'Completed',
              startedAt: iso(containerStarted),
              finishedAt: iso(run.finishedAt!),
              containerID: `containerd://${t.id.hex(
                `container:${run.podName}`,
              )}`,
            },
          }
        : { running: { startedAt: iso(containerStarted) } },
      lastState: {},
      ready: !done,
      restartCount: 0,
      started: !done,
    };
    const condition = (type: string, ok: boolean, at: number) => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: iso(at),
      ...(!ok &&
        type !== 'PodReadyToStartContainers' && { reason: 'PodCompleted' }),
    });
    const end = run.finishedAt ?? containerStarted;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: run.podName,
        generateName: `${run.name}-`,
        namespace: w.namespace,
        uid: t.id.uid(`pod:${run.podName}`),
        resourceVersion: resourceVersion(
          t,
          end,
          t.id.unit(`rv:${run.podName}`),
        ),
        creationTimestamp: iso(run.startedAt),
        labels: jobLabels(w, run, jobUid),
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: run.name,
            uid: jobUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        finalizers: done ? [] : ['batch.kubernetes.io/job-tracking'],
      },
      spec: {
        containers: [containerSpec(w)],
        ...podSpecDefaults(w),
        restartPolicy: 'Never',
        nodeName: node.name,
        tolerations: [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      status: {
        phase: done ? 'Succeeded' : 'Running',
        conditions: [
          condition('PodReadyToStartContainers', !done, end),
          condition('Initialized', true, run.startedAt + 1_000),
          condition('Ready', !done, end),
          condition('ContainersReady', !done, end),
          condition('PodScheduled', true, run.startedAt),
        ],
        hostIP: node.ip,
        hostIPs: [{ ip: node.ip }],
        ...(!done && { podIP: run.podIP, podIPs: [{ ip: run.podIP }] }),
        startTime: iso(run.startedAt),
        containerStatuses: [status],
        qosClass: 'Burstable',
      },
    };
  });
}
