/**
 * Types, permissions and status rules shared by the GitOps plugins of
 * HomeLab Portal: delivery status, drift, certificates and pending updates.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './certificates';
export * from './permissions';
export * from './rbac';
export * from './renovate';
export * from './types';
