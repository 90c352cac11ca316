export { HomelabSim } from './HomelabSim';
export type { HomelabSimOptions } from './HomelabSim';
export { FaultController } from './faults/FaultController';
export type { FaultRule, FaultKind } from './faults/FaultController';
export { loadScenario, defaultScenarioFile } from './scenario/loadScenario';
export type { Scenario } from './scenario/schema';
export { proxmoxReferenceExample } from './proxmox/referenceExample';
export type {
  ProxmoxExampleResponse,
  ProxmoxReferenceExample,
} from './proxmox/referenceExample';
export { crdPath } from './kubernetes/api/crdRegistry';
