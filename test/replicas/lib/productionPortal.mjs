// The production-build backend started the way the cluster starts it:
// app-config.yaml + app-config.production.yaml with the connection and
// endpoints in environment variables, on the test's PostgreSQL. The test
// overlay on top only swaps OIDC for guest sign-in (there is no identity
// provider here), points at the repository's catalog and keeps the
// Kubernetes plugin idle.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Portal } from '../../e2e/lib/portal.mjs';
import { repoRoot } from '../../e2e/lib/stage.mjs';
import { catalogWithTestEntities, signInAs } from '../../e2e/lib/household.mjs';

const require = createRequire(
  path.join(repoRoot, 'packages/backend/package.json'),
);
const YAML = require('yaml');

/**
 * The variables app-config.production.yaml reads for the household's own
 * plugins, filled from a running demo homelab (test/e2e/lib/sim.mjs): the
 * production config's Proxmox and Talos sections run against it unchanged.
 */
export function simEnv(sim) {
  const state = path.dirname(sim.info.portalConfig);
  const read = rel => fs.readFileSync(path.join(state, rel), 'utf8').trim();
  return {
    NODE_EXTRA_CA_CERTS: sim.info.caFile,
    PROXMOX_URL: sim.url('proxmox'),
    PROXMOX_TOKEN_ID: 'backstage@pve!catalog',
    PROXMOX_TOKEN_SECRET: read('proxmox/catalog-token-secret'),
    PROXMOX_POWER_TOKEN_ID: 'backstage@pve!power',
    PROXMOX_POWER_TOKEN_SECRET: read('proxmox/power-token-secret'),
    PROXMOX_CA_FILE: sim.info.caFile,
    TALOSCONFIG_FILE: path.join(state, 'talos/talosconfig'),
    TALOS_IMAGE_FACTORY_URL: YAML.parse(
      fs.readFileSync(sim.info.portalConfig, 'utf8'),
    ).talos.upgrades.imageFactory.url,
    GITHUB_TOKEN: read('forge/token'),
  };
}

/** The sim's Kubernetes API as the kubernetes plugin's only cluster. */
export function simKubernetes(sim) {
  return YAML.parse(fs.readFileSync(sim.info.portalConfig, 'utf8')).kubernetes;
}

export class ProductionPortal extends Portal {
  /**
   * @param postgres a started Postgres (test/replicas/lib/postgres.mjs), or
   *   undefined for SQLite (the local default)
   * @param overrides extra overlay keys (merged at the top level)
   */
  constructor({
    postgres,
    sim,
    userRef = 'user:default/alex',
    overrides = {},
    env = {},
    ...rest
  }) {
    super(rest);
    this.postgres = postgres;
    this.sim = sim;
    this.userRef = userRef;
    this.overrides = overrides;
    this.extraEnv = env;
  }

  /** Config files and environment, once the sim (if any) is running. */
  async start(options) {
    const { postgres, sim } = this;
    // PostgreSQL: the production config (the sim through its env vars).
    // SQLite: the local default, with the sim's generated config.
    this.configFiles = postgres
      ? [path.join(repoRoot, 'app-config.production.yaml')]
      : sim
      ? [sim.info.portalConfig]
      : [];
    this.env = {
      ...(postgres ? postgres.env() : {}),
      PORTAL_BASE_URL: this.baseUrl,
      PORTAL_PORT: String(this.port),
      TECHDOCS_DIR: path.join(this.workDir, 'data/techdocs'),
      ...(sim && postgres ? simEnv(sim) : {}),
      ...(sim && !postgres ? { NODE_EXTRA_CA_CERTS: sim.info.caFile } : {}),
      ...this.extraEnv,
    };
    return super.start(options);
  }

  writeConfig() {
    const file = super.writeConfig();
    const overlay = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (this.postgres) {
      // The connection and the TechDocs folder come from
      // app-config.production.yaml and the environment.
      delete overlay.backend.database;
      delete overlay.techdocs;
    }
    overlay.auth = signInAs(this.userRef);
    overlay.auth.providers.oidc = null;
    overlay.homelab = { signIn: { providers: ['guest'] } };
    overlay.catalog = catalogWithTestEntities();
    // In the cluster the plugin uses the Pod's service account; here the
    // demo homelab's Kubernetes API with its token.
    overlay.kubernetes = this.sim
      ? simKubernetes(this.sim)
      : {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [{ type: 'config', clusters: [] }],
        };
    fs.writeFileSync(
      file,
      JSON.stringify(mergeInto(overlay, this.overrides), null, 2),
    );
    return file;
  }

  /** SIGKILL: a node dying, no shutdown hooks. */
  async kill() {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGKILL');
    await this.exited;
  }
}

/** Overrides on top of the overlay, object keys merged, everything else replaced. */
function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    const old = target[key];
    target[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      old &&
      typeof old === 'object' &&
      !Array.isArray(old)
        ? mergeInto({ ...old }, value)
        : value;
  }
  return target;
}
