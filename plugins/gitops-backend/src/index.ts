/**
 * GitOps delivery status, drift, certificates and pending updates for
 * HomeLab Portal.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
