/* eslint-disable no-console */
import path from 'node:path';
import { FaultController, FaultRule } from './faults/FaultController';
import { HomelabSim } from './HomelabSim';

const usage = `homelab-sim: the demo homelab (Proxmox VE, Talos, Kubernetes, sealed-secrets, Git forge)

  --state-dir <dir>      state folder (CA, tokens, repositories); default .sim-state/ at the repo root
  --scenario <file>      scenario YAML; default scenarios/household.yaml
  --only <a,b>           run only these services
  --port <service>=<n>   listen port for a service (0 = any free port)
  --fault <rule>         inject a fault: service:kind[:key=value,...]
                         kinds: latency error hang reset malformed truncate down
                         e.g. --fault kubernetes:latency:ms=50
                              --fault proxmox:error:status=503,path=^/api2/json/cluster
  --help
`;

async function main(argv: string[]) {
  // Runs from source, never bundled: __dirname is the package's src folder.
  // eslint-disable-next-line no-restricted-syntax
  const repoRoot = path.resolve(__dirname, '../../..');
  let stateDir =
    process.env.HOMELAB_SIM_STATE ?? path.join(repoRoot, '.sim-state');
  let scenarioFile: string | undefined;
  let only: string[] | undefined;
  const ports: Record<string, number> = {};
  const faults: FaultRule[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--state-dir':
        stateDir = path.resolve(value());
        break;
      case '--scenario':
        scenarioFile = path.resolve(value());
        break;
      case '--only':
        only = value().split(',');
        break;
      case '--port': {
        const [name, n] = value().split('=');
        if (!name || !/^\d+$/.test(n ?? ''))
          throw new Error(`--port expects service=number, got ${argv[i]}`);
        ports[name] = Number(n);
        break;
      }
      case '--fault':
        faults.push(FaultController.parseFlag(value()));
        break;
      case '--help':
        console.log(usage);
        return;
      default:
        throw new Error(`unknown option ${arg}\n\n${usage}`);
    }
  }
  const sim = await HomelabSim.start({
    stateDir,
    scenarioFile,
    only,
    ports,
    faults,
    // The household's catalog, as app-config.yaml lists it.
    catalogLocations: [
      { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
    ],
  });
  console.log(
    `[homelab-sim] household "${sim.ctx.scenario.household.domain}", state in ${stateDir}`,
  );
  for (const s of sim.services) {
    console.log(`[homelab-sim] ${s.name.padEnd(11)} ${s.url}`);
  }
  console.log(
    `[homelab-sim] CA: ${sim.ctx.state.path('ca/ca.pem')}; faults: ${
      faults.length
        ? faults.map(f => `${f.service}:${f.kind}`).join(' ')
        : 'none'
    }`,
  );
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch(error => {
  console.error(`[homelab-sim] ${error.message}`);
  process.exit(1);
});
