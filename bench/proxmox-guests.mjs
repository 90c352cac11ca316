// The Proxmox guests route under load, next to upstream
// @backstage/plugin-proxy-backend passing the same request straight through
// to Proxmox, in the same run against the same demo Proxmox with 50 ms of
// injected latency on every API call.
//
//   node bench/proxmox-guests.mjs [--clients 200] [--seconds 30]
//
// Per phase: N concurrent clients (one keep-alive connection each) loop on
// one URL as the signed-in guest for the given time. Reported: requests,
// throughput, p50/p99 latency, errors, and upstream calls (counted by the
// sim per endpoint) scaled to calls per 10 s. Results go to
// bench/results/proxmox-guests-<date>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { Portal } from '../test/e2e/lib/portal.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { percentile, round, sleep } from './lib/measure.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const clients = opt('clients', 200);
const seconds = opt('seconds', 30);
const latencyMs = 50;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-proxmox-guests-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: 28107, proxmox: 28106 },
  only: ['proxmox'],
  faults: [`proxmox:latency:ms=${latencyMs},path=^/api2/`],
});

async function upstreamCalls() {
  const res = await fetch(`${sim.url('proxmox')}/_sim/requests`, {
    dispatcher: sim.dispatcher,
  });
  return res.json();
}

async function phase(name, url, token) {
  const agent = new Agent({ connections: clients, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  const firstError = [];
  const before = await upstreamCalls();
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        try {
          const res = await request(url, {
            dispatcher: agent,
            headers: { authorization: `Bearer ${token}` },
          });
          const body = await res.body.text();
          if (res.statusCode !== 200) {
            errors++;
            if (firstError.length < 1)
              firstError.push(`${res.statusCode} ${body.slice(0, 200)}`);
          } else {
            latencies.push(performance.now() - t0);
          }
        } catch (error) {
          errors++;
          if (firstError.length < 1) firstError.push(String(error));
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const after = await upstreamCalls();
  await agent.close();
  const upstream = after.total - before.total;
  const byEndpoint = {};
  for (const [k, v] of Object.entries(after.byEndpoint)) {
    const d = v - (before.byEndpoint[k] ?? 0);
    if (d) byEndpoint[k] = d;
  }
  return {
    name,
    url: url.replace(/^http:\/\/[^/]+/, ''),
    clients,
    seconds: round(elapsed, 1),
    requests: latencies.length,
    errors,
    firstError: firstError[0],
    throughputPerSecond: round(latencies.length / elapsed, 1),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    upstreamCalls: upstream,
    upstreamCallsPer10s: round((upstream / elapsed) * 10, 1),
    upstreamByEndpoint: byEndpoint,
  };
}

async function main() {
  await sim.start();
  const secret = fs
    .readFileSync(
      path.join(sim.stateDir, 'proxmox/catalog-token-secret'),
      'utf8',
    )
    .trim();
  const portal = new Portal({
    workDir,
    port: 7019,
    name: 'bench-proxmox',
    configFiles: [sim.info.portalConfig],
    env: { NODE_EXTRA_CA_CERTS: sim.info.caFile },
    extraConfig: {
      // The same request, passed straight through by the upstream proxy plugin.
      proxy: {
        endpoints: {
          '/pve': {
            target: `${sim.url('proxmox')}/api2/json`,
            headers: {
              Authorization: `PVEAPIToken=backstage@pve!catalog=${secret}`,
            },
            allowedMethods: ['GET'],
          },
        },
      },
    },
  });
  try {
    await portal.start();
    const token = await portal.guestToken();
    const base = portal.baseUrl;
    // Warm both paths (first reads, backup history, JIT) before measuring.
    for (const u of [
      '/api/proxmox/instances/home/guests',
      '/api/proxy/pve/cluster/resources',
    ]) {
      for (let i = 0; i < 5; i++) {
        await request(`${base}${u}`, {
          headers: { authorization: `Bearer ${token}` },
        }).then(r => r.body.text());
        await sleep(300);
      }
    }
    await sleep(2000);
    const ours = await phase(
      'proxmox-backend guests route',
      `${base}/api/proxmox/instances/home/guests`,
      token,
    );
    await sleep(2000);
    const proxy = await phase(
      'proxy-backend pass-through',
      `${base}/api/proxy/pve/cluster/resources`,
      token,
    );
    const result = {
      date: new Date().toISOString(),
      latencyMs,
      clients,
      phases: [ours, proxy],
    };
    fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
    const file = path.join(
      repoRoot,
      `bench/results/proxmox-guests-${result.date.slice(0, 10)}.json`,
    );
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.table(
      [ours, proxy].map(p => ({
        phase: p.name,
        requests: p.requests,
        errors: p.errors,
        'req/s': p.throughputPerSecond,
        'p50 ms': p.p50Ms,
        'p99 ms': p.p99Ms,
        'upstream calls': p.upstreamCalls,
        'upstream /10 s': p.upstreamCallsPer10s,
      })),
    );
    console.log(
      JSON.stringify({
        ours: ours.upstreamByEndpoint,
        proxy: proxy.upstreamByEndpoint,
      }),
    );
    if (ours.firstError || proxy.firstError)
      console.log('first errors:', ours.firstError, proxy.firstError);
    console.log(`[bench] written to ${path.relative(repoRoot, file)}`);
    const problems = portal
      .logText()
      .split('\n')
      .filter(l => /"level":"(warn|error)"/.test(l));
    if (problems.length)
      console.log(
        `[bench] backend warnings/errors: ${
          problems.length
        }, first: ${problems[0].slice(0, 300)}`,
      );
  } finally {
    await portal.stop();
    await sim.stop();
  }
}

main().catch(async error => {
  console.error(error);
  await sim.stop();
  process.exit(1);
});
