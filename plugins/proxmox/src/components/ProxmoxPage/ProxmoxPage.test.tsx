import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { ProxmoxPage } from './ProxmoxPage';

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};
// The page is heavy for jsdom (tables and charts): allow it time.
jest.setTimeout(60_000);
const wait = { timeout: 20_000 };

describe('ProxmoxPage', () => {
  it('shows counts, nodes with charts, the guest table, storage and recent tasks', async () => {
    const api = fakeApi();
    await renderInTestApp(<ProxmoxPage />, {
      ...routes,
      apis: [[proxmoxApiRef, api]],
    });
    expect(await screen.findByText('2 / 2', {}, wait)).toBeInTheDocument();
    expect(screen.getByText('VMs running')).toBeInTheDocument();
    const table = await screen.findByText('Guests (3)', {}, wait);
    expect(table).toBeInTheDocument();
    const row = screen.getByText('talos-cp-1').closest('tr')!;
    expect(within(row).getByText('192.168.1.21')).toBeInTheDocument();
    expect(within(row).getByText(/h ago/)).toBeInTheDocument();
    // The old backup of haos is flagged, the container without a job too.
    const haos = screen.getByText('haos').closest('tr')!;
    expect(within(haos).getByText(/8 days ago/)).toBeInTheDocument();
    expect(
      within(screen.getByText('traefik').closest('tr')!).getByText(/no job/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: 'CPU' }, wait),
    ).toBeInTheDocument();
    expect(screen.getByText('nas-backups')).toBeInTheDocument();
    expect(screen.getByText('job errors')).toBeInTheDocument();
    expect(screen.getByText(/Data from/)).toBeInTheDocument();
  });

  it('keeps the last data on screen with a banner when Proxmox cannot be read', async () => {
    const api = fakeApi();
    const overview = await api.getOverview('home');
    api.getOverview.mockResolvedValue({
      ...overview,
      state: {
        fetchedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        stale: true,
        error: {
          kind: 'unreachable',
          message:
            'Cannot reach Proxmox instance "home" (https://pve:8006): ECONNREFUSED',
        },
      },
    });
    await renderInTestApp(<ProxmoxPage />, {
      ...routes,
      apis: [[proxmoxApiRef, api]],
    });
    const alert = await screen.findByRole('alert', {}, wait);
    expect(alert).toHaveTextContent('Proxmox cannot be read right now');
    expect(alert).toHaveTextContent('ECONNREFUSED');
    expect(alert).toHaveTextContent('Showing data from 5 min ago');
    expect(await screen.findByText('talos-cp-1', {}, wait)).toBeInTheDocument();
  });

  it('says how to configure Proxmox when no instance is configured', async () => {
    const api = fakeApi({ listInstances: async () => [] });
    await renderInTestApp(<ProxmoxPage />, {
      ...routes,
      apis: [[proxmoxApiRef, api]],
    });
    expect(
      await screen.findByText('No Proxmox instance is configured', {}, wait),
    ).toBeInTheDocument();
    expect(screen.getByText(/proxmox.instances/)).toBeInTheDocument();
  });
});
