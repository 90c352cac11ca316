/**
 * Talos Linux in Backstage: a cluster page, and a tab and a card on the VM
 * entities that are Talos nodes.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export * from './legacy';
export { talosApiRef } from './api/TalosApi';
export type { TalosApi } from './api/TalosApi';
export { TalosClient } from './api/TalosClient';
export { talosTranslationRef } from './translation';
export { isTalosVmEntity } from '@homelab-portal/plugin-talos-common';
