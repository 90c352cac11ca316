import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ProxmoxBackupsResponse,
  ProxmoxGuestDetail,
  ProxmoxGuestsResponse,
  ProxmoxInstanceInfo,
  ProxmoxNodeDetail,
  ProxmoxOverview,
  ProxmoxPowerAction,
  ProxmoxPowerActionRecord,
  ProxmoxPowerActionResponse,
  ProxmoxRrdPoint,
  ProxmoxTaskStatusResponse,
  ProxmoxTasksResponse,
  ProxmoxTimeframe,
  ProxmoxDataState,
} from '@homelab-portal/plugin-proxmox-common';

/**
 * The Proxmox backend plugin, as the views use it.
 *
 * @public
 */
export interface ProxmoxApi {
  listInstances(): Promise<ProxmoxInstanceInfo[]>;
  getOverview(instance: string): Promise<ProxmoxOverview>;
  getGuests(instance: string): Promise<ProxmoxGuestsResponse>;
  getGuest(instance: string, vmid: number): Promise<ProxmoxGuestDetail>;
  getGuestRrd(
    instance: string,
    vmid: number,
    timeframe: ProxmoxTimeframe,
  ): Promise<{
    rrd: ProxmoxRrdPoint[];
    timeframe: ProxmoxTimeframe;
    state: ProxmoxDataState;
  }>;
  getNode(
    instance: string,
    node: string,
    timeframe: ProxmoxTimeframe,
  ): Promise<ProxmoxNodeDetail>;
  getBackups(instance: string, vmid: number): Promise<ProxmoxBackupsResponse>;
  getGuestTasks(instance: string, vmid: number): Promise<ProxmoxTasksResponse>;
  getRecentTasks(instance: string): Promise<ProxmoxTasksResponse>;
  getPowerActions(
    instance: string,
    vmid: number,
  ): Promise<ProxmoxPowerActionRecord[]>;
  power(
    instance: string,
    vmid: number,
    action: ProxmoxPowerAction,
  ): Promise<ProxmoxPowerActionResponse>;
  getTaskStatus(
    instance: string,
    upid: string,
  ): Promise<ProxmoxTaskStatusResponse>;
}

/** @public */
export const proxmoxApiRef = createApiRef<ProxmoxApi>({ id: 'plugin.proxmox' });
