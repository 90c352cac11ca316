/**
 * React hooks shared by the HomeLab Portal frontend plugins.
 *
 * @packageDocumentation
 */
export { usePolled } from './usePolled';
export type { Polled } from './usePolled';
