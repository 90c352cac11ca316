import type { ServerResponse } from 'node:http';
import type { ClusterModel } from '../cluster/ClusterModel';
import type { PodPlan } from '../cluster/topology';

/**
 * `GET .../pods/{name}/log?follow=true` (`kubectl logs -f`): what is there
 * now, then each new line as the container writes it, until the container
 * exits (a crash-looping one ends the stream with its run) or the client
 * goes away.
 */
export function followLogs(
  res: ServerResponse,
  model: ClusterModel,
  plan: PodPlan,
  query: URLSearchParams,
  headers: Record<string, string>,
) {
  const whole = new URLSearchParams(query);
  for (const p of ['tailLines', 'sinceSeconds', 'limitBytes']) whole.delete(p);
  const first = model.logs(plan, query);
  let seen = model.logs(plan, whole);
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/plain',
    'transfer-encoding': 'chunked',
  });
  res.write(first);
  // A container waiting to restart has nothing more to say: like the
  // kubelet, answer what its last run wrote and end.
  if (!model.isRunning(plan)) {
    res.end();
    return;
  }
  const tick = setInterval(() => {
    let now: string;
    try {
      now = model.logs(plan, whole);
    } catch {
      now = '';
    }
    const sameRun = now.startsWith(seen);
    if (sameRun && now.length > seen.length) res.write(now.slice(seen.length));
    seen = now;
    if (!sameRun || !model.isRunning(plan)) {
      // The container being followed has exited.
      clearInterval(tick);
      res.end();
    }
  }, 1000);
  res.on('close', () => clearInterval(tick));
}
