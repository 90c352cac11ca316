// Starts and stops the real backend (production build) with the repository's
// app-config.yaml plus an overlay for the test: its own data folder, so a run
// never touches the developer's data/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, stageBackend } from './stage.mjs';

export class Portal {
  /**
   * @param root the repository whose backend build to run (ours by default;
   *   the benchmark also runs a stock app this way)
   * @param baseConfig the app-config the overlay goes on top of
   */
  /** A portal pointed at a started demo homelab: its config, trusting its CA. */
  static forSim(sim, options) {
    return new Portal({
      ...options,
      configFiles: [sim.info.portalConfig],
      env: { NODE_EXTRA_CA_CERTS: sim.info.caFile },
    });
  }

  constructor({
    workDir,
    port = 7017,
    extraConfig = {},
    name = 'portal',
    root = repoRoot,
    baseConfig = path.join(root, 'app-config.yaml'),
    configFiles = [],
    env = {},
  }) {
    // Config files between the base and the test overlay (app-config.demo.yaml).
    this.configFiles = configFiles;
    this.env = env;
    this.root = root;
    this.baseConfig = baseConfig;
    this.workDir = workDir;
    this.port = port;
    this.name = name;
    // Not "localhost": the backend rightly warns about a localhost baseUrl in
    // production mode, and the tests hold the backend to zero warnings.
    this.baseUrl = `http://127.0.0.2:${port}`;
    this.extraConfig = extraConfig;
    this.process = undefined;
    this.logFile = path.join(workDir, `${name}.log`);
  }

  /** Builds the overlay config as JSON (valid YAML) next to the staged backend. */
  writeConfig() {
    const dataDir = path.join(this.workDir, 'data');
    const overlay = {
      app: { baseUrl: this.baseUrl },
      backend: {
        baseUrl: this.baseUrl,
        // app-config.yaml listens on 127.0.0.1 only.
        listen: { port: this.port, host: new URL(this.baseUrl).hostname },
        cors: { origin: this.baseUrl },
        database: {
          client: 'better-sqlite3',
          connection: { directory: path.join(dataDir, 'sqlite') },
        },
      },
      auth: {
        providers: {
          guest: {
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['group:default/home-admins'],
            // The production bundle runs with NODE_ENV=production.
            dangerouslyAllowOutsideDevelopment: true,
          },
        },
      },
      techdocs: {
        publisher: {
          type: 'local',
          local: { publishDirectory: path.join(dataDir, 'techdocs') },
        },
      },
      // The demo homelab's config lists the household catalog and the
      // GitOps repositories; without it, the household catalog alone.
      ...(this.configFiles.some(hasCatalogLocations)
        ? {}
        : {
            catalog: {
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog-info.yaml'),
                },
              ],
            },
          }),
      ...this.extraConfig,
    };
    const file = path.join(this.workDir, `${this.name}.config.yaml`);
    fs.writeFileSync(file, JSON.stringify(overlay, null, 2));
    return file;
  }

  stage() {
    this.staged = stageBackend(path.join(this.workDir, 'staged'), {
      root: this.root,
    });
    return this.staged;
  }

  async start({ timeoutMs = 180_000 } = {}) {
    if (!this.staged) this.stage();
    const overlay = this.writeConfig();
    const log = fs.openSync(this.logFile, 'a');
    this.logOffset = fs.statSync(this.logFile).size;
    this.startedAt = Date.now();
    this.process = spawn(
      process.execPath,
      [
        'dist/index.cjs.js',
        '--config',
        this.baseConfig,
        ...this.configFiles.flatMap(f => ['--config', f]),
        '--config',
        overlay,
      ],
      {
        cwd: this.staged.backendDir,
        env: { ...process.env, NODE_ENV: 'production', ...this.env },
        stdio: ['ignore', log, log],
      },
    );
    this.exited = new Promise(resolve => this.process.once('exit', resolve));
    try {
      await this.waitUntilReady(timeoutMs);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.readyAfterMs = Date.now() - this.startedAt;
    return this;
  }

  async waitUntilReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) {
        throw new Error(
          `${this.name} exited early (${this.process.exitCode}); see ${this.logFile}`,
        );
      }
      // A plugin that fails to start leaves the process up but never ready.
      const failure = /"message":"(Unhandled rejection [^"]*)"/.exec(
        this.logText().slice(this.logOffset),
      );
      if (failure) {
        throw new Error(
          `${this.name} failed to start: ${failure[1]} (see ${this.logFile})`,
        );
      }
      try {
        const res = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(
      `${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`,
    );
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  /** A user token as the guest provider issues it to the browser. */
  async guestToken() {
    const res = await fetch(`${this.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!res.ok) throw new Error(`guest sign-in failed: HTTP ${res.status}`);
    return (await res.json()).backstageIdentity.token;
  }

  /** GET a backend API path as the guest user; returns parsed JSON. */
  async apiGet(pathAndQuery) {
    const token = await this.guestToken();
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${res.status}`);
    return res.json();
  }

  logText() {
    return fs.existsSync(this.logFile)
      ? fs.readFileSync(this.logFile, 'utf8')
      : '';
  }
}

/** Whether a config file (JSON, as the sim writes it) lists catalog locations. */
function hasCatalogLocations(file) {
  try {
    const text = fs.readFileSync(file, 'utf8').replace(/^#.*\n/gm, '');
    return Array.isArray(JSON.parse(text).catalog?.locations);
  } catch {
    return false;
  }
}
