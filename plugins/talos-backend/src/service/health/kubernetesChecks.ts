import type { KubernetesSnapshot } from '../KubernetesReader';
import { Outcome, fail, noControlPlane, pass, verdict } from './outcome';
import type { TalosFacts } from './talosChecks';

/** The Talos facts plus what the Kubernetes API answered. */
export type KubernetesFacts = TalosFacts & {
  snapshot: KubernetesSnapshot;
  /** Kubernetes Node names of the control-plane machines. */
  controlPlaneNodeNames: string[];
};

const CONTROL_PLANE_PODS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
];

/** Static pods are named `<component>-<node>`. */
function staticPod(facts: KubernetesFacts, component: string, node: string) {
  return facts.snapshot.kubeSystemPods.find(
    p => p.name === `${component}-${node}`,
  );
}

export function nodesReported({ nodes, snapshot }: KubernetesFacts): Outcome {
  const expected = nodes
    .map(n => n.nodename ?? n.hostname)
    .filter(Boolean) as string[];
  const reported = new Set(snapshot.nodes.map(n => n.name));
  const missing = expected.filter(n => !reported.has(n));
  return missing.length
    ? fail([
        `expected nodes ${JSON.stringify(
          expected.sort(),
        )}, missing ${JSON.stringify(missing)}`,
      ])
    : pass(`${snapshot.nodes.length} node(s) registered`);
}

export function staticPodsRunning(facts: KubernetesFacts): Outcome {
  if (!facts.controlPlaneNodeNames.length) return noControlPlane;
  const problems: string[] = [];
  for (const node of facts.controlPlaneNodeNames) {
    const missing = CONTROL_PLANE_PODS.filter(
      c => staticPod(facts, c, node)?.phase !== 'Running',
    );
    if (missing.length) {
      problems.push(
        `${node}: ${missing
          .map(c => `${c} ${staticPod(facts, c, node)?.phase ?? 'missing'}`)
          .join(', ')}`,
      );
    }
  }
  return verdict(
    problems,
    'kube-apiserver, kube-controller-manager and kube-scheduler run on every control-plane node',
  );
}

export function controlPlaneReady(facts: KubernetesFacts): Outcome {
  if (!facts.controlPlaneNodeNames.length) return noControlPlane;
  const problems: string[] = [];
  for (const node of facts.controlPlaneNodeNames) {
    const notReady = CONTROL_PLANE_PODS.filter(
      c => !staticPod(facts, c, node)?.ready,
    );
    if (notReady.length)
      problems.push(`${node}: ${notReady.join(', ')} not ready`);
  }
  return verdict(problems, 'every control-plane component is ready');
}

export function nodesReady({ snapshot }: KubernetesFacts): Outcome {
  const notReady = snapshot.nodes.filter(n => !n.ready);
  return notReady.length
    ? fail([
        `some nodes are not ready: ${notReady
          .map(n => `${n.name}${n.readyMessage ? ` (${n.readyMessage})` : ''}`)
          .join(', ')}`,
      ])
    : pass(`${snapshot.nodes.length} node(s) ready`);
}

export function kubeProxyReady({ snapshot }: KubernetesFacts): Outcome {
  return replicas(
    'kube-proxy',
    snapshot.kubeProxy,
    'kube-proxy is not deployed (a CNI such as Cilium may replace it)',
  );
}

export function coreDnsReady({ snapshot }: KubernetesFacts): Outcome {
  return replicas(
    'CoreDNS',
    snapshot.coreDns,
    'CoreDNS (k8s-app=kube-dns) is not deployed',
  );
}

export function nodesSchedulable({ snapshot }: KubernetesFacts): Outcome {
  const cordoned = snapshot.nodes.filter(n => n.unschedulable);
  return cordoned.length
    ? fail([
        `some nodes are not schedulable: ${cordoned
          .map(n => n.name)
          .join(', ')}`,
      ])
    : pass('no node is cordoned');
}

/** Ready pods of an optional add-on against what it wants; skipped when absent. */
function replicas(
  what: string,
  counts: { desired: number; ready: number } | undefined,
  absent: string,
): Outcome {
  if (!counts) return { status: 'skipped', reason: absent };
  return counts.ready < counts.desired
    ? fail([
        `expected ${counts.desired} ready ${what} pods, got ${counts.ready}`,
      ])
    : pass(`${counts.ready} ${what} pod(s) ready`);
}
