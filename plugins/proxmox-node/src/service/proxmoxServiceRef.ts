import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultProxmoxService, ProxmoxService } from './ProxmoxService';

/**
 * The Proxmox client service. Root-scoped: every plugin and module of the
 * backend gets the same instance, hence the same cache, so the Proxmox
 * backend and the catalog entity provider never read the same thing twice.
 *
 * @public
 */
export const proxmoxServiceRef = createServiceRef<ProxmoxService>({
  id: 'proxmox.client',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, logger, lifecycle }) {
        const proxmox = DefaultProxmoxService.fromConfig(config, {
          logger: logger.child({ service: 'proxmox' }),
        });
        lifecycle.addShutdownHook(() => proxmox.close());
        return proxmox;
      },
    }),
});
