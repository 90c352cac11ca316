import type {
  TalosHealthCheck,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';

/** What one check concluded, before it gets its id and title. */
export type Outcome = { status: TalosHealthCheck['status']; reason: string };

export const pass = (reason: string): Outcome => ({ status: 'pass', reason });

export const fail = (reasons: string[]): Outcome => ({
  status: 'fail',
  reason: reasons.join('; '),
});

export const verdict = (problems: string[], ok: string): Outcome =>
  problems.length ? fail(problems) : pass(ok);

export const noControlPlane = fail([
  'no control-plane node is known (is the endpoint a control-plane node, and do the nodes answer?)',
]);

export function nodeName(n: TalosNodeView) {
  return n.hostname ?? n.address;
}

export function isControlPlane(n: TalosNodeView) {
  return n.role === 'controlplane' || n.role === 'init';
}

/**
 * Runs `check` on every node; an unreachable node fails whatever the check,
 * because talosctl cannot ask it either.
 */
export function perNode(
  nodes: TalosNodeView[],
  check: (n: TalosNodeView) => string | undefined,
  ok: string,
): Outcome {
  const problems: string[] = [];
  for (const n of nodes) {
    if (!n.reachable) {
      problems.push(
        `${nodeName(n)}: unreachable (${n.error?.message ?? 'no answer'})`,
      );
      continue;
    }
    const p = check(n);
    if (p) problems.push(`${nodeName(n)}: ${p}`);
  }
  return verdict(problems, ok);
}

/** talosctl's wording for a service that is missing, stopped or unhealthy. */
export function serviceProblem(
  n: TalosNodeView,
  id: string,
): string | undefined {
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
