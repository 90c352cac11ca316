/**
 * The Talos backend plugin of HomeLab Portal.
 *
 * @packageDocumentation
 */
export { talosPlugin as default } from './plugin';
