// The production-build backend on PostgreSQL, started the way the cluster
// starts it (app-config.yaml + app-config.production.yaml, connection from
// env vars, the demo homelab as Proxmox/Talos/Kubernetes): time to ready,
// steady RSS once the catalog has settled, RSS after some load (catalog
// pages, search, a few template runs), peak RSS. k8s/base/deployment.yaml
// takes its memory request and limit from these numbers.
//
//   source script/env && yarn build:all && node bench/postgres-memory.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryOf, median, round, sleep } from './lib/measure.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { Postgres } from '../test/replicas/lib/postgres.mjs';
import { ProductionPortal } from '../test/replicas/lib/productionPortal.mjs';
import {
  call,
  runTemplate,
  signInWhenMemberOf,
} from '../test/e2e/lib/household.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-bench-pg-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: 0, proxmox: 0, talos: 0, kubernetes: 0, forge: 0 },
});
const postgres = new Postgres();
const portal = new ProductionPortal({
  workDir,
  port: 7023,
  name: 'bench-pg',
  postgres,
  sim,
});

async function samples(count, everyMs) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(memoryOf(portal.process.pid).rssMiB);
    await sleep(everyMs);
  }
  return out;
}

try {
  await sim.start();
  await postgres.start();
  await portal.start();
  const readyMs = portal.readyAfterMs;
  const token = await signInWhenMemberOf(portal, 'group:default/home-admins');
  let last = -1;
  let stable = 0;
  while (stable < 3) {
    const { json } = await call(
      portal,
      token,
      'GET',
      '/api/catalog/entities?fields=kind',
    );
    stable = json.length === last ? stable + 1 : 0;
    last = json.length;
    await sleep(2000);
  }
  const settledMs = Date.now() - portal.startedAt;
  const steady = await samples(30, 2000);
  // Some use: every catalog page a person would open, searches, templates.
  for (let round_ = 0; round_ < 5; round_++) {
    await call(portal, token, 'GET', '/api/catalog/entities?limit=500');
    await call(portal, token, 'GET', '/api/catalog/entity-facets?facet=kind');
    await call(portal, token, 'GET', '/api/search/query?term=immich');
    await call(portal, token, 'GET', '/api/kubernetes/clusters');
    await runTemplate(portal, token, { marker: `bench-${round_}` });
  }
  const loaded = await samples(15, 2000);
  const { peakMiB } = memoryOf(portal.process.pid);
  const result = {
    when: new Date().toISOString(),
    node: process.version,
    entities: last,
    readyMs,
    settledMs,
    steadyRssMiB: round(median(steady)),
    afterLoadRssMiB: round(median(loaded)),
    maxSampledRssMiB: round(Math.max(...steady, ...loaded)),
    peakRssMiB: round(peakMiB),
  };
  fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(repoRoot, 'bench/results/postgres-memory.json'),
    JSON.stringify(result, null, 2),
  );
  console.table(result);
} finally {
  await portal.stop();
  await postgres.stop();
  postgres.remove();
  await sim.stop();
}
