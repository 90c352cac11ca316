/**
 * Catalog entity provider: Proxmox VE nodes, VMs, containers and storage as
 * Resource entities.
 *
 * @packageDocumentation
 */
export { catalogModuleProxmox as default } from './module';
export { resourcesToEntities, sanitizeTags } from './provider/transform';
export type { TransformOptions } from './provider/transform';
