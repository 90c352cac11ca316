import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { proxmoxServiceRef } from '@homelab-portal/plugin-proxmox-node';
import { ProxmoxEntityProvider } from './provider/ProxmoxEntityProvider';

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
        const providers = ProxmoxEntityProvider.fromConfig(config, {
          logger,
          scheduler,
          proxmox,
        });
        for (const provider of providers) catalog.addEntityProvider(provider);
      },
    });
  },
});
