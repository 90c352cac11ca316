// packages/backend/Dockerfile cannot be built here (no Docker engine), so
// this checks it against what it copies: after `yarn build:all` every COPY
// source exists and passes .dockerignore, the bundle and skeleton hold what
// the image runs, and the image follows the rules (slim Node 22/24 base,
// production dependencies only, non-root, Debian mkdocs, one NODE_OPTIONS,
// CMD with both configs).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../e2e/lib/stage.mjs';

const dockerfile = fs.readFileSync(
  path.join(repoRoot, 'packages/backend/Dockerfile'),
  'utf8',
);
// Instructions with continuation lines joined, comments dropped.
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map(l => l.trim())
  .filter(l => l && !l.startsWith('#'));

/** COPY sources from the build context (not --from=stage). */
const contextSources = instructions
  .filter(l => /^COPY\s/.test(l) && !/--from=/.test(l))
  .flatMap(l => {
    const parts = l
      .split(/\s+/)
      .slice(1)
      .filter(p => !p.startsWith('--'));
    return parts.slice(0, -1);
  });

/** .dockerignore as Docker reads it: later lines win, `!` re-includes. */
function ignored(file) {
  const rules = fs
    .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'));
  let out = false;
  for (const rule of rules) {
    const negate = rule.startsWith('!');
    const pattern = negate ? rule.slice(1) : rule;
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\u0000/g, '.*')}(/.*)?$`,
    );
    if (re.test(file)) out = !negate;
  }
  return out;
}

test('every file the Dockerfile copies exists after yarn build:all and is sent to Docker', () => {
  assert.ok(contextSources.length >= 8, contextSources.join(' '));
  for (const source of contextSources) {
    assert.ok(
      fs.existsSync(path.join(repoRoot, source)),
      `${source} is missing (run yarn build:all first)`,
    );
    assert.equal(
      ignored(source),
      false,
      `${source} is excluded by .dockerignore`,
    );
  }
  for (const must of [
    'packages/backend/dist/skeleton.tar.gz',
    'packages/backend/dist/bundle.tar.gz',
    'yarn.lock',
    'package.json',
    '.yarnrc.yml',
    'app-config.yaml',
    'app-config.production.yaml',
  ]) {
    assert.ok(contextSources.includes(must), `the Dockerfile copies ${must}`);
  }
  // Nothing local leaks into the build context.
  for (const never of [
    'data/sqlite/catalog.sqlite',
    'app-config.local.yaml',
    '.sim-state/x',
    'node_modules/x',
  ]) {
    assert.equal(ignored(never), true, `${never} stays out of the image`);
  }
});

function tarList(file) {
  return execFileSync('tar', ['-tzf', path.join(repoRoot, file)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\n')
    .map(f => f.replace(/^\.\//, ''));
}

test('the skeleton and the bundle hold what the image installs and runs', () => {
  const skeleton = tarList('packages/backend/dist/skeleton.tar.gz');
  assert.ok(skeleton.includes('packages/backend/package.json'));
  // Every workspace package the backend needs at run time, by manifest.
  assert.ok(
    skeleton.some(f =>
      /^plugins\/permission-backend-module-homelab\/package\.json$/.test(f),
    ),
  );
  const bundle = tarList('packages/backend/dist/bundle.tar.gz');
  for (const f of [
    'packages/backend/dist/index.cjs.js',
    'packages/app/dist/index.html.tmpl',
    'plugins/permission-backend-module-homelab/config.schema.json',
  ]) {
    assert.ok(bundle.includes(f), `bundle has ${f}`);
  }
  // The backend's manifest points at what the CMD starts.
  const backendPkg = JSON.parse(
    fs.readFileSync(
      path.join(repoRoot, 'packages/backend/package.json'),
      'utf8',
    ),
  );
  assert.equal(backendPkg.main, 'dist/index.cjs.js');
});

test('the image follows the rules', () => {
  const froms = instructions.filter(l => /^FROM\s/.test(l));
  const nodeImage = /^ARG NODE_IMAGE=(node:(22|24)-[a-z]+-slim)$/m.exec(
    instructions.join('\n'),
  );
  assert.ok(nodeImage, 'a slim Node 22 or 24 base');
  assert.ok(froms.every(f => f.includes('${NODE_IMAGE}')));
  // The project's Node major.
  const versions = fs.readFileSync(
    path.join(repoRoot, 'script/versions'),
    'utf8',
  );
  assert.equal(/NODE_VERSION="?(\d+)/.exec(versions)[1], nodeImage[2]);
  assert.equal(
    /YARN_VERSION="?([\d.]+)/.exec(versions)[1],
    /ARG YARN_VERSION=([\d.]+)/.exec(dockerfile)[1],
    'the Yarn of script/versions',
  );
  assert.ok(
    instructions.some(l =>
      l.includes('yarn workspaces focus --all --production'),
    ),
  );
  assert.ok(
    instructions.some(l =>
      /apt-get install .*mkdocs mkdocs-material python3-pymdownx/.test(l),
    ),
    'Debian mkdocs for TechDocs',
  );
  // The final stage has no compilers.
  const finalStage = instructions.slice(instructions.lastIndexOf(froms.at(-1)));
  assert.ok(!finalStage.some(l => /apt-get install .*\bg\+\+/.test(l)));
  const user = finalStage.filter(l => /^USER\s/.test(l)).at(-1);
  assert.ok(user && !/\broot\b|\b0\b/.test(user), `non-root: ${user}`);
  assert.equal(
    instructions.filter(l => /NODE_OPTIONS/.test(l)).length,
    1,
    'NODE_OPTIONS set once',
  );
  assert.match(dockerfile, /ENV NODE_OPTIONS="--max-old-space-size=\d+"/);
  const cmd = JSON.parse(instructions.find(l => /^CMD\s/.test(l)).slice(4));
  assert.deepEqual(cmd, [
    'node',
    'packages/backend',
    '--config',
    'app-config.yaml',
    '--config',
    'app-config.production.yaml',
  ]);
});
