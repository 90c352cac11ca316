/**
 * The Proxmox VE client and its shared cache, as a Backstage service for
 * backend plugins and modules.
 *
 * @packageDocumentation
 */
export { ProxmoxApiError } from './api/errors';
export { ProxmoxUpstreamError, toBackstageError } from './api/toBackstageError';
export { ProxmoxClient } from './api/ProxmoxClient';
export type {
  ProxmoxClientOptions,
  RrdTimeframe,
  TaskQuery,
} from './api/ProxmoxClient';
export type {
  BackupJob,
  ClusterResources,
  GuestConfig,
  GuestCurrent,
  GuestInterface,
  GuestResource,
  NodeResource,
  NodeStatus,
  RrdRow,
  StorageContentItem,
  StorageListItem,
  StorageResource,
  TaskListItem,
  TaskStatus,
} from './api/wire';
// The client's own body parsers, for code and tests that read Proxmox
// answers it did not fetch (reference bodies, recorded answers).
export {
  backupJobsSchema,
  guestConfigSchema,
  guestCurrentSchema,
  nodeStatusSchema,
  parseClusterResources,
  taskListSchema,
  taskStatusSchema,
} from './api/wire';
export { SnapshotCache } from './cache/SnapshotCache';
export type {
  CacheGetOptions,
  Snapshot,
  SnapshotCacheOptions,
} from './cache/SnapshotCache';
export { readProxmoxConfig } from './config/readProxmoxConfig';
export type { ProxmoxInstanceConfig } from './config/readProxmoxConfig';
export { ProxmoxInstance } from './service/ProxmoxInstance';
export type { GuestInterfacesResult } from './service/ProxmoxInstance';
export { DefaultProxmoxService } from './service/ProxmoxService';
export type { ProxmoxService } from './service/ProxmoxService';
export { proxmoxServiceRef } from './service/proxmoxServiceRef';
