import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh copy of the module: its launcher is a module-level singleton. */
function freshRunGit(): typeof import('./runGit') {
  let mod: typeof import('./runGit') | undefined;
  jest.isolateModules(() => {
    mod = require('./runGit');
  });
  return mod!;
}

const realGitVersion = execFileSync('git', ['--version']).toString('utf8');

describe('runGit', () => {
  const execPath = process.execPath;
  afterEach(() => {
    Object.defineProperty(process, 'execPath', { value: execPath });
  });

  it('runs git through the launcher, each answer to its own question', async () => {
    const { runGit } = freshRunGit();
    const inputs = ['one\n', 'two\n', 'three\n'];
    const answers = await Promise.all(
      inputs.map(input => runGit(['hash-object', '--stdin'], { input })),
    );
    expect(answers.map(a => a.stdout.toString('utf8'))).toEqual(
      inputs.map(input =>
        execFileSync('git', ['hash-object', '--stdin'], { input }).toString(
          'utf8',
        ),
      ),
    );
  });

  it('runs git itself when the launcher cannot start, then and later', async () => {
    // No Node where the launcher would start from: spawn fails with ENOENT.
    Object.defineProperty(process, 'execPath', {
      value: '/nonexistent/node',
    });
    const { runGit } = freshRunGit();
    const first = await Promise.all([
      runGit(['--version']),
      runGit(['version']),
    ]);
    expect(first.map(r => r.stdout.toString('utf8'))).toEqual([
      realGitVersion,
      realGitVersion,
    ]);
    const later = await runGit(['--version']);
    expect(later.stdout.toString('utf8')).toBe(realGitVersion);
  });

  it('turns a failing git into a GitCommandError with its exit code and stderr', async () => {
    const { runGit, GitCommandError } = freshRunGit();
    const notARepository = fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-'));
    const failed = runGit(['rev-parse', '--verify', 'nope'], {
      gitDir: notARepository,
    });
    await expect(failed).rejects.toBeInstanceOf(GitCommandError);
    await expect(failed).rejects.toMatchObject({
      code: 128,
      stderr: expect.stringMatching(/not a git repository/),
    });
    fs.rmSync(notARepository, { recursive: true });
  });
});
