import type {
  TalosHealthCheck,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';
import type { KubernetesSnapshot } from './KubernetesReader';
import type { NodeEtcd } from './NodeReader';

/**
 * The checks `talosctl health` runs (siderolabs/talos pkg/cluster/check,
 * DefaultClusterChecks), in its order, evaluated from what the portal has
 * already read: the Talos API of every node, then the Kubernetes API. Each
 * says pass or fail and why; the Kubernetes checks are skipped when the
 * portal has no Kubernetes API for the cluster.
 */
export type HealthInput = {
  nodes: TalosNodeView[];
  etcd: Map<string, NodeEtcd | undefined>;
  kubernetes:
    | { configured: false }
    | { configured: true; error?: string; snapshot?: KubernetesSnapshot };
};

/** Minimum memory (pkg/minimal/limits.go) minus the 150 MiB talosctl allows. */
const MIN_MEMORY_MIB = { controlplane: 1848 - 150, worker: 1024 - 150 };
const MIN_EPHEMERAL_BYTES = 6 * 1024 ** 3;
const CONTROL_PLANE_PODS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
];

type Outcome = { status: TalosHealthCheck['status']; reason: string };

const pass = (reason: string): Outcome => ({ status: 'pass', reason });
const fail = (reasons: string[]): Outcome => ({
  status: 'fail',
  reason: reasons.join('; '),
});
const verdict = (problems: string[], ok: string): Outcome =>
  problems.length ? fail(problems) : pass(ok);

function name(n: TalosNodeView) {
  return n.hostname ?? n.address;
}

function isControlPlane(n: TalosNodeView) {
  return n.role === 'controlplane' || n.role === 'init';
}

function perNode(
  nodes: TalosNodeView[],
  check: (n: TalosNodeView) => string | undefined,
  ok: string,
): Outcome {
  const problems: string[] = [];
  for (const n of nodes) {
    if (!n.reachable) {
      problems.push(
        `${name(n)}: unreachable (${n.error?.message ?? 'no answer'})`,
      );
      continue;
    }
    const p = check(n);
    if (p) problems.push(`${name(n)}: ${p}`);
  }
  return problems.length ? fail(problems) : pass(ok);
}

function serviceHealth(n: TalosNodeView, id: string): string | undefined {
  const s = n.services.find(x => x.id === id);
  if (!s) return `service "${id}" not found`;
  if (s.state !== 'Running') {
    const last = s.events[s.events.length - 1];
    return `service "${id}" not in expected state "Running": current state [${
      s.state
    }]${last ? ` ${last.message}` : ''}`;
  }
  if (s.health !== 'healthy')
    return `service "${id}" is not healthy${
      s.lastMessage ? `: ${s.lastMessage}` : ''
    }`;
  return undefined;
}

export function evaluateHealth(input: HealthInput): TalosHealthCheck[] {
  const { nodes } = input;
  const controlPlanes = nodes.filter(isControlPlane);
  const checks: TalosHealthCheck[] = [];
  const add = (id: string, title: string, outcome: Outcome) =>
    checks.push({ id, title, ...outcome });
  const noCp = fail([
    'no control-plane node is known (is the endpoint a control-plane node, and do the nodes answer?)',
  ]);

  add(
    'etcd-healthy',
    'etcd to be healthy',
    controlPlanes.length
      ? perNode(
          controlPlanes,
          n => serviceHealth(n, 'etcd'),
          `etcd runs healthy on ${controlPlanes.map(name).join(', ')}`,
        )
      : noCp,
  );

  // Members as each control-plane node sees them.
  const views = controlPlanes.map(n => ({
    n,
    etcd: input.etcd.get(n.address),
  }));
  const memberSets = views.map(({ n, etcd }) => ({
    n,
    members: etcd?.members?.map(m => m.hostname).sort(),
    error: !n.reachable
      ? 'unreachable'
      : etcd?.error?.message ??
        (etcd?.members ? undefined : 'no etcd member list'),
  }));
  {
    const problems = memberSets
      .filter(s => s.error)
      .map(s => `${name(s.n)}: ${s.error}`);
    const lists = memberSets.filter(s => s.members);
    const expected = lists[0]?.members;
    for (const s of lists.slice(1)) {
      if (JSON.stringify(s.members) !== JSON.stringify(expected)) {
        problems.push(
          `${name(s.n)}: expected to have ${JSON.stringify(
            expected,
          )} members, got ${JSON.stringify(s.members)}`,
        );
      }
    }
    add(
      'etcd-consistent',
      'etcd members to be consistent across nodes',
      !controlPlanes.length
        ? noCp
        : verdict(
            problems,
            `${lists.length} control-plane node(s) agree on ${
              expected?.length ?? 0
            } member(s)`,
          ),
    );
  }
  {
    const cpNames = new Set(
      controlPlanes.flatMap(
        n =>
          [n.hostname, n.nodename, n.address, ...n.hardware.addresses].filter(
            Boolean,
          ) as string[],
      ),
    );
    const members =
      memberSets.find(s => s.members)?.n &&
      input.etcd.get(memberSets.find(s => s.members)!.n.address)?.members;
    if (!members) {
      add(
        'etcd-control-plane',
        'etcd members to be control plane nodes',
        controlPlanes.length
          ? fail(['no control-plane node returned its etcd members'])
          : noCp,
      );
    } else {
      const strangers = members.filter(
        m =>
          !cpNames.has(m.hostname) &&
          !m.peer_urls.some(u => cpNames.has(hostOf(u))),
      );
      add(
        'etcd-control-plane',
        'etcd members to be control plane nodes',
        strangers.length
          ? fail([
              `etcd members ${strangers
                .map(s => s.hostname)
                .join(', ')} are not control-plane nodes`,
            ])
          : pass(
              `every member (${members
                .map(m => m.hostname)
                .join(', ')}) is a control-plane node`,
            ),
      );
    }
  }

  add(
    'apid-ready',
    'apid to be ready',
    perNode(nodes, () => undefined, `${nodes.length} node(s) answer`),
  );

  add(
    'memory-sizes',
    'all nodes memory sizes',
    perNode(
      nodes,
      n => {
        if (!n.memory) return 'memory not read';
        const min = isControlPlane(n)
          ? MIN_MEMORY_MIB.controlplane
          : MIN_MEMORY_MIB.worker;
        const mib = Math.floor(n.memory.totalBytes / 1024 ** 2);
        return mib < min
          ? `${mib} MiB of memory, at least ${min} MiB needed`
          : undefined;
      },
      'every node has enough memory',
    ),
  );

  add(
    'disk-sizes',
    'all nodes disk sizes',
    perNode(
      nodes,
      n => {
        const eph = n.volumes.find(v => v.id === 'EPHEMERAL');
        if (!eph)
          return n.problems.some(p => p.part === 'volumes')
            ? 'volumes not read'
            : 'no EPHEMERAL volume';
        return eph.sizeBytes < MIN_EPHEMERAL_BYTES
          ? `EPHEMERAL is ${(eph.sizeBytes / 1024 ** 3).toFixed(
              1,
            )} GiB, at least 6 GiB needed`
          : undefined;
      },
      'every EPHEMERAL volume has at least 6 GiB',
    ),
  );

  add(
    'no-diagnostics',
    'no diagnostics',
    perNode(
      nodes,
      n =>
        n.diagnostics.length
          ? n.diagnostics.map(d => d.message).join(', ')
          : undefined,
      'no node reports a diagnostic',
    ),
  );

  add(
    'kubelet-healthy',
    'kubelet to be healthy',
    controlPlanes.length
      ? perNode(
          controlPlanes,
          n => serviceHealth(n, 'kubelet'),
          'kubelet runs healthy on the control plane',
        )
      : noCp,
  );

  add(
    'boot-finished',
    'all nodes to finish boot sequence',
    perNode(
      nodes,
      n => {
        if (n.stage === undefined) return 'machine status not read';
        if (n.stage !== 'running') return `stage is ${n.stage}`;
        if (!n.ready) {
          return `not ready: ${
            n.unmetConditions.map(u => `${u.name} (${u.reason})`).join(', ') ||
            'unmet conditions'
          }`;
        }
        return undefined;
      },
      'every node is running and ready',
    ),
  );

  // ---- Kubernetes ---------------------------------------------------------
  const k8sChecks: [string, string][] = [
    ['k8s-nodes-reported', 'all k8s nodes to report'],
    ['k8s-static-pods', 'all control plane static pods to be running'],
    ['k8s-control-plane-ready', 'all control plane components to be ready'],
    ['k8s-nodes-ready', 'all k8s nodes to report ready'],
    ['kube-proxy-ready', 'kube-proxy to report ready'],
    ['coredns-ready', 'coredns to report ready'],
    ['k8s-nodes-schedulable', 'all k8s nodes to report schedulable'],
  ];
  const k = input.kubernetes;
  if (!k.configured || !k.snapshot) {
    const outcome: Outcome = !k.configured
      ? {
          status: 'skipped',
          reason: 'not checked: Kubernetes API not configured',
        }
      : fail([k.error ?? 'the Kubernetes API could not be read']);
    for (const [id, title] of k8sChecks) add(id, title, outcome);
    return checks;
  }
  const snap = k.snapshot;
  const expected = nodes
    .map(n => n.nodename ?? n.hostname)
    .filter(Boolean) as string[];
  const reported = new Set(snap.nodes.map(n => n.name));
  const missing = expected.filter(n => !reported.has(n));
  add(
    'k8s-nodes-reported',
    'all k8s nodes to report',
    missing.length
      ? fail([
          `expected nodes ${JSON.stringify(
            expected.sort(),
          )}, missing ${JSON.stringify(missing)}`,
        ])
      : pass(`${snap.nodes.length} node(s) registered`),
  );

  const cpNodenames = controlPlanes
    .map(n => n.nodename ?? n.hostname)
    .filter(Boolean) as string[];
  const podOf = (component: string, node: string) =>
    snap.kubeSystemPods.find(p => p.name === `${component}-${node}`);
  {
    const problems: string[] = [];
    for (const node of cpNodenames) {
      const missingPods = CONTROL_PLANE_PODS.filter(
        c => podOf(c, node)?.phase !== 'Running',
      );
      if (missingPods.length) {
        problems.push(
          `${node}: ${missingPods
            .map(c => `${c} ${podOf(c, node)?.phase ?? 'missing'}`)
            .join(', ')}`,
        );
      }
    }
    add(
      'k8s-static-pods',
      'all control plane static pods to be running',
      !cpNodenames.length
        ? noCp
        : verdict(
            problems,
            'kube-apiserver, kube-controller-manager and kube-scheduler run on every control-plane node',
          ),
    );
  }
  {
    const problems: string[] = [];
    for (const node of cpNodenames) {
      const notReady = CONTROL_PLANE_PODS.filter(c => !podOf(c, node)?.ready);
      if (notReady.length)
        problems.push(`${node}: ${notReady.join(', ')} not ready`);
    }
    add(
      'k8s-control-plane-ready',
      'all control plane components to be ready',
      !cpNodenames.length
        ? noCp
        : verdict(problems, 'every control-plane component is ready'),
    );
  }
  const notReady = snap.nodes.filter(n => !n.ready);
  add(
    'k8s-nodes-ready',
    'all k8s nodes to report ready',
    notReady.length
      ? fail([
          `some nodes are not ready: ${notReady
            .map(
              n => `${n.name}${n.readyMessage ? ` (${n.readyMessage})` : ''}`,
            )
            .join(', ')}`,
        ])
      : pass(`${snap.nodes.length} node(s) ready`),
  );
  add(
    'kube-proxy-ready',
    'kube-proxy to report ready',
    replicas(
      'kube-proxy',
      snap.kubeProxy,
      'kube-proxy is not deployed (a CNI such as Cilium may replace it)',
    ),
  );
  add(
    'coredns-ready',
    'coredns to report ready',
    replicas(
      'CoreDNS',
      snap.coreDns,
      'CoreDNS (k8s-app=kube-dns) is not deployed',
    ),
  );
  const cordoned = snap.nodes.filter(n => n.unschedulable);
  add(
    'k8s-nodes-schedulable',
    'all k8s nodes to report schedulable',
    cordoned.length
      ? fail([
          `some nodes are not schedulable: ${cordoned
            .map(n => n.name)
            .join(', ')}`,
        ])
      : pass('no node is cordoned'),
  );
  return checks;
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

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
