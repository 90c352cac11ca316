import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { proxmoxServiceRef } from '@homelab-portal/plugin-proxmox-node';
import { ProxmoxEntityProvider } from './provider/ProxmoxEntityProvider';
import { readProviderConfig } from './provider/readProviderConfig';

/**
 * Catalog module: one entity provider per Proxmox instance, reading through
 * the shared Proxmox client service.
 *
 * @public
 */
export const catalogModuleProxmox = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'proxmox',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        proxmox: proxmoxServiceRef,
      },
      async init({ catalog, config, logger, scheduler, proxmox }) {
        const providerConfig = readProviderConfig(config);
        if (!providerConfig.enabled) {
          logger.info(
            'The Proxmox entity provider is turned off (catalog.providers.proxmox.enabled)',
          );
          return;
        }
        const instances = proxmox
          .listInstances()
          .filter(
            i =>
              !providerConfig.instances ||
              providerConfig.instances.includes(i.id),
          );
        for (const id of providerConfig.instances ?? []) {
          if (!instances.some(i => i.id === id)) {
            throw new Error(
              `catalog.providers.proxmox.instances names "${id}", which is not under proxmox.instances`,
            );
          }
        }
        const runner = scheduler.createScheduledTaskRunner(
          providerConfig.schedule,
        );
        for (const instance of instances) {
          catalog.addEntityProvider(
            new ProxmoxEntityProvider(
              instance,
              providerConfig,
              logger.child({
                provider: `ProxmoxEntityProvider:${instance.id}`,
              }),
              runner,
            ),
          );
        }
      },
    });
  },
});
