import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { HomelabSim } from '../../HomelabSim';
import { loadScenario } from '../../scenario/loadScenario';
import { startSim } from '../../testUtils';

const exec = promisify(execFile);

export type ForgeUnderTest = {
  sim: HomelabSim;
  stateDir: string;
  url: string;
  host: string;
  token: string;
  readToken: string;
  caFile: string;
  dispatcher: Agent;
  restart(): Promise<void>;
  close(): Promise<void>;
};

/** Starts the sim with only the forge, on a free port, in a fresh state folder. */
export async function startForgeSim(): Promise<ForgeUnderTest> {
  // The forge's own tests number pull requests from 1: no seeded Renovate ones.
  const scenario = loadScenario();
  scenario.gitops.renovate = [];
  const shared = await startSim({
    only: ['forge'],
    scenario,
    tmpPrefix: 'sim-forge-',
  });
  const forge: ForgeUnderTest = {
    sim: shared.sim,
    stateDir: shared.stateDir,
    url: shared.forge.url,
    host: shared.forge.host,
    token: shared.forge.token,
    readToken: shared.forge.readToken,
    caFile: shared.caFile,
    dispatcher: shared.dispatcher,
    async restart() {
      await shared.restart();
      forge.sim = shared.sim;
      forge.url = shared.forge.url;
      forge.host = shared.forge.host;
    },
    close: () => shared.close(),
  };
  return forge;
}

/**
 * Makes `fetch` in THIS test file trust the sim's CA. Octokit (used inside
 * the upstream scaffolder action) calls `globalThis.fetch` at request time
 * and offers no CA option through the action, and NODE_EXTRA_CA_CERTS is
 * only read when the process starts. Jest gives each test file its own
 * global object, so replacing `fetch` there with undici's fetch bound to an
 * Agent that trusts the CA changes nothing outside this file and no TLS
 * check is switched off. Returns the function that restores the original.
 */
export function trustCaForFetch(dispatcher: Agent): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = ((input: any, init?: any) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
  return () => {
    globalThis.fetch = original;
  };
}

export type ApiAnswer = { status: number; body: any; headers: Headers };

/** One HTTP call to the sim; `auth` is the whole Authorization header (null: none). */
export async function call(
  forge: ForgeUnderTest,
  method: string,
  p: string,
  options: { auth?: string | null; body?: unknown; accept?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const auth =
    options.auth === undefined ? `token ${forge.token}` : options.auth;
  if (auth) headers.authorization = auth;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accept) headers.accept = options.accept;
  const res = await fetch(`${forge.url}${p}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    dispatcher: forge.dispatcher,
  } as RequestInit);
  const text = await res.text();
  let body: any = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text)
    body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}

/** Environment for the real git client against the sim: its CA, no user config, no prompts. */
export function gitEnvFor(
  forge: ForgeUnderTest,
  extra: Record<string, string> = {},
) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: forge.stateDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSL_CAINFO: forge.caFile,
    ...extra,
  };
}

/** git with the token sent as HTTP Basic password (how git credential helpers send it). */
export async function git(
  forge: ForgeUnderTest,
  args: string[],
  options: { cwd?: string; token?: string | null } = {},
) {
  const token = options.token === undefined ? forge.token : options.token;
  const auth = token
    ? [
        '-c',
        `http.extraHeader=Authorization: Basic ${Buffer.from(
          `x-access-token:${token}`,
        ).toString('base64')}`,
      ]
    : [];
  return exec('git', [...auth, ...args], {
    cwd: options.cwd ?? forge.stateDir,
    env: gitEnvFor(forge),
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Clones one branch into a new temporary folder and returns it. */
export async function cloneBranch(
  forge: ForgeUnderTest,
  repoPath: string,
  branch: string,
  token?: string | null,
): Promise<string> {
  const dir = fs.mkdtempSync(path.join(forge.stateDir, 'clone-'));
  await git(
    forge,
    ['clone', '--quiet', '--branch', branch, `${forge.url}/${repoPath}`, dir],
    { token },
  );
  return dir;
}
