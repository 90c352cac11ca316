// The demo homelab with only its forge, for the forge conformance suites:
// real clients (gh, Octokit, gitea-js, git) against it, on fixed ports
// (run these suites in their own network namespace when other suites run).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fetch as undiciFetch } from 'undici';
import { parse, stringify } from 'yaml';
import { Sim } from '../../e2e/lib/sim.mjs';
import { repoRoot } from '../../e2e/lib/stage.mjs';

const exec = promisify(execFile);

export const forgePorts = { forge: 33000, admin: 37000 };

/**
 * Starts the forge in a fresh state folder. `forge` overrides keys of the
 * household scenario's `forge` section (rate limits, for example).
 */
export async function startForge({ forge = {}, ports = forgePorts } = {}) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-forge-'));
  let scenarioFile;
  if (Object.keys(forge).length) {
    const scenario = parse(
      fs.readFileSync(
        path.join(repoRoot, 'packages/homelab-sim/scenarios/household.yaml'),
        'utf8',
      ),
    );
    Object.assign(scenario.forge, forge);
    scenarioFile = path.join(stateDir, 'scenario.yaml');
    fs.writeFileSync(scenarioFile, stringify(scenario));
  }
  const sim = await new Sim({
    stateDir,
    ports,
    only: ['forge'],
    scenarioFile,
  }).start();
  const read = f => fs.readFileSync(path.join(stateDir, f), 'utf8').trim();
  const url = sim.url('forge');
  return {
    sim,
    stateDir,
    url,
    host: new URL(url).host,
    caFile: sim.info.caFile,
    token: read('forge/token'),
    readToken: read('forge/read-token'),
    ciToken: read('forge/ci-token'),
    /** fetch that trusts the sim's CA only. */
    fetch: (input, init = {}) =>
      undiciFetch(input, { ...init, dispatcher: sim.dispatcher }),
    async close() {
      await sim.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Environment for real git against the forge: its CA, no user config, no prompts. */
export function gitEnv(forge) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: forge.stateDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSL_CAINFO: forge.caFile,
    GIT_AUTHOR_NAME: 'Alex Moreau',
    GIT_AUTHOR_EMAIL: 'alex@home.example.org',
    GIT_COMMITTER_NAME: 'Alex Moreau',
    GIT_COMMITTER_EMAIL: 'alex@home.example.org',
  };
}

/** Real git, the token sent as the HTTP Basic password (as credential helpers do). */
export async function git(forge, args, { cwd, token = forge.token } = {}) {
  const auth = token
    ? [
        '-c',
        `http.extraHeader=Authorization: Basic ${Buffer.from(
          `x-access-token:${token}`,
        ).toString('base64')}`,
      ]
    : [];
  const { stdout } = await exec('git', [...auth, ...args], {
    cwd: cwd ?? forge.stateDir,
    env: gitEnv(forge),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * A branch with one new commit, pushed with real git: what a person (or
 * Renovate) does before opening a pull request. Returns the head sha.
 */
export async function pushBranch(forge, repo, branch, file, content) {
  const dir = fs.mkdtempSync(path.join(forge.stateDir, 'work-'));
  await git(forge, ['clone', '--quiet', `${forge.url}/${repo}.git`, dir]);
  await git(forge, ['checkout', '--quiet', '-b', branch], { cwd: dir });
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
  await git(forge, ['add', file], { cwd: dir });
  await git(forge, ['commit', '--quiet', '-m', `add ${file}`], { cwd: dir });
  await git(forge, ['push', '--quiet', 'origin', branch], { cwd: dir });
  return {
    dir,
    sha: (await git(forge, ['rev-parse', 'HEAD'], { cwd: dir })).trim(),
  };
}

export { repoRoot };
