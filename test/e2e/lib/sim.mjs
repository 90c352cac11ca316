// Starts the demo homelab (packages/homelab-sim) as its own process for an
// end-to-end suite, on fixed test ports and with its own state folder, and
// gives the suite its URLs, CA and admin API (for fault injection).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Agent } from 'undici';
import { repoRoot } from './stage.mjs';

/** Test ports, away from the ones `script/start` uses. */
export const testPorts = {
  admin: 27000,
  proxmox: 28006,
  talos: 25000,
  kubernetes: 26443,
  forge: 23000,
};

export class Sim {
  /** `scenarioFile`: another household (benchmarks generate a big one). */
  constructor({
    stateDir,
    ports = testPorts,
    faults = [],
    only,
    scenarioFile,
  }) {
    this.stateDir = stateDir;
    this.ports = ports;
    this.faults = faults;
    this.only = only;
    this.scenarioFile = scenarioFile;
    this.logFile = path.join(stateDir, 'sim.log');
  }

  // Generous: on a busy CI machine its first start (keys, seeded repositories) is slow.
  async start({ timeoutMs = 180_000 } = {}) {
    fs.mkdirSync(this.stateDir, { recursive: true });
    fs.rmSync(path.join(this.stateDir, 'sim.json'), { force: true });
    const args = ['--state-dir', this.stateDir];
    for (const [service, port] of Object.entries(this.ports))
      args.push('--port', `${service}=${port}`);
    for (const f of this.faults) args.push('--fault', f);
    if (this.only) args.push('--only', this.only.join(','));
    if (this.scenarioFile) args.push('--scenario', this.scenarioFile);
    const log = fs.openSync(this.logFile, 'a');
    this.process = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        'src/main.ts',
        ...args,
      ],
      {
        cwd: path.join(repoRoot, 'packages/homelab-sim'),
        stdio: ['ignore', log, log],
      },
    );
    this.exited = new Promise(r => this.process.once('exit', r));
    const deadline = Date.now() + timeoutMs;
    const simJson = path.join(this.stateDir, 'sim.json');
    while (!fs.existsSync(simJson)) {
      if (this.process.exitCode !== null || Date.now() > deadline) {
        throw new Error(`homelab-sim did not start; see ${this.logFile}`);
      }
      await new Promise(r => setTimeout(r, 200));
    }
    this.info = JSON.parse(fs.readFileSync(simJson, 'utf8'));
    this.ca = fs.readFileSync(this.info.caFile, 'utf8');
    this.dispatcher = new Agent({ connect: { ca: this.ca } });
    return this;
  }

  url(service) {
    const url = this.info.services[service];
    if (!url) throw new Error(`the sim runs no ${service} service`);
    return url;
  }

  /** Calls the sim's admin API (faults). */
  async admin(method, pathname, body) {
    const token = fs
      .readFileSync(path.join(this.stateDir, 'admin/token'), 'utf8')
      .trim();
    const res = await fetch(`${this.url('admin')}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
      dispatcher: this.dispatcher,
    });
    if (!res.ok)
      throw new Error(
        `sim admin ${method} ${pathname}: HTTP ${
          res.status
        } ${await res.text()}`,
      );
    return res.status === 204 ? undefined : res.json();
  }

  addFault(rule) {
    return this.admin('POST', '/faults', rule);
  }

  clearFaults(service) {
    return this.admin(
      'DELETE',
      service ? `/faults?service=${service}` : '/faults',
    );
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGTERM');
    const t = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}
