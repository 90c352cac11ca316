/**
 * Types, permissions and annotation keys shared by the Talos plugins of
 * HomeLab Portal.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './types';
export * from './versions';
