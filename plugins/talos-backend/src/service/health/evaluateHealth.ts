import type {
  TalosHealthCheck,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';
import type { KubernetesSnapshot } from '../KubernetesReader';
import type { NodeEtcd } from '../NodeReader';
import * as k8s from './kubernetesChecks';
import { Outcome, fail, isControlPlane } from './outcome';
import * as talos from './talosChecks';

/**
 * What the portal has already read for one cluster: the Talos API of every
 * node, then (when configured) the Kubernetes API.
 */
export type HealthInput = {
  nodes: TalosNodeView[];
  etcd: Map<string, NodeEtcd | undefined>;
  kubernetes:
    | { configured: false }
    | { configured: true; error?: string; snapshot?: KubernetesSnapshot };
};

type Check<F> = { id: string; title: string; run: (facts: F) => Outcome };

/**
 * The checks `talosctl health` runs (siderolabs/talos pkg/cluster/check,
 * DefaultClusterChecks), in its order and with its titles.
 */
const TALOS_CHECKS: Check<talos.TalosFacts>[] = [
  { id: 'etcd-healthy', title: 'etcd to be healthy', run: talos.etcdHealthy },
  {
    id: 'etcd-consistent',
    title: 'etcd members to be consistent across nodes',
    run: talos.etcdConsistent,
  },
  {
    id: 'etcd-control-plane',
    title: 'etcd members to be control plane nodes',
    run: talos.etcdMembersAreControlPlanes,
  },
  { id: 'apid-ready', title: 'apid to be ready', run: talos.apidReady },
  {
    id: 'memory-sizes',
    title: 'all nodes memory sizes',
    run: talos.memorySizes,
  },
  { id: 'disk-sizes', title: 'all nodes disk sizes', run: talos.diskSizes },
  { id: 'no-diagnostics', title: 'no diagnostics', run: talos.noDiagnostics },
  {
    id: 'kubelet-healthy',
    title: 'kubelet to be healthy',
    run: talos.kubeletHealthy,
  },
  {
    id: 'boot-finished',
    title: 'all nodes to finish boot sequence',
    run: talos.bootFinished,
  },
];

const KUBERNETES_CHECKS: Check<k8s.KubernetesFacts>[] = [
  {
    id: 'k8s-nodes-reported',
    title: 'all k8s nodes to report',
    run: k8s.nodesReported,
  },
  {
    id: 'k8s-static-pods',
    title: 'all control plane static pods to be running',
    run: k8s.staticPodsRunning,
  },
  {
    id: 'k8s-control-plane-ready',
    title: 'all control plane components to be ready',
    run: k8s.controlPlaneReady,
  },
  {
    id: 'k8s-nodes-ready',
    title: 'all k8s nodes to report ready',
    run: k8s.nodesReady,
  },
  {
    id: 'kube-proxy-ready',
    title: 'kube-proxy to report ready',
    run: k8s.kubeProxyReady,
  },
  {
    id: 'coredns-ready',
    title: 'coredns to report ready',
    run: k8s.coreDnsReady,
  },
  {
    id: 'k8s-nodes-schedulable',
    title: 'all k8s nodes to report schedulable',
    run: k8s.nodesSchedulable,
  },
];

/**
 * Each check says pass or fail and why; the Kubernetes checks are skipped
 * when the portal has no Kubernetes API for the cluster, and all fail with
 * the reason when that API could not be read.
 */
export function evaluateHealth(input: HealthInput): TalosHealthCheck[] {
  const facts: talos.TalosFacts = {
    nodes: input.nodes,
    controlPlanes: input.nodes.filter(isControlPlane),
    etcd: input.etcd,
  };
  const results = TALOS_CHECKS.map(({ id, title, run }) => ({
    id,
    title,
    ...run(facts),
  }));
  const k = input.kubernetes;
  if (!k.configured || !k.snapshot) {
    const outcome: Outcome = !k.configured
      ? {
          status: 'skipped',
          reason: 'not checked: Kubernetes API not configured',
        }
      : fail([k.error ?? 'the Kubernetes API could not be read']);
    return [
      ...results,
      ...KUBERNETES_CHECKS.map(({ id, title }) => ({ id, title, ...outcome })),
    ];
  }
  const kubeFacts: k8s.KubernetesFacts = {
    ...facts,
    snapshot: k.snapshot,
    controlPlaneNodeNames: facts.controlPlanes
      .map(n => n.nodename ?? n.hostname)
      .filter(Boolean) as string[],
  };
  return [
    ...results,
    ...KUBERNETES_CHECKS.map(({ id, title, run }) => ({
      id,
      title,
      ...run(kubeFacts),
    })),
  ];
}
