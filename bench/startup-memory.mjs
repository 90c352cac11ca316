// Startup time and steady memory of the production-build backend, ours next to
// a stock `@backstage/create-app` 1.55 backend built and measured the same way
// in the same run (same Node, same staging, same SQLite overlay, same probes).
//
//   node bench/startup-memory.mjs [--samples 30] [--warmup 120] [--skip-stock] [--skip-sim]
//
// Three backends: ours with the household catalog only, ours connected to the
// demo homelab (every plugin configured: Proxmox, Talos, Kubernetes, the
// forge's GitOps repositories), and the stock app. Steps per backend: stage
// dist/bundle.tar.gz, start it, time until /.backstage/health/v1/readiness
// answers 200, wait until the catalog's entity count stops changing, then
// sample RSS every 2 s. At the end each backend writes an inventory
// (bench/lib/module-inventory.cjs: memory by kind, loaded modules by
// package), and the packages that only ours loads are listed by size.
// Results go to bench/results/startup-memory-<date>.json. The demo homelab
// listens on the e2e test ports: run this inside `unshare -n` when other
// suites may be running.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Portal } from '../test/e2e/lib/portal.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { median, memoryOf, round, sleep } from './lib/measure.mjs';

const args = process.argv.slice(2);
const samples = Number(args[args.indexOf('--samples') + 1] || 30) || 30;
// Seconds between the catalog settling and the steady samples. Every backend
// carries its start-up garbage (a heap ~180 MiB larger) until V8's memory
// reducer runs, which takes between half a minute and two minutes after the
// start-up work ends; sampling before that measures when the reducer ran,
// not what the backend keeps. RSS is sampled through the warm-up too, and
// its highest value is reported as the start-up plateau.
const warmupSeconds =
  Number(args[args.indexOf('--warmup') + 1] || 120) || 120;
const skipStock = args.includes('--skip-stock');
const skipSim = args.includes('--skip-sim');
const inventoryModule = path.join(repoRoot, 'bench/lib/module-inventory.cjs');
const CREATE_APP_VERSION = '0.9.2'; // generates Backstage 1.55.0

function sh(cmd, argv, cwd, extraEnv = {}) {
  execFileSync(cmd, argv, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
}

/** Generates the stock app and pins it to the same 1.55 set as ours. */
function prepareStockApp(dir) {
  const marker = path.join(dir, '.bench-ready');
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  console.log(
    `[bench] generating a stock app with @backstage/create-app@${CREATE_APP_VERSION}`,
  );
  sh(
    'npx',
    [
      '-y',
      `@backstage/create-app@${CREATE_APP_VERSION}`,
      '--skip-install',
      '--path',
      dir,
    ],
    path.dirname(dir),
    {
      BACKSTAGE_APP_NAME: 'stock',
    },
  );
  // Same pins as ours: caret ranges here would pull 1.57 packages and the
  // stock backend would not start (notes/backstage-platform.md §0).
  const ours = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
  );
  const pkgFile = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.resolutions = { ...pkg.resolutions };
  for (const [name, version] of Object.entries(ours.resolutions)) {
    if (name.startsWith('@backstage/') && !version.startsWith('patch:'))
      pkg.resolutions[name] = version;
  }
  pkg.dependenciesMeta = ours.dependenciesMeta;
  delete pkg.packageManager;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  fs.copyFileSync(
    path.join(repoRoot, '.yarnrc.yml'),
    path.join(dir, '.yarnrc.yml'),
  );
  fs.rmSync(path.join(dir, '.yarn/releases'), { recursive: true, force: true });
  fs.writeFileSync(path.join(dir, 'yarn.lock'), '');
  console.log(
    '[bench] installing and building the stock app (several minutes)',
  );
  sh('yarn', ['install'], dir, { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' });
  sh('yarn', ['build:all'], dir);
  fs.writeFileSync(marker, new Date().toISOString());
}

async function catalogCount(portal) {
  try {
    const items = await portal.apiGet(
      '/api/catalog/entities?fields=metadata.uid',
    );
    return items.length;
  } catch {
    return -1;
  }
}

/** Asks the backend for its inventory (SIGUSR2) and waits for the file. */
async function inventoryOf(portal, file) {
  portal.process.kill('SIGUSR2');
  for (let i = 0; i < 50 && !fs.existsSync(file); i++) await sleep(200);
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
}

async function measure({ name, root, port, extraConfig, sim }) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const inventoryFile = path.join(workDir, 'inventory.json');
  const options = { workDir, port, name, root, extraConfig };
  const portal = sim ? Portal.forSim(sim, options) : new Portal(options);
  portal.env = {
    ...portal.env,
    NODE_OPTIONS: `--require ${inventoryModule}`,
    MODULE_INVENTORY_FILE: inventoryFile,
  };
  await portal.start({ timeoutMs: 300_000 });
  const readyMs = portal.readyAfterMs;

  // Catalog settled: the entity count is the same three polls in a row.
  let last = -2;
  let stable = 0;
  const settleStart = Date.now();
  while (stable < 3 && Date.now() - settleStart < 180_000) {
    await sleep(5000);
    const count = await catalogCount(portal);
    stable = count === last && count > 0 ? stable + 1 : 0;
    last = count;
  }
  const warmup = [];
  for (let i = 0; i < warmupSeconds / 2; i++) {
    warmup.push(memoryOf(portal.process.pid).rssMiB);
    await sleep(2000);
  }
  const rss = [];
  for (let i = 0; i < samples; i++) {
    rss.push(memoryOf(portal.process.pid).rssMiB);
    await sleep(2000);
  }
  const { peakMiB } = memoryOf(portal.process.pid);
  const inventory = await inventoryOf(portal, inventoryFile);
  await portal.stop();
  inventories[name] = inventory;
  return {
    name,
    readyMs,
    catalogEntities: last,
    steadyRssMiB: round(median(rss)),
    startupPlateauMiB: round(Math.max(...warmup, ...rss)),
    minRssMiB: round(Math.min(...rss)),
    maxRssMiB: round(Math.max(...rss)),
    peakRssMiB: round(peakMiB),
    heapUsedMiB: round((inventory?.memory.heapUsed ?? NaN) / 2 ** 20),
    externalMiB: round((inventory?.memory.external ?? NaN) / 2 ** 20),
    modules: inventory?.modules,
  };
}

const inventories = {};

/** Packages one backend loads and the other does not, largest first. */
function onlyIn(a, b, top = 25) {
  if (!a || !b) return [];
  return Object.entries(a.packages)
    .filter(([pkg]) => !b.packages[pkg])
    .map(([pkg, p]) => ({
      pkg,
      modules: p.modules,
      kib: round(p.bytes / 1024),
    }))
    .sort((x, y) => y.kib - x.kib)
    .slice(0, top);
}

if (
  !fs.existsSync(path.join(repoRoot, 'packages/backend/dist/bundle.tar.gz'))
) {
  sh('yarn', ['build:all'], repoRoot);
}
const results = [];
results.push(
  await measure({ name: 'homelab-portal', root: repoRoot, port: 7031 }),
);
if (!skipSim) {
  const sim = new Sim({
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sim-')),
  });
  await sim.start();
  try {
    results.push(
      await measure({
        name: 'homelab-portal+demo-homelab',
        root: repoRoot,
        port: 7033,
        sim,
      }),
    );
  } finally {
    await sim.stop();
  }
}
if (!skipStock) {
  const stockDir = path.join(os.tmpdir(), 'homelab-bench-stock-app');
  prepareStockApp(stockDir);
  // The stock app reads its example catalog relative to its own folder.
  results.push(
    await measure({
      name: 'stock-create-app-1.55',
      root: stockDir,
      port: 7032,
      extraConfig: {
        catalog: {
          locations: [
            {
              type: 'file',
              target: path.join(stockDir, 'examples/entities.yaml'),
            },
            {
              type: 'file',
              target: path.join(stockDir, 'examples/template/template.yaml'),
              rules: [{ allow: ['Template'] }],
            },
            {
              type: 'file',
              target: path.join(stockDir, 'examples/org.yaml'),
              rules: [{ allow: ['User', 'Group'] }],
            },
          ],
        },
      },
    }),
  );
}

const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  samplesPerBackend: samples,
  warmupSeconds,
  results,
  onlyOurs: onlyIn(
    inventories['homelab-portal+demo-homelab'] ?? inventories['homelab-portal'],
    inventories['stock-create-app-1.55'],
  ),
  onlyStock: onlyIn(
    inventories['stock-create-app-1.55'],
    inventories['homelab-portal+demo-homelab'] ?? inventories['homelab-portal'],
  ),
};
fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
const file = path.join(
  repoRoot,
  `bench/results/startup-memory-${out.date.slice(0, 10)}.json`,
);
fs.writeFileSync(file, JSON.stringify(out, null, 2));
console.table(results);
if (out.onlyOurs.length) {
  console.log('[bench] packages only ours loads (largest first):');
  console.table(out.onlyOurs);
  console.log('[bench] packages only the stock backend loads:');
  console.table(out.onlyStock);
}
console.log(`[bench] written to ${path.relative(repoRoot, file)}`);
