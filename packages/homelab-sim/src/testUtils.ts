/**
 * Test helpers: the demo homelab started in-process for one test file, on
 * free ports over a temporary state folder, with the URLs, tokens, CA and
 * dispatcher a client needs (`import { startSim } from 'homelab-sim/testUtils'`).
 *
 * @packageDocumentation
 */
export { startSim } from './testUtils/startSim';
export type {
  SimServiceAccess,
  SimServiceName,
  SimUnderTest,
  StartSimOptions,
} from './testUtils/startSim';
// The Proxmox reference data (shared/reference/proxmox) the sim is checked
// against, for clients' tests to check themselves against the same.
export {
  endpointFor,
  loadExample,
  loadSubset,
} from './testUtils/proxmoxReference';
export type { SubsetEndpoint } from './testUtils/proxmoxReference';
