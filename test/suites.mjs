// Runs the suites that start real servers (test/conformance, each file of
// test/e2e, test/production, test/deploy, each file of test/replicas) side by
// side, each in a network namespace of its own so that their fixed ports
// cannot meet. Much of their time is spent waiting (a backend starting, a
// schedule coming round, a browser rendering), so two cores carry more than
// one of them at a time. Without root (no `unshare`) they run one by one.
//
//   node test/suites.mjs [--jobs N] [name ...]     names filter by substring
//
// Each suite's output goes to test-results/suites/<name>.log and is printed
// whole when the suite fails; a table of durations ends the run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
);
const logDir = path.join(root, 'test-results/suites');

// `--jobs N` runs N at a time. (Started beside the unit tests instead, the
// suites and Jest took longer together than one after the other: the
// machine has two cores and both want them.)
let jobsFlag;
const only = [];
for (const args = process.argv.slice(2); args.length > 0; ) {
  const a = args.shift();
  if (a === '--jobs') jobsFlag = Number(args.shift());
  else only.push(a);
}

const canIsolate =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['-n', '--', 'true']).status === 0;
const jobs = canIsolate
  ? jobsFlag || Number(process.env.TEST_SUITE_JOBS) || 3
  : 1;

const files = dir =>
  fs
    .readdirSync(path.join(root, dir))
    .filter(f => f.endsWith('.test.mjs'))
    .sort()
    .map(f => path.join(dir, f));

const nodeTest = (...suiteFiles) => [
  process.execPath,
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...suiteFiles,
];

// Longest first, so the tail of the run is short suites filling gaps.
const suites = [
  ...files('test/replicas').map(f => ({
    name: `replicas/${path.basename(f, '.test.mjs')}`,
    argv: nodeTest(f),
  })),
  ...files('test/e2e').map(f => ({
    name: `e2e/${path.basename(f, '.test.mjs')}`,
    argv: nodeTest(f),
  })),
  { name: 'conformance', argv: nodeTest(...files('test/conformance')) },
  // It makes its own mount and network namespaces.
  {
    name: 'production',
    argv: [process.execPath, 'test/production/run.mjs'],
    ownNamespace: true,
  },
  { name: 'deploy', argv: nodeTest(...files('test/deploy')) },
].filter(s => only.length === 0 || only.some(o => s.name.includes(o)));

const expected = {
  'replicas/replicas': 200,
  'replicas/data-safety': 100,
  'e2e/delivery': 75,
  'e2e/gitops': 65,
  conformance: 75,
  production: 60,
};
suites.sort((a, b) => (expected[b.name] ?? 40) - (expected[a.name] ?? 40));

// Every suite but conformance runs the production build; build once, first.
const bundle = path.join(root, 'packages/backend/dist/bundle.tar.gz');
if (
  suites.some(s => s.name !== 'conformance') &&
  (!fs.existsSync(bundle) || process.env.E2E_REBUILD === '1')
) {
  console.log('[suites] building frontend and backend (yarn build:all)');
  execFileSync('yarn', ['build:all'], { cwd: root, stdio: 'inherit' });
}

fs.mkdirSync(logDir, { recursive: true });
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;

/** Children's user + system seconds from a POSIX `times` report. */
function cpuSeconds(file) {
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const total = [...(lines[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  return Math.round(total);
}

function run(suite) {
  const logFile = path.join(logDir, `${suite.name.replace('/', '-')}.log`);
  const out = fs.openSync(logFile, 'w');
  // `times` in the wrapping shell gives the CPU the suite's whole process
  // tree used (its servers and browsers are its children): the cost that
  // decides how many fit side by side on two cores.
  const cpuFile = `${logFile}.cpu`;
  fs.rmSync(cpuFile, { force: true });
  const isolate =
    canIsolate && !suite.ownNamespace ? 'ip link set lo up && ' : '';
  const script = `${isolate}"$@"; rc=$?; times > "${cpuFile}"; exit $rc`;
  const [cmd, ...argv] = [
    ...(canIsolate && !suite.ownNamespace ? ['unshare', '-n', '--'] : []),
    'sh',
    '-c',
    script,
    'sh',
    ...suite.argv,
  ];
  const t0 = Date.now();
  console.log(`[suites +${elapsed()}] start ${suite.name}`);
  return new Promise(resolve => {
    const child = spawn(cmd, argv, {
      cwd: root,
      stdio: ['ignore', out, out],
      env: process.env,
    });
    child.on('exit', (code, signal) => {
      fs.closeSync(out);
      const seconds = Math.round((Date.now() - t0) / 1000);
      const cpu = cpuSeconds(cpuFile);
      const ok = code === 0;
      console.log(
        `[suites +${elapsed()}] ${ok ? 'pass' : 'FAIL'} ${
          suite.name
        } (${seconds} s, ${cpu ?? '?'} CPU-s)`,
      );
      if (!ok) {
        console.log(`----- ${suite.name}: ${logFile} -----`);
        console.log(fs.readFileSync(logFile, 'utf8'));
        console.log(
          `----- end of ${suite.name} (exit ${code ?? signal}) -----`,
        );
      }
      resolve({ name: suite.name, ok, seconds, cpu, logFile });
    });
  });
}

console.log(
  `[suites] ${suites.length} suites, ${jobs} at a time${
    canIsolate
      ? ', each in its own network namespace'
      : ' (no root: one by one)'
  }; logs in ${path.relative(root, logDir)}/ (${os.cpus().length} cpus)`,
);
const queue = [...suites];
const results = [];
const worker = async () => {
  while (queue.length > 0) results.push(await run(queue.shift()));
};
const workers = Array.from({ length: Math.min(jobs, queue.length) }, worker);
await Promise.all(workers);

const cpuTotal = results.reduce((sum, r) => sum + (r.cpu ?? 0), 0);
console.log(`\n[suites] done in ${elapsed()}, ${cpuTotal} CPU-s in all`);
console.log('  result  wall  CPU-s  suite');
for (const r of results.sort((a, b) => b.seconds - a.seconds)) {
  console.log(
    `  ${r.ok ? 'pass' : 'FAIL'}  ${String(r.seconds).padStart(6)} s ${String(
      r.cpu ?? '?',
    ).padStart(6)}  ${r.name}`,
  );
}
const failed = results.filter(r => !r.ok);
if (failed.length > 0) {
  console.log(`[suites] failed: ${failed.map(r => r.name).join(', ')}`);
  process.exit(1);
}
