// Runs test/production in a private network namespace (the suite uses the
// Deployment's fixed port and the demo homelab's test ports) and a private
// mount namespace, where a tmpfs over /var/run lets the suite mount the
// Pod's service account and Secret files at the very paths the kubelet
// uses, without touching the machine. Needs root (CI runs as root).
// Builds first when the build is missing, like test/e2e.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../e2e/lib/stage.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const inside = process.env.HOMELAB_PRODUCTION_NAMESPACES === '1';

if (!inside) {
  if (process.getuid?.() !== 0) {
    console.error(
      '[production] needs root: it mounts the service account at /var/run/secrets/kubernetes.io/serviceaccount in a private mount namespace (unshare). Run it as root, as CI does.',
    );
    process.exit(1);
  }
  const bundle = path.join(repoRoot, 'packages/backend/dist/bundle.tar.gz');
  if (!fs.existsSync(bundle) || process.env.E2E_REBUILD === '1') {
    console.log('[production] building frontend and backend (yarn build:all)');
    execFileSync('yarn', ['build:all'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const result = spawnSync(
    'unshare',
    [
      '--mount',
      '--net',
      '--propagation',
      'private',
      '--',
      process.execPath,
      path.join(here, 'run.mjs'),
      ...process.argv.slice(2),
    ],
    {
      stdio: 'inherit',
      cwd: repoRoot,
      env: { ...process.env, HOMELAB_PRODUCTION_NAMESPACES: '1' },
    },
  );
  process.exit(result.status ?? 1);
}

execFileSync('ip', ['link', 'set', 'lo', 'up']);
execFileSync('mount', [
  '-t',
  'tmpfs',
  '-o',
  'mode=0755',
  'homelab-production',
  fs.realpathSync('/var/run'),
]);
const only = process.argv.slice(2);
const suites = fs
  .readdirSync(here)
  .filter(f => f.endsWith('.test.mjs'))
  .filter(f => only.length === 0 || only.some(o => f.includes(o)))
  .sort()
  .map(f => path.join(here, f));
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...suites],
  { stdio: 'inherit', cwd: repoRoot },
);
process.exit(result.status ?? 1);
