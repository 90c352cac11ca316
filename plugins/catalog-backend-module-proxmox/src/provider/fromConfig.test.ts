import { mockServices } from '@backstage/backend-test-utils';
import type { ProxmoxService } from '@homelab-portal/plugin-proxmox-node';
import { ProxmoxEntityProvider } from './ProxmoxEntityProvider';

// fromConfig only lists instances; the providers' runs are tested against
// the demo homelab in ProxmoxEntityProvider.test.ts.
const proxmox = {
  listInstances: () => [{ id: 'home' }, { id: 'lab' }],
} as unknown as ProxmoxService;

function providers(catalogProviders: object) {
  return ProxmoxEntityProvider.fromConfig(
    mockServices.rootConfig({
      data: { catalog: { providers: { proxmox: catalogProviders } } },
    }),
    {
      logger: mockServices.logger.mock(),
      scheduler: mockServices.scheduler.mock(),
      proxmox,
    },
  ).map(p => p.getProviderName());
}

describe('ProxmoxEntityProvider.fromConfig', () => {
  it('makes one provider per Proxmox instance', () => {
    expect(providers({})).toEqual([
      'ProxmoxEntityProvider:home',
      'ProxmoxEntityProvider:lab',
    ]);
  });

  it('keeps to the instances the provider config names', () => {
    expect(providers({ instances: ['lab'] })).toEqual([
      'ProxmoxEntityProvider:lab',
    ]);
  });

  it('names an instance that proxmox.instances does not have', () => {
    expect(() => providers({ instances: ['garage'] })).toThrow(
      'catalog.providers.proxmox.instances names "garage", which is not under proxmox.instances',
    );
  });

  it('makes none when the provider is turned off', () => {
    expect(providers({ enabled: false })).toEqual([]);
  });
});
