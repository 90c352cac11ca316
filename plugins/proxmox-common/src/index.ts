/**
 * Types, permissions, annotation keys and entity names shared by the
 * HomeLab Portal Proxmox plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './entityNames';
export * from './hardwareIds';
export * from './permissions';
export * from './types';
export * from './upid';
