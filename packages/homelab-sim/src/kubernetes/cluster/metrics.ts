import { iso } from './identity';
import { Topology } from './topology';

type Obj = Record<string, any>;

/** metrics-server scrapes every 15 s; a sample covers about that window. */
const RESOLUTION_MS = 15_000;

/**
 * CPU use (millicores) of a container at `t`: a daily rhythm plus a slower
 * wander and a little noise around its request, stable for one scrape.
 */
export function cpuUsage(
  topology: Topology,
  key: string,
  request: number,
  now: number,
) {
  const sample = Math.floor(now / RESOLUTION_MS);
  const phase = topology.id.unit(`cpu-phase:${key}`) * Math.PI * 2;
  const day = Math.sin(
    (sample * RESOLUTION_MS * 2 * Math.PI) / 86_400_000 + phase,
  );
  const wander = Math.sin(sample / 37 + phase * 3);
  const noise = topology.id.unit(`cpu:${key}:${sample}`) - 0.5;
  const f = 0.45 + 0.2 * day + 0.15 * wander + 0.2 * noise;
  return Math.max(0.5, request * Math.max(0.05, f));
}

/** Working-set memory (MiB) of a container: most of its request, drifting slowly. */
export function memoryUsage(
  topology: Topology,
  key: string,
  request: number,
  now: number,
) {
  const sample = Math.floor(now / RESOLUTION_MS);
  const base = 0.55 + 0.3 * topology.id.unit(`mem:${key}`);
  const drift =
    0.05 * Math.sin(sample / 240 + topology.id.unit(`mem-phase:${key}`) * 6);
  return request * (base + drift);
}

export type MeteredContainer = {
  podKey: string;
  name: string;
  cpuRequest: number;
  memoryRequestMiB: number;
};

function sampleTime(now: number) {
  return Math.floor(now / RESOLUTION_MS) * RESOLUTION_MS - 4_000;
}

/**
 * metrics.k8s.io/v1beta1 PodMetrics as metrics-server serves it: the pod's
 * labels copied, usage in nanocores and KiB, `window` of the sample.
 */
export function buildPodMetrics(
  topology: Topology,
  pod: Obj,
  containers: MeteredContainer[],
  now: number,
): Obj {
  const window =
    15 + topology.id.unit(`window:${Math.floor(now / RESOLUTION_MS)}`) * 0.06;
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: iso(now),
      labels: pod.metadata.labels,
    },
    timestamp: iso(sampleTime(now)),
    window: `${window.toFixed(3)}s`,
    containers: containers.map(c => ({
      name: c.name,
      usage: {
        cpu: `${Math.round(
          cpuUsage(topology, c.podKey, c.cpuRequest, now) * 1e6,
        )}n`,
        memory: `${Math.round(
          memoryUsage(topology, c.podKey, c.memoryRequestMiB, now) * 1024,
        )}Ki`,
      },
    })),
  };
}

export function buildNodeMetrics(
  nodeName: string,
  cpuMillicores: number,
  memoryMiB: number,
  now: number,
): Obj {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: {
      name: nodeName,
      creationTimestamp: iso(now),
      labels: { 'kubernetes.io/hostname': nodeName },
    },
    timestamp: iso(sampleTime(now)),
    window: '20.047s',
    usage: {
      cpu: `${Math.round(cpuMillicores * 1e6)}n`,
      memory: `${Math.round(memoryMiB * 1024)}Ki`,
    },
  };
}
