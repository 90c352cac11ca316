// kubectl against the demo homelab: one kubeconfig per account of the
// scenario (portal ServiceAccount, family member, admin), and helpers to run
// kubectl to completion or to stream it for a bounded time.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../e2e/lib/stage.mjs';

/**
 * The real kubectl: $KUBECTL, else the first on PATH that is not the
 * kustomize-only stand-in script/kustomize-fallback puts in .tools/bin.
 */
export const kubectlBinary =
  process.env.KUBECTL ??
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(d => path.resolve(d) !== path.join(repoRoot, '.tools/bin'))
    .map(d => path.join(d, 'kubectl'))
    .find(f => fs.existsSync(f)) ??
  'kubectl';

/** Writes `<dir>/<account>.kubeconfig` for each token the sim keeps. */
export function writeKubeconfigs(sim, dir) {
  const files = {};
  for (const [account, tokenFile] of [
    ['portal', 'token'],
    ['family', 'family-token'],
    ['admin', 'admin-token'],
  ]) {
    const token = fs
      .readFileSync(path.join(sim.stateDir, 'kubernetes', tokenFile), 'utf8')
      .trim();
    const file = path.join(dir, `${account}.kubeconfig`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'homelab',
            cluster: {
              server: sim.url('kubernetes'),
              'certificate-authority': sim.info.caFile,
            },
          },
        ],
        users: [{ name: account, user: { token } }],
        contexts: [
          { name: 'homelab', context: { cluster: 'homelab', user: account } },
        ],
        'current-context': 'homelab',
      }),
      { mode: 0o600 },
    );
    files[account] = file;
  }
  return files;
}

/** Runs kubectl to the end: `{ code, stdout, stderr }`, never throws on exit codes. */
export function kubectl(kubeconfig, args, { input } = {}) {
  return new Promise(resolve => {
    const child = execFile(
      kubectlBinary,
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? error.code ?? 1 : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

/**
 * Starts a kubectl that keeps running (`get -w`, `logs -f`): `output()` is
 * what it printed so far, `waitFor(re)` resolves once it printed a match,
 * `exited` tells whether it ended by itself; `stop()` ends it.
 */
export function streamKubectl(kubeconfig, args) {
  const child = spawn(kubectlBinary, ['--kubeconfig', kubeconfig, ...args]);
  let stdout = '';
  let stderr = '';
  let exitCode = null;
  child.stdout.on('data', d => {
    stdout += d;
  });
  child.stderr.on('data', d => {
    stderr += d;
  });
  const ended = new Promise(r =>
    child.on('exit', code => {
      exitCode = code;
      r(code);
    }),
  );
  return {
    output: () => stdout,
    errors: () => stderr,
    get exitCode() {
      return exitCode;
    },
    ended,
    async waitFor(re, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (!re.test(stdout)) {
        if (Date.now() > deadline || exitCode !== null) {
          throw new Error(
            `kubectl ${args.join(
              ' ',
            )} printed no ${re} in ${ms} ms:\n${stdout}\n${stderr}`,
          );
        }
        await new Promise(r => setTimeout(r, 100));
      }
    },
    async stop() {
      if (exitCode === null) child.kill('SIGTERM');
      await ended;
    },
  };
}

/** kubectl's client version, `{ major, minor }`. */
export async function kubectlVersion() {
  const out = await new Promise((resolve, reject) =>
    execFile(
      kubectlBinary,
      ['version', '--client', '-o', 'json'],
      (e, stdout) => (e ? reject(e) : resolve(stdout)),
    ),
  );
  const { clientVersion } = JSON.parse(out);
  return {
    major: Number(clientVersion.major),
    minor: Number(String(clientVersion.minor).replace(/\D.*$/, '')),
    gitVersion: clientVersion.gitVersion,
  };
}
