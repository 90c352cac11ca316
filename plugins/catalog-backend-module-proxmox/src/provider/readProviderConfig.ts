import { toError } from '@backstage/errors';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

export type ProviderConfig = {
  enabled: boolean;
  instances?: string[];
  owner: string;
  system: string;
  /** VMs with one of these tags get their SMBIOS UUID and MACs read. */
  hardwareIdTags: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
};

/** Proxmox publishes fresh numbers every 10 s, but the catalog needs no more than this. */
export const defaultSchedule: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
};

/** Reads `catalog.providers.proxmox`; mistakes name the key. */
export function readProviderConfig(config: Config): ProviderConfig {
  const c = config.getOptionalConfig('catalog.providers.proxmox');
  const owner = c?.getOptionalString('owner') ?? 'group:home-admins';
  try {
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new Error(
      `catalog.providers.proxmox.owner is not an entity ref: ${
        toError(error).message
      }`,
    );
  }
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    instances: c?.getOptionalStringArray('instances'),
    owner,
    system: c?.getOptionalString('system') ?? 'homelab',
    hardwareIdTags: (
      c?.getOptionalStringArray('hardwareIdTags') ?? ['talos']
    ).map(t => t.toLowerCase()),
    schedule: c?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        )
      : defaultSchedule,
  };
}
