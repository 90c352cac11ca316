// Latency of the Talos views and how many Talos API calls they cost, through
// the production-build backend against the demo homelab with 20 ms of latency
// injected on every gRPC call (sim fault `talos:latency:ms=20`).
//
//   node bench/talos-views.mjs [--samples 15] [--users 50] [--seconds 30]
//
// Phase 1, cold: the portal runs with a 1 ms cache, so every request is a
//   full refresh; each view is requested `samples` times one after another,
//   with 0 ms and with 20 ms injected latency. Upstream calls per request are
//   counted by the sim (GET /_sim/talos-calls).
// Phase 2, shared cache: the portal's default settings (10 s cache, sampling
//   while watched); `users` clients each request the cluster page and a node
//   view back to back for `seconds`; latency percentiles, throughput and Talos
//   API calls per 10 s. Then the same with one client, for comparison.
// Results go to bench/results/talos-views-<date>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch } from 'undici';
import { Portal } from '../test/e2e/lib/portal.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { median, percentile, round, sleep } from './lib/measure.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const samples = opt('samples', 15);
const users = opt('users', 50);
const seconds = opt('seconds', 30);

const CLUSTER = '/api/talos/clusters/homelab';
const NODE = '/api/talos/clusters/homelab/nodes/192.168.1.22';
const VM_TAB =
  '/api/talos/entity?entityRef=resource%3Adefault%2Fproxmox-home-vm-101';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-bench-talos-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { talos: 0, proxmox: 0, kubernetes: 0, forge: 0, admin: 0 },
});

let factoryUrl;
let dispatcher;
async function talosCalls() {
  const res = await fetch(`${factoryUrl}/_sim/talos-calls`, { dispatcher });
  const counts = await res.json();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function timed(portal, token, url) {
  const start = performance.now();
  const res = await fetch(`${portal.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return performance.now() - start;
}

async function startPortal(name, talosOverrides) {
  const demo = JSON.parse(
    fs.readFileSync(sim.info.portalConfig, 'utf8').replace(/^#.*\n/, ''),
  );
  const portal = new Portal({
    workDir,
    port: 7020,
    name,
    configFiles: [sim.info.portalConfig],
    env: { NODE_EXTRA_CA_CERTS: sim.info.caFile },
    extraConfig: talosOverrides
      ? { talos: { ...demo.talos, ...talosOverrides } }
      : {},
  });
  await portal.start();
  return portal;
}

function stats(values) {
  return {
    n: values.length,
    p50: round(median(values)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(Math.max(...values)),
  };
}

async function cold(portal, token, latencyMs) {
  await sim.clearFaults('talos');
  if (latencyMs)
    await sim.addFault({ service: 'talos', kind: 'latency', ms: latencyMs });
  const out = {};
  for (const [label, url] of [
    ['cluster page', CLUSTER],
    ['node view', NODE],
    ['VM tab', VM_TAB],
  ]) {
    await timed(portal, token, url); // warm the slow-changing facts once
    const times = [];
    const calls = [];
    for (let i = 0; i < samples; i++) {
      await sleep(20);
      const before = await talosCalls();
      times.push(await timed(portal, token, url));
      calls.push((await talosCalls()) - before);
    }
    out[label] = {
      latencyMs: stats(times),
      talosCallsPerRequest: median(calls),
    };
  }
  return out;
}

async function load(portal, token, clients) {
  const latencies = { 'cluster page': [], 'node view': [] };
  const before = await talosCalls();
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let requests = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        latencies['cluster page'].push(await timed(portal, token, CLUSTER));
        latencies['node view'].push(await timed(portal, token, NODE));
        requests += 2;
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const calls = (await talosCalls()) - before;
  return {
    clients,
    seconds: round(elapsed),
    requestsPerSecond: round(requests / elapsed),
    talosCallsPer10s: round((calls / elapsed) * 10),
    latencyMs: {
      'cluster page': stats(latencies['cluster page']),
      'node view': stats(latencies['node view']),
    },
  };
}

async function main() {
  await sim.start();
  const demo = JSON.parse(
    fs.readFileSync(sim.info.portalConfig, 'utf8').replace(/^#.*\n/, ''),
  );
  factoryUrl = demo.talos.upgrades.imageFactory.url;
  dispatcher = new Agent({ connect: { ca: sim.ca } });
  const result = { date: new Date().toISOString(), samples, users, seconds };

  console.log('[bench] phase 1: cold (1 ms cache), 0 and 20 ms gRPC latency');
  let portal = await startPortal('bench-talos-cold', { cacheSeconds: 0.001 });
  try {
    const token = await portal.guestToken();
    await waitForLinks(portal, token);
    // Let the backend finish its start-up work (catalog, docs) and warm up.
    await sleep(30_000);
    for (let i = 0; i < 10; i++) {
      for (const url of [CLUSTER, NODE, VM_TAB])
        await timed(portal, token, url);
    }
    result.cold = {
      '0 ms': await cold(portal, token, 0),
      '20 ms': await cold(portal, token, 20),
    };
  } finally {
    await portal.stop();
  }

  console.log(
    `[bench] phase 2: default cache, ${users} users and 1 user, 20 ms gRPC latency`,
  );
  portal = await startPortal('bench-talos-shared');
  try {
    const token = await portal.guestToken();
    await waitForLinks(portal, token);
    await sim.clearFaults('talos');
    await sim.addFault({ service: 'talos', kind: 'latency', ms: 20 });
    result.shared = [
      await load(portal, token, users),
      await load(portal, token, 1),
    ];
  } finally {
    await portal.stop();
    await sim.stop();
  }

  const outDir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(
    outDir,
    `talos-views-${result.date.slice(0, 10)}.json`,
  );
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(`[bench] written to ${file}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

/** The VM tab needs the VM entities from the Proxmox provider; wait for them. */
async function waitForLinks(portal, token) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${portal.baseUrl}${VM_TAB}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    if (res.ok) return;
    if (Date.now() > deadline)
      throw new Error(`GET ${VM_TAB}: HTTP ${res.status}`);
    await sleep(2000);
  }
}

main().catch(async error => {
  console.error(error);
  await sim.stop();
  process.exit(1);
});
