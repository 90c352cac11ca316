// The Proxmox entity provider at homelab-that-grew-up size: a generated
// household of 20 nodes and 5,000 guests (plus the real one's), the
// production-build backend, SQLite. Measures the time from starting the
// backend until every generated entity can be queried in the catalog, the
// provider's own refresh time, and the backend's memory.
//
//   node bench/proxmox-provider.mjs [--nodes 20] [--guests 5000]
//
// Results go to bench/results/proxmox-provider-<date>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { Portal } from '../test/e2e/lib/portal.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { median, memoryOf, round, sleep } from './lib/measure.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const nodes = opt('nodes', 20);
const guests = opt('guests', 5000);

const workDir = fs.mkdtempSync(
  path.join(os.tmpdir(), 'bench-proxmox-provider-'),
);
const household = parse(
  fs.readFileSync(
    path.join(repoRoot, 'packages/homelab-sim/scenarios/household.yaml'),
    'utf8',
  ),
);
household.proxmox.generate = { nodes, guests };
const scenarioFile = path.join(workDir, 'big-household.yaml');
fs.writeFileSync(scenarioFile, stringify(household));

const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: 28107, proxmox: 28106 },
  only: ['proxmox'],
  scenarioFile,
});

async function main() {
  await sim.start();
  const expected =
    nodes +
    (household.proxmox.guests.length + guests) +
    nodes * household.proxmox.nodes[0].storage.length;
  const portal = new Portal({
    workDir,
    port: 7019,
    name: 'bench-provider',
    configFiles: [sim.info.portalConfig],
    env: { NODE_EXTRA_CA_CERTS: sim.info.caFile },
    // One refresh during the measurement: the first, at start.
    extraConfig: {
      catalog: {
        locations: [
          { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
        ],
        providers: {
          proxmox: {
            schedule: { frequency: { minutes: 30 }, timeout: { minutes: 10 } },
          },
        },
      },
    },
  });
  const count = async () => {
    const res = await portal.apiGet(
      '/api/catalog/entities/by-query?filter=kind=resource,spec.system=homelab&fields=metadata.name&limit=1',
    );
    return res.totalItems;
  };
  try {
    const t0 = Date.now();
    await portal.start({ timeoutMs: 600_000 });
    const readyMs = Date.now() - t0;
    let total = 0;
    let allAt;
    const rss = [];
    while (Date.now() - t0 < 30 * 60_000) {
      try {
        // Hand-written resources of system homelab are in the count too.
        total = await count();
      } catch {
        // catalog not answering yet
      }
      rss.push(memoryOf(portal.process.pid).rssMiB);
      const generated = await portal
        .apiGet(
          `/api/catalog/entities/by-query?filter=kind=resource,metadata.annotations.proxmox.homelab.dev/instance=home&fields=metadata.name&limit=1`,
        )
        .then(r => r.totalItems)
        .catch(() => 0);
      if (generated >= expected) {
        allAt = Date.now() - t0;
        break;
      }
      process.stdout.write(
        `\r[bench] ${generated}/${expected} generated entities queryable`,
      );
      await sleep(2000);
    }
    process.stdout.write('\n');
    // Steady memory after the catalog settled.
    const settled = [];
    for (let i = 0; i < 15; i++) {
      settled.push(memoryOf(portal.process.pid).rssMiB);
      await sleep(2000);
    }
    const refreshLine = portal
      .logText()
      .split('\n')
      .find(l => l.includes('Proxmox catalog refresh of'));
    const result = {
      date: new Date().toISOString(),
      nodes,
      guests: household.proxmox.guests.length + guests,
      expectedEntities: expected,
      resourcesOfSystemHomelab: total,
      backendReadyMs: readyMs,
      allEntitiesQueryableMs: allAt ?? null,
      providerRefresh: refreshLine
        ? /: (.*?)"/.exec(refreshLine)?.[1] ?? refreshLine
        : null,
      rssMiBDuringIngestMax: round(Math.max(...rss), 0),
      rssMiBSteadyMedian: round(median(settled), 0),
      peakRssMiB: round(memoryOf(portal.process.pid).peakMiB, 0),
    };
    fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
    const file = path.join(
      repoRoot,
      `bench/results/proxmox-provider-${result.date.slice(0, 10)}.json`,
    );
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.table([result]);
    console.log(`[bench] written to ${path.relative(repoRoot, file)}`);
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
