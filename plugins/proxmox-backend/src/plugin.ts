import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { proxmoxPermissions } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxServiceRef } from '@homelab-portal/plugin-proxmox-node';
import { PowerActionStore } from './database/PowerActionStore';
import { createRouter } from './router';
import { AddressIndex } from './service/AddressIndex';
import { BackupIndex } from './service/BackupIndex';
import { PowerActions } from './service/PowerActions';
import {
  readKeepDays,
  scheduleRetention,
} from './service/powerActionRetention';
import { ProxmoxViews } from './service/ProxmoxViews';

/**
 * Proxmox VE views and power actions, on top of the shared Proxmox client
 * service (one cache per backend, shared with the catalog module).
 *
 * @public
 */
export const proxmoxPlugin = createBackendPlugin({
  pluginId: 'proxmox',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        proxmox: proxmoxServiceRef,
      },
      async init(deps) {
        const { httpRouter, logger, proxmox, lifecycle } = deps;
        deps.permissionsRegistry.addPermissions(proxmoxPermissions);
        const keepDays = readKeepDays(deps.config);
        const store = await PowerActionStore.create(deps.database);
        await scheduleRetention({
          scheduler: deps.scheduler,
          store,
          logger,
          keepDays,
        });
        const powerActions = new PowerActions(proxmox, store, logger);
        const views = new ProxmoxViews(
          proxmox,
          new AddressIndex(logger),
          new BackupIndex(logger),
        );
        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            views,
            powerActions,
            store,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        lifecycle.addStartupHook(() => powerActions.resume());
        lifecycle.addShutdownHook(() => powerActions.stop());
      },
    });
  },
});
