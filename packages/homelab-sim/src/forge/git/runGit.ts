import { ChildProcess, spawn } from 'node:child_process';

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

type GitJob = {
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  input: Buffer | string;
};
type GitExit = { code: number | null; stdout: Buffer; stderr: Buffer };

/** git run from this process. */
function spawnGit(job: GitJob): Promise<GitExit> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', job.args, {
      cwd: job.cwd,
      env: job.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', code =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(job.input);
  });
}

/**
 * The launcher process: a bare Node that starts each git for this one. A
 * process forks in time proportional to its memory, so a large host (a
 * busy portal, a test runner) pays tens of milliseconds of CPU per git
 * command; the launcher stays small. Same git, arguments, folder,
 * environment and input: only who forks differs.
 */
const LAUNCHER = `
const { spawn } = require('node:child_process');
process.on('disconnect', () => process.exit(0));
process.on('message', job => {
  let done = false;
  const reply = m => {
    if (done) return;
    done = true;
    process.send({ id: job.id, ...m });
  };
  let child;
  try {
    child = spawn('git', job.args, { cwd: job.cwd, env: job.env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    reply({ error: { message: String(e && e.message), code: e && e.code } });
    return;
  }
  const out = [];
  const err = [];
  child.stdout.on('data', c => out.push(c));
  child.stderr.on('data', c => err.push(c));
  child.on('error', e => reply({ error: { message: String(e && e.message), code: e && e.code } }));
  child.on('close', code => reply({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  child.stdin.on('error', () => undefined);
  child.stdin.end(typeof job.input === 'string' ? job.input : Buffer.from(job.input));
});
`;

/** How long an idle launcher waits for more work before it is let go. */
const LAUNCHER_IDLE_MS = 2_000;

type Reply = {
  id: number;
  code?: number | null;
  stdout?: Uint8Array;
  stderr?: Uint8Array;
  error?: { message: string; code?: string };
};

const asBuffer = (u?: Uint8Array) =>
  u ? Buffer.from(u.buffer, u.byteOffset, u.byteLength) : Buffer.alloc(0);

/** A job sent to the launcher, until its answer comes back. */
type Waiting = {
  job: GitJob;
  resolve: (e: GitExit) => void;
  reject: (e: Error) => void;
};

/**
 * Runs git through the launcher (started on first use, let go when idle,
 * started again when needed); without one (it could not start), directly.
 * An idle launcher holds nothing open: it never keeps this process alive.
 */
class GitRunner {
  private launcher?: {
    child: ChildProcess;
    pending: Map<number, Waiting>;
  };
  private nextId = 1;
  private unavailable = false;
  private idle?: NodeJS.Timeout;

  run(job: GitJob): Promise<GitExit> {
    if (this.unavailable) return spawnGit(job);
    const launcher = this.launcher ?? this.start();
    if (!launcher) return spawnGit(job);
    clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise<GitExit>((resolve, reject) => {
      if (launcher.pending.size === 0) this.hold(launcher.child, true);
      launcher.pending.set(id, { job, resolve, reject });
      launcher.child.send({ id, ...job }, error => {
        // Unless the launcher's failure already handed it back.
        if (!error || !launcher.pending.delete(id)) return;
        this.settled(launcher);
        // It never reached the launcher: run it here.
        spawnGit(job).then(resolve, reject);
      });
    });
  }

  private start() {
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-e', LAUNCHER], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
    } catch {
      return undefined;
    }
    const launcher = { child, pending: new Map<number, Waiting>() };
    this.launcher = launcher;
    this.hold(child, false);
    child.on('message', (m: Reply) => {
      const waiting = launcher.pending.get(m.id);
      if (!waiting) return;
      launcher.pending.delete(m.id);
      this.settled(launcher);
      if (m.error) {
        waiting.reject(
          Object.assign(new Error(m.error.message), { code: m.error.code }),
        );
      } else {
        waiting.resolve({
          code: m.code ?? null,
          stdout: asBuffer(m.stdout),
          stderr: asBuffer(m.stderr),
        });
      }
    });
    const letGo = (settle: (waiting: Waiting) => void) => {
      if (this.launcher === launcher) this.launcher = undefined;
      for (const waiting of launcher.pending.values()) settle(waiting);
      launcher.pending.clear();
    };
    const lost = () =>
      letGo(waiting =>
        waiting.reject(new Error('the git launcher process exited')),
      );
    child.on('exit', lost);
    child.on('error', () => {
      // A child that never ran has no pid.
      if (child.pid !== undefined) {
        lost();
        return;
      }
      // It never ran (no Node to start?): nothing reached it, so its work
      // runs here, and so does all later work.
      this.unavailable = true;
      letGo(waiting =>
        spawnGit(waiting.job).then(waiting.resolve, waiting.reject),
      );
    });
    return launcher;
  }

  /** After a reply: with nothing left to wait for, let the process go idle. */
  private settled(launcher: NonNullable<GitRunner['launcher']>) {
    if (launcher.pending.size > 0) return;
    this.hold(launcher.child, false);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.launcher !== launcher || launcher.pending.size > 0) return;
      this.launcher = undefined;
      launcher.child.disconnect();
    }, LAUNCHER_IDLE_MS);
    this.idle.unref();
  }

  /** Whether the launcher keeps this process alive (only while it works for it). */
  private hold(child: ChildProcess, busy: boolean) {
    const channel = child.channel as
      | { ref(): void; unref(): void }
      | null
      | undefined;
    if (busy) {
      child.ref();
      channel?.ref();
    } else {
      child.unref();
      channel?.unref();
    }
  }
}

const gitRunner = new GitRunner();

type GitResult = { stdout: Buffer; code: number };

/** Runs real git and collects stdout; a non-zero exit becomes a GitCommandError. */
export function runGit(
  args: string[],
  options: RunGitOptions = {},
): Promise<GitResult> {
  const env = gitEnv({
    ...(options.gitDir ? { GIT_DIR: options.gitDir } : {}),
    ...options.env,
  });
  const job: GitJob = {
    args,
    cwd: options.cwd ?? options.gitDir,
    env,
    input: options.input ?? '',
  };
  const finish = (code: number | null, stdout: Buffer, stderr: Buffer) => {
    const ok = [0, ...(options.okCodes ?? [])];
    if (code !== null && ok.includes(code)) return { stdout, code };
    throw new GitCommandError(args, code, stderr.toString('utf8'), stdout);
  };
  return gitRunner
    .run(job)
    .then(({ code, stdout, stderr }) => finish(code, stdout, stderr));
}
