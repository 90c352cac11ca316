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
  const who = (author: string) => {
    const m = /^(.*) <(.*)>$/.exec(author);
    return {
      name: m?.[1] ?? 'fixture',
      email: m?.[2] ?? 'fixture@example.org',
    };
  };
  const [first, ...rest] = lines.map(line => {
    const [author, subject] = line.split(' | ');
    return { ...who(author), subject };
  });
  const git = (
    args: string[],
    author = { name: 'fixture', email: 'fixture@example.org' },
    input?: string,
  ) => {
    execFileSync('git', args, {
      cwd: dir,
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_AUTHOR_DATE: '2025-06-01T12:00:00Z',
        GIT_COMMITTER_DATE: '2025-06-01T12:00:00Z',
      },
    });
  };
  git(['init', '--quiet', '--initial-branch=main']);
  git(['add', '--all']);
  git(['commit', '--quiet', '-m', first.subject], first);
  // The later lines change no file: one fast-import writes them all, each
  // as `git commit --allow-empty` would (same tree, author = committer).
  if (rest.length) {
    const date = `${Date.parse('2025-06-01T12:00:00Z') / 1000} +0000`;
    const stream = rest
      .map((c, i) => {
        const person = `${c.name} <${c.email}> ${date}`;
        const message = Buffer.from(`${c.subject}\n`, 'utf8');
        return [
          'commit refs/heads/main',
          `author ${person}`,
          `committer ${person}`,
          `data ${message.length}`,
          `${c.subject}\n`,
          ...(i === 0 ? ['from refs/heads/main^0'] : []),
          '',
        ].join('\n');
      })
      .join('');
    git(['fast-import', '--quiet'], undefined, `${stream}done\n`);
  }
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
