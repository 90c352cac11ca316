// A real PostgreSQL server (Debian's `postgresql` package) for the replica
// and data-safety suites: its own cluster in a temporary folder, reachable
// only through a Unix socket in that folder (no TCP port to collide with),
// password authentication, and a database owned by a role without CREATEDB,
// the way CloudNativePG sets up the application's database.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from '../../e2e/lib/stage.mjs';

const require = createRequire(
  path.join(repoRoot, 'packages/backend/package.json'),
);
const pg = require('pg');

/** The newest installed PostgreSQL's bin folder, or a clear error. */
export function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter(v => fs.existsSync(path.join(base, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed: install Debian\'s server with "apt-get install -y postgresql" (.ci/run does this).',
    );
  }
  return path.join(base, versions[0], 'bin');
}

export class Postgres {
  constructor({
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-pg-')),
  } = {}) {
    this.dir = dir;
    this.dataDir = path.join(dir, 'data');
    this.socketDir = dir;
    this.port = 5432; // only names the socket file; no TCP listener
    this.bin = postgresBinDir();
    this.superPassword = crypto.randomBytes(12).toString('hex');
    this.appUser = 'backstage';
    this.appPassword = crypto.randomBytes(12).toString('hex');
    this.database = 'backstage';
    this.logFile = path.join(dir, 'postgres.log');
    // The server refuses to run as root; as root we run it as `postgres`.
    this.asRoot = process.getuid?.() === 0;
  }

  #run(cmd, args, options = {}) {
    const [file, argv] = this.asRoot
      ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]]
      : [cmd, args];
    return execFileSync(file, argv, { stdio: 'pipe', ...options });
  }

  async start() {
    if (!fs.existsSync(this.dataDir)) {
      const pwFile = path.join(this.dir, 'superuser.pw');
      fs.writeFileSync(pwFile, this.superPassword, { mode: 0o600 });
      if (this.asRoot)
        execFileSync('chown', ['-R', 'postgres:postgres', this.dir]);
      this.#run(path.join(this.bin, 'initdb'), [
        '-D',
        this.dataDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '-E',
        'UTF8',
        '--locale=C',
      ]);
      fs.rmSync(pwFile);
      this.fresh = true;
    }
    const args = [
      '-D',
      this.dataDir,
      '-k',
      this.socketDir,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
    ];
    const log = fs.openSync(this.logFile, 'a');
    if (this.asRoot) fs.fchownSync(log, ...this.#postgresIds());
    this.process = spawn(
      this.asRoot ? 'runuser' : path.join(this.bin, 'postgres'),
      this.asRoot
        ? ['-u', 'postgres', '--', path.join(this.bin, 'postgres'), ...args]
        : args,
      { stdio: ['ignore', log, log] },
    );
    this.exited = new Promise(r => this.process.once('exit', r));
    await this.#waitForConnections();
    if (this.fresh) {
      await this.query(
        `CREATE ROLE ${this.appUser} LOGIN PASSWORD '${this.appPassword}' NOCREATEDB NOSUPERUSER`,
      );
      await this.query(
        `CREATE DATABASE ${this.database} OWNER ${this.appUser}`,
      );
      this.fresh = false;
    }
    return this;
  }

  #postgresIds() {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find(l => l.startsWith('postgres:'));
    const [, , uid, gid] = line.split(':');
    return [Number(uid), Number(gid)];
  }

  async #waitForConnections(timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.query('SELECT 1');
        return;
      } catch (error) {
        if (this.process.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `PostgreSQL did not start (${error.message}); see ${this.logFile}`,
          );
        }
        await new Promise(r => setTimeout(r, 200));
      }
    }
  }

  /** Runs SQL as the superuser (for the tests' own checks). */
  async query(sql, params = [], database = 'postgres') {
    const client = new pg.Client({
      host: this.socketDir,
      port: this.port,
      user: 'postgres',
      password: this.superPassword,
      database,
    });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** The environment app-config.production.yaml reads its connection from. */
  env() {
    return {
      POSTGRES_HOST: this.socketDir,
      POSTGRES_PORT: String(this.port),
      POSTGRES_USER: this.appUser,
      POSTGRES_PASSWORD: this.appPassword,
      POSTGRES_DB: this.database,
    };
  }

  /** Runs a PostgreSQL client program (pg_dump, pg_restore, ...) as the superuser. */
  client(program, args) {
    return execFileSync(path.join(this.bin, program), args, {
      env: {
        ...process.env,
        PGHOST: this.socketDir,
        PGPORT: String(this.port),
        PGUSER: 'postgres',
        PGPASSWORD: this.superPassword,
      },
      stdio: 'pipe',
      encoding: 'utf8',
    });
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    // Signal the postmaster itself: runuser does not pass signals on.
    const pid = Number(
      fs
        .readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8')
        .split('\n')[0],
    );
    process.kill(pid, 'SIGINT'); // fast shutdown
    const t = setTimeout(() => process.kill(pid, 'SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
