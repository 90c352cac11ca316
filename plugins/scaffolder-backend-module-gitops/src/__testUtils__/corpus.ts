import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirectoryRepoSnapshot } from '../lib/repo/DirectoryRepoSnapshot';
import { OpenedRepo } from '../lib/repo/openRepo';

/** The fixture repositories modelled on real home-ops repositories (see __fixtures__/corpus/README.md). */
export const corpusDir = path.resolve(__dirname, '../__fixtures__/corpus');

export const CORPUS = fs
  .readdirSync(corpusDir, { withFileTypes: true })
  .filter(e => e.isDirectory())
  .map(e => e.name)
  .sort();

/**
 * A fixture as a real git repository in a temporary folder: its files in
 * the first commit, then its history.txt as commits (oldest first), each
 * with its author, so the commit-message convention is read by git.
 */
export function corpusRepo(name: string): {
  dir: string;
  open: () => OpenedRepo;
  remove: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-corpus-${name}-`));
  fs.cpSync(path.join(corpusDir, name, 'repo'), dir, { recursive: true });
  const lines = fs
    .readFileSync(path.join(corpusDir, name, 'history.txt'), 'utf8')
    .split('\n')
    .filter(l => l && !l.startsWith('#'));
  const git = (args: string[], author?: string) => {
    const m = author ? /^(.*) <(.*)>$/.exec(author) : undefined;
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: m?.[1] ?? 'fixture',
        GIT_AUTHOR_EMAIL: m?.[2] ?? 'fixture@example.org',
        GIT_COMMITTER_NAME: m?.[1] ?? 'fixture',
        GIT_COMMITTER_EMAIL: m?.[2] ?? 'fixture@example.org',
        GIT_AUTHOR_DATE: '2025-06-01T12:00:00Z',
        GIT_COMMITTER_DATE: '2025-06-01T12:00:00Z',
      },
    });
  };
  git(['init', '--quiet', '--initial-branch=main']);
  git(['add', '--all']);
  lines.forEach((line, i) => {
    const [author, subject] = line.split(' | ');
    git(
      i === 0
        ? ['commit', '--quiet', '-m', subject]
        : ['commit', '--quiet', '--allow-empty', '-m', subject],
      author,
    );
  });
  return {
    dir,
    open: () => ({
      snapshot: new DirectoryRepoSnapshot(dir, `home-ops/${name}@main`),
      webUrl: p =>
        `https://git.home.example.org/home-ops/${name}/src/branch/main/${p}`,
    }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
