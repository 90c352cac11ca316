/**
 * Test helpers: a Pod's service-account mount, laid out as the kubelet
 * writes it, for tests of plugins that reach a cluster through this package.
 *
 * @packageDocumentation
 */
export { mountServiceAccount } from './testUtils/mountServiceAccount';
export type { ServiceAccountMount } from './testUtils/mountServiceAccount';
