import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ProxmoxPowerAction,
  ProxmoxPowerActionRecord,
  ProxmoxTimeframe,
} from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxApi } from './ProxmoxApi';

/**
 * Talks to the Proxmox backend plugin with the signed-in user's token.
 *
 * @public
 */
export class ProxmoxClient implements ProxmoxApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('proxmox');
    const res = await this.options.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  private guest(instance: string, vmid: number) {
    return `/instances/${encodeURIComponent(instance)}/guests/${vmid}`;
  }

  async listInstances() {
    return (
      await this.call<{
        instances: Awaited<ReturnType<ProxmoxApi['listInstances']>>;
      }>('/instances')
    ).instances;
  }

  getOverview(instance: string) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getOverview']>>>(
      `/instances/${encodeURIComponent(instance)}/overview`,
    );
  }

  getGuests(instance: string) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getGuests']>>>(
      `/instances/${encodeURIComponent(instance)}/guests`,
    );
  }

  getGuest(instance: string, vmid: number) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getGuest']>>>(
      this.guest(instance, vmid),
    );
  }

  getGuestRrd(instance: string, vmid: number, timeframe: ProxmoxTimeframe) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getGuestRrd']>>>(
      `${this.guest(instance, vmid)}/rrd?timeframe=${timeframe}`,
    );
  }

  getNode(instance: string, node: string, timeframe: ProxmoxTimeframe) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getNode']>>>(
      `/instances/${encodeURIComponent(instance)}/nodes/${encodeURIComponent(
        node,
      )}?timeframe=${timeframe}`,
    );
  }

  getBackups(instance: string, vmid: number) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getBackups']>>>(
      `${this.guest(instance, vmid)}/backups`,
    );
  }

  getGuestTasks(instance: string, vmid: number) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getGuestTasks']>>>(
      `${this.guest(instance, vmid)}/tasks`,
    );
  }

  getRecentTasks(instance: string) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getRecentTasks']>>>(
      `/instances/${encodeURIComponent(instance)}/tasks`,
    );
  }

  async getPowerActions(instance: string, vmid: number) {
    return (
      await this.call<{ actions: ProxmoxPowerActionRecord[] }>(
        `${this.guest(instance, vmid)}/power-actions`,
      )
    ).actions;
  }

  power(instance: string, vmid: number, action: ProxmoxPowerAction) {
    return this.call<Awaited<ReturnType<ProxmoxApi['power']>>>(
      `${this.guest(instance, vmid)}/power/${action}`,
      {
        method: 'POST',
      },
    );
  }

  getTaskStatus(instance: string, upid: string) {
    return this.call<Awaited<ReturnType<ProxmoxApi['getTaskStatus']>>>(
      `/instances/${encodeURIComponent(instance)}/tasks/${encodeURIComponent(
        upid,
      )}`,
    );
  }
}
