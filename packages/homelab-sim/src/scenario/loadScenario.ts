import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Scenario, scenarioSchema } from './schema';

// The sim always runs from source (never bundled), so __dirname is reliable here.
export const defaultScenarioFile = path.resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../scenarios/household.yaml',
);

/** Reads and validates a scenario; errors name the file, the path and the rule. */
export function loadScenario(file = defaultScenarioFile): Scenario {
  const raw = parse(fs.readFileSync(file, 'utf8'));
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new Error(`Scenario ${file} is not valid:\n${issues}`);
  }
  const scenario = result.data;
  const vmids = new Set<number>();
  for (const g of scenario.proxmox.guests) {
    if (vmids.has(g.vmid))
      throw new Error(`Scenario ${file}: vmid ${g.vmid} is used twice`);
    vmids.add(g.vmid);
    if (!scenario.proxmox.nodes.some(n => n.name === g.node)) {
      throw new Error(
        `Scenario ${file}: guest ${g.vmid} is on unknown node "${g.node}"`,
      );
    }
  }
  for (const t of scenario.talos.nodes) {
    const vm = scenario.proxmox.guests.find(g => g.vmid === t.vmid);
    if (!vm || vm.type !== 'qemu')
      throw new Error(
        `Scenario ${file}: Talos node ${t.hostname} names vmid ${t.vmid}, which is not a VM`,
      );
  }
  return scenario;
}
