import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { parseAllDocuments } from 'yaml';
import { GitopsConfig, readGitopsConfig } from '../config';
import { DirectoryRepoSnapshot } from '../lib/repo/DirectoryRepoSnapshot';
import { OpenedRepo } from '../lib/repo/openRepo';

export const fixturesDir = path.resolve(__dirname, '../__fixtures__/repos');

export function testConfig(extra: Record<string, unknown> = {}): GitopsConfig {
  return readGitopsConfig(
    new ConfigReader({
      homelab: {
        gitops: {
          allowedDomains: ['home.example.org'],
          timezone: 'Europe/Paris',
          gateways: {
            internal: {
              name: 'internal',
              namespace: 'kube-system',
              sectionName: 'https',
            },
            external: {
              name: 'external',
              namespace: 'kube-system',
              sectionName: 'https',
            },
          },
          sealedSecrets: { certificateSource: 'static', certificate: 'unused' },
          ...extra,
        },
      },
    }),
  );
}

/** A fixture repo (flux or argocd) opened like a forge repo. */
export function fixtureRepo(
  name: 'flux' | 'argocd',
  root = path.join(fixturesDir, name),
): OpenedRepo {
  return {
    snapshot: new DirectoryRepoSnapshot(root, `home-ops/${name}@main`),
    webUrl: p => `https://github.com/home-ops/${name}/tree/main/${p}`,
  };
}

/** A copy of a fixture repo in a temp folder, to run kubectl on or edit. */
export function copyFixture(name: 'flux' | 'argocd'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-${name}-`));
  fs.cpSync(path.join(fixturesDir, name), dir, { recursive: true });
  return dir;
}

/** Overlays files (repo path → content) onto a folder. */
export function overlay(
  dir: string,
  files: Map<string, string> | Array<{ path: string; content: string }>,
) {
  const entries =
    files instanceof Map
      ? [...files.entries()]
      : files.map(f => [f.path, f.content] as const);
  for (const [p, content] of entries) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
}

export const kubectl = process.env.KUBECTL ?? 'kubectl';

/** `kubectl kustomize <dir>`, parsed: what Flux / Argo CD would apply. */
export function kustomize(
  root: string,
  dir: string,
): Array<Record<string, any>> {
  const out = execFileSync(kubectl, ['kustomize', path.join(root, dir)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out).map(d => d.toJS());
}

/** Every file under a folder, repo-relative → text. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}
