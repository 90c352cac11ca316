import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { EntityProxmoxContent } from './EntityProxmoxContent';

jest.setTimeout(60_000);
const wait = { timeout: 20_000 };

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'proxmox-home-vm-100', namespace: 'default', annotations },
  spec: { type: 'virtual-machine' },
});

async function render(e: Entity, api = fakeApi()) {
  await renderInTestApp(
    <EntityProvider entity={e}>
      <EntityProxmoxContent />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [proxmoxApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ],
    },
  );
  return api;
}

describe('EntityProxmoxContent', () => {
  it('shows a VM: status, addresses, configuration, history, backups and power', async () => {
    const api = await render(
      entity({
        'proxmox.homelab.dev/instance': 'home',
        'proxmox.homelab.dev/node': 'pve',
        'proxmox.homelab.dev/vmid': '100',
        'proxmox.homelab.dev/type': 'qemu',
      }),
    );
    expect(
      await screen.findByText('QEMU VM 100 on node pve', {}, wait),
    ).toBeInTheDocument();
    expect(api.getGuest).toHaveBeenCalledWith('home', 100);
    expect(screen.getByText(/192\.168\.1\.21\/24/)).toBeInTheDocument();
    expect(
      screen.getByText('6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100100'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Last backup: \d+ h ago/, {}, wait),
    ).toBeInTheDocument();
    expect(screen.getByText(/may not list backup files/)).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: 'CPU' }, wait),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reboot' })).toBeInTheDocument();
    expect(
      screen.getByText('No power action was asked through the portal yet.'),
    ).toBeInTheDocument();
  });

  it('flags a backup older than the threshold', async () => {
    await render(
      entity({
        'proxmox.homelab.dev/instance': 'home',
        'proxmox.homelab.dev/node': 'pve',
        'proxmox.homelab.dev/vmid': '102',
        'proxmox.homelab.dev/type': 'qemu',
      }),
    );
    expect(
      await screen.findByText(
        'The last backup is older than 2 days.',
        {},
        wait,
      ),
    ).toBeInTheDocument();
  });

  it('shows a node with its history and guests', async () => {
    const api = await render(
      entity({
        'proxmox.homelab.dev/instance': 'home',
        'proxmox.homelab.dev/node': 'pve',
        'proxmox.homelab.dev/type': 'node',
      }),
    );
    expect(
      await screen.findByText('Guests on pve (3)', {}, wait),
    ).toBeInTheDocument();
    expect(api.getNode).toHaveBeenCalledWith('home', 'pve', 'hour');
    expect(screen.getByText(/i5-12500T/)).toBeInTheDocument();
  });

  it('explains entities that are not Proxmox objects', async () => {
    await render(entity({}));
    expect(
      await screen.findByText('Not a Proxmox node or guest', {}, wait),
    ).toBeInTheDocument();
  });
});
