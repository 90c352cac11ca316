/**
 * Proxmox VE page and entity content for HomeLab Portal. The default export
 * is the new-frontend-system plugin; the legacy plugin and its components are
 * exported too.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export * from './legacy';
export { proxmoxApiRef } from './api/ProxmoxApi';
export type { ProxmoxApi } from './api/ProxmoxApi';
export { ProxmoxClient } from './api/ProxmoxClient';
export { isProxmoxEntity } from './lib/entity';
export { proxmoxTranslationRef } from './translation';
