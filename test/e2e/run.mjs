// Runs the end-to-end suites one after another (they start real backends on
// fixed ports). Builds first when the build is missing or older than the code.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/stage.mjs';

const bundle = path.join(repoRoot, 'packages/backend/dist/bundle.tar.gz');
if (!fs.existsSync(bundle) || process.env.E2E_REBUILD === '1') {
  console.log('[e2e] building frontend and backend (yarn build:all)');
  execFileSync('yarn', ['build:all'], { cwd: repoRoot, stdio: 'inherit' });
}

const here = path.dirname(new URL(import.meta.url).pathname);
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
