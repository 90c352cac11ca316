import type { TalosNodeView } from '@homelab-portal/plugin-talos-common';
import type { NodeEtcd } from '../NodeReader';
import {
  Outcome,
  fail,
  isControlPlane,
  noControlPlane,
  nodeName,
  pass,
  perNode,
  serviceProblem,
  verdict,
} from './outcome';

/** What the Talos API of every node told the portal. */
export type TalosFacts = {
  nodes: TalosNodeView[];
  controlPlanes: TalosNodeView[];
  etcd: Map<string, NodeEtcd | undefined>;
};

/** Minimum memory (pkg/minimal/limits.go) minus the 150 MiB talosctl allows. */
const MIN_MEMORY_MIB = { controlplane: 1848 - 150, worker: 1024 - 150 };
const MIN_EPHEMERAL_BYTES = 6 * 1024 ** 3;

export function etcdHealthy({ controlPlanes }: TalosFacts): Outcome {
  if (!controlPlanes.length) return noControlPlane;
  return perNode(
    controlPlanes,
    n => serviceProblem(n, 'etcd'),
    `etcd runs healthy on ${controlPlanes.map(nodeName).join(', ')}`,
  );
}

/** Members as each control-plane node sees them, or why it could not say. */
function memberViews({ controlPlanes, etcd }: TalosFacts) {
  return controlPlanes.map(n => {
    const seen = etcd.get(n.address);
    return {
      node: n,
      members: seen?.members?.map(m => m.hostname).sort(),
      error: !n.reachable
        ? 'unreachable'
        : seen?.error?.message ??
          (seen?.members ? undefined : 'no etcd member list'),
    };
  });
}

export function etcdConsistent(facts: TalosFacts): Outcome {
  if (!facts.controlPlanes.length) return noControlPlane;
  const views = memberViews(facts);
  const problems = views
    .filter(v => v.error)
    .map(v => `${nodeName(v.node)}: ${v.error}`);
  const lists = views.filter(v => v.members);
  const expected = lists[0]?.members;
  for (const v of lists.slice(1)) {
    if (JSON.stringify(v.members) !== JSON.stringify(expected)) {
      problems.push(
        `${nodeName(v.node)}: expected to have ${JSON.stringify(
          expected,
        )} members, got ${JSON.stringify(v.members)}`,
      );
    }
  }
  return verdict(
    problems,
    `${lists.length} control-plane node(s) agree on ${
      expected?.length ?? 0
    } member(s)`,
  );
}

export function etcdMembersAreControlPlanes(facts: TalosFacts): Outcome {
  const { controlPlanes, etcd } = facts;
  if (!controlPlanes.length) return noControlPlane;
  const answered = memberViews(facts).find(v => v.members);
  const members = answered && etcd.get(answered.node.address)?.members;
  if (!members)
    return fail(['no control-plane node returned its etcd members']);
  const cpNames = new Set(
    controlPlanes.flatMap(
      n =>
        [n.hostname, n.nodename, n.address, ...n.hardware.addresses].filter(
          Boolean,
        ) as string[],
    ),
  );
  const strangers = members.filter(
    m =>
      !cpNames.has(m.hostname) &&
      !m.peer_urls.some(u => cpNames.has(hostOf(u))),
  );
  return strangers.length
    ? fail([
        `etcd members ${strangers
          .map(s => s.hostname)
          .join(', ')} are not control-plane nodes`,
      ])
    : pass(
        `every member (${members
          .map(m => m.hostname)
          .join(', ')}) is a control-plane node`,
      );
}

export function apidReady({ nodes }: TalosFacts): Outcome {
  return perNode(nodes, () => undefined, `${nodes.length} node(s) answer`);
}

export function memorySizes({ nodes }: TalosFacts): Outcome {
  return perNode(
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
  );
}

export function diskSizes({ nodes }: TalosFacts): Outcome {
  return perNode(
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
  );
}

export function noDiagnostics({ nodes }: TalosFacts): Outcome {
  return perNode(
    nodes,
    n =>
      n.diagnostics.length
        ? n.diagnostics.map(d => d.message).join(', ')
        : undefined,
    'no node reports a diagnostic',
  );
}

export function kubeletHealthy({ controlPlanes }: TalosFacts): Outcome {
  if (!controlPlanes.length) return noControlPlane;
  return perNode(
    controlPlanes,
    n => serviceProblem(n, 'kubelet'),
    'kubelet runs healthy on the control plane',
  );
}

export function bootFinished({ nodes }: TalosFacts): Outcome {
  return perNode(
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
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
