import { spawn } from 'node:child_process';

/**
 * The environment every git child process of the forge runs with: no system
 * or user config (a developer's `~/.gitconfig` with signing, hooks or another
 * default branch must not change what the forge writes), no prompts.
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
    readonly stdout: Buffer,
  ) {
    super(`git ${args[0]} failed (exit ${code}): ${stderr.trim()}`);
  }
}

export type RunGitOptions = {
  cwd?: string;
  gitDir?: string;
  input?: Buffer | string;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okCodes?: number[];
};

/** Runs real git and collects stdout; a non-zero exit becomes a GitCommandError. */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const env = gitEnv({
      ...(options.gitDir ? { GIT_DIR: options.gitDir } : {}),
      ...options.env,
    });
    const child = spawn('git', args, {
      cwd: options.cwd ?? options.gitDir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', code => {
      const stdout = Buffer.concat(out);
      const ok = [0, ...(options.okCodes ?? [])];
      if (code !== null && ok.includes(code)) resolve({ stdout, code });
      else
        reject(
          new GitCommandError(
            args,
            code,
            Buffer.concat(err).toString('utf8'),
            stdout,
          ),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
