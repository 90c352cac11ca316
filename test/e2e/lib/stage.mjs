// Stages the production build of the backend (packages/backend/dist/bundle.tar.gz)
// into a folder and gives it a node_modules made of links into the repository's
// own install, so it runs exactly what the Docker image would run without a
// second `yarn install`. Workspace packages resolve to their built copies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../..',
);

export function stageBackend(outDir, { root = repoRoot } = {}) {
  const bundle = path.join(root, 'packages/backend/dist/bundle.tar.gz');
  if (!fs.existsSync(bundle)) {
    throw new Error(
      `No backend build at ${bundle}: run "yarn build:all" (script/test does) first.`,
    );
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  execFileSync('tar', ['-xzf', bundle, '-C', outDir]);

  // Workspace packages that the bundle carries, by package name.
  const staged = new Map();
  for (const group of ['packages', 'plugins']) {
    const dir = path.join(outDir, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const pkgJson = path.join(dir, name, 'package.json');
      if (fs.existsSync(pkgJson)) {
        staged.set(
          JSON.parse(fs.readFileSync(pkgJson, 'utf8')).name,
          path.join(dir, name),
        );
      }
    }
  }

  const from = path.join(root, 'node_modules');
  const to = path.join(outDir, 'node_modules');
  fs.mkdirSync(to);
  const link = (name, target) => {
    const dest = path.join(to, name);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.symlinkSync(target, dest);
  };
  for (const entry of fs.readdirSync(from)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(from, entry))) {
        const name = `${entry}/${sub}`;
        link(name, staged.get(name) ?? path.join(from, entry, sub));
      }
    } else {
      link(entry, staged.get(entry) ?? path.join(from, entry));
    }
  }
  return { dir: outDir, backendDir: path.join(outDir, 'packages/backend') };
}
