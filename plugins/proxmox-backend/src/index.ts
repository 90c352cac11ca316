/**
 * Proxmox VE routes and power actions for HomeLab Portal.
 *
 * @packageDocumentation
 */
export { proxmoxPlugin as default } from './plugin';
