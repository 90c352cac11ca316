import { KubeError } from '../api/status';
import { runStart } from './crashLoop';
import { containerState, CRASH_RUN_MS } from './pods';
import { PodPlan, Topology } from './topology';

/** One log line with the kubelet's RFC 3339 nano timestamp. */
type Line = { at: number; text: string };

function healthyLines(p: PodPlan, startedAt: number, now: number): Line[] {
  const w = p.workload;
  const lines: Line[] = [
    {
      at: startedAt + 120,
      text: `Starting ${w.name} (${w.image.split(':').pop()})`,
    },
    { at: startedAt + 850, text: `Loaded configuration from /config` },
    { at: startedAt + 2_400, text: `Listening on 0.0.0.0:${w.port}` },
  ];
  // A health-check line every 10 minutes since start, the last few kept.
  const period = 600_000;
  const count = Math.floor((now - startedAt - 3_000) / period);
  for (let i = Math.max(1, count - 20); i <= count; i++) {
    lines.push({
      at: startedAt + 3_000 + i * period,
      text: `GET /health 200 ${(1 + (i % 7) * 0.3).toFixed(1)}ms`,
    });
  }
  return lines;
}

function crashLines(p: PodPlan, startedAt: number): Line[] {
  const w = p.workload;
  return [
    {
      at: startedAt + 100,
      text: `Starting ${w.name} (${w.image.split(':').pop()})`,
    },
    {
      at: startedAt + 600,
      text: 'Waiting for the database to accept connections...',
    },
    {
      at: startedAt + 1_400,
      text: 'Database is reachable, applying migrations',
    },
    {
      at: startedAt + 2_700,
      text: `FATAL: connection to server at "${w.name}-db.${
        w.namespace
      }.svc" (port 5432) failed: password authentication failed for user "${
        w.name.split('-')[0]
      }"`,
    },
    { at: startedAt + 2_900, text: 'Startup failed, exiting with status 1' },
  ];
}

function format(lines: Line[], timestamps: boolean) {
  return lines
    .map(l => {
      const ts = new Date(l.at)
        .toISOString()
        .replace(/\.(\d{3})Z$/, '.$1000000Z');
      return timestamps ? `${ts} ${l.text}\n` : `${l.text}\n`;
    })
    .join('');
}

/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the container's output
 * with the kubelet's errors for containers that never ran or have no
 * previous instance.
 */
export function podLogs(
  t: Topology,
  p: PodPlan,
  query: URLSearchParams,
  now: number,
): string {
  const w = p.workload;
  const container = query.get('container') || w.name;
  if (container !== w.name) {
    throw new KubeError(
      400,
      `container ${container} is not valid for pod ${p.name}`,
      'BadRequest',
    );
  }
  const previousParam = query.get('previous');
  const previous =
    previousParam !== null && !/^(0|f|false|n|no)$/i.test(previousParam);
  const state = containerState(t, p, now);
  let lines: Line[];
  switch (state.kind) {
    case 'pending':
      throw new KubeError(
        400,
        `container "${container}" in pod "${p.name}" is waiting to start: ContainerCreating`,
        'BadRequest',
      );
    case 'image-pull':
      throw new KubeError(
        400,
        `container "${container}" in pod "${p.name}" is waiting to start: trying and failing to pull image`,
        'BadRequest',
      );
    case 'running':
      if (previous) {
        throw new KubeError(
          400,
          `previous terminated container "${container}" in pod "${p.name}" not found`,
          'BadRequest',
        );
      }
      lines = healthyLines(p, state.startedAt, now);
      break;
    default: {
      // Current = the running instance or, while backing off, the one that
      // just exited; previous = the instance before that.
      const current =
        state.running?.startedAt ?? state.lastTerminated?.startedAt;
      const currentRun = state.restartCount;
      const prior =
        currentRun > 0
          ? runStart(state.firstStart, CRASH_RUN_MS, currentRun - 1)
          : undefined;
      const start = previous ? prior : current;
      if (start === undefined) {
        throw new KubeError(
          400,
          `previous terminated container "${container}" in pod "${p.name}" not found`,
          'BadRequest',
        );
      }
      lines = crashLines(p, start).filter(l => l.at <= now);
    }
  }
  const since = query.get('sinceSeconds');
  if (since && /^\d+$/.test(since))
    lines = lines.filter(l => l.at >= now - Number(since) * 1000);
  const tail = query.get('tailLines');
  if (tail && /^\d+$/.test(tail))
    lines = lines.slice(Math.max(0, lines.length - Number(tail)));
  let text = format(lines, query.get('timestamps') === 'true');
  const limit = query.get('limitBytes');
  if (limit && /^\d+$/.test(limit))
    text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
  return text;
}
