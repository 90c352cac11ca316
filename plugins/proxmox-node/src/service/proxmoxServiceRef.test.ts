import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ProxmoxService } from './ProxmoxService';
import { proxmoxServiceRef } from './proxmoxServiceRef';

describe('proxmoxServiceRef', () => {
  it('gives every plugin and module of a backend the same service, hence one cache', async () => {
    const seen: ProxmoxService[] = [];
    const capture = (id: string) =>
      createBackendPlugin({
        pluginId: id,
        register(env) {
          env.registerInit({
            deps: { proxmox: proxmoxServiceRef },
            async init({ proxmox }) {
              seen.push(proxmox);
            },
          });
        },
      });
    const catalogModule = createBackendModule({
      pluginId: 'catalog-test',
      moduleId: 'proxmox',
      register(env) {
        env.registerInit({
          deps: { proxmox: proxmoxServiceRef, logger: coreServices.logger },
          async init({ proxmox }) {
            seen.push(proxmox);
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        capture('proxmox-test'),
        capture('catalog-test'),
        catalogModule,
        mockServices.rootConfig.factory({
          data: {
            proxmox: {
              instances: {
                home: {
                  url: 'https://pve.home.arpa:8006',
                  tokenId: 'backstage@pve!catalog',
                  tokenSecret: 'secret',
                  dangerouslyAllowInsecureTls: true,
                },
              },
            },
          },
        }),
      ],
    });
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[0].listInstances().map(i => i.id)).toEqual(['home']);
    expect(() => seen[0].getInstance('work')).toThrow(
      'No Proxmox instance "work"',
    );
    await backend.stop();
  });
});
