import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { TalosClusterView as View } from '@homelab-portal/plugin-talos-common';
import { screen, within } from '@testing-library/react';
import { talosApiRef, TalosApi } from '../../api/TalosApi';
import fixture from '../../__fixtures__/cluster-worker-down.json';
import { TalosClusterPage } from './TalosClusterPage';

const view = fixture as unknown as View;

function api(overrides: Partial<TalosApi> = {}): TalosApi {
  return {
    listClusters: async () => [
      { name: 'homelab', title: 'homelab', endpoints: ['localhost:15000'] },
    ],
    getCluster: async () => view,
    getEntityView: async () => {
      throw new Error('not used');
    },
    ...overrides,
  };
}

async function render(a: TalosApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[talosApiRef, a]]}>
      <TalosClusterPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('TalosClusterPage', () => {
  it('shows the node that is down as down while the rest of the cluster renders', async () => {
    await render(api());
    const worker = await screen.findByTestId('node-row-192.168.1.22');
    expect(within(worker).getByText('Down')).toBeInTheDocument();
    expect(
      within(worker).getByText(
        /192\.168\.1\.22 is unreachable: connection refused/,
      ),
    ).toBeInTheDocument();

    const cp = screen.getByTestId('node-row-192.168.1.21');
    expect(within(cp).getByText('talos-cp-1')).toBeInTheDocument();
    expect(within(cp).getByText('v1.10.6')).toBeInTheDocument();
    expect(within(cp).getByText('v1.33.3')).toBeInTheDocument();
    expect(within(cp).getByText(/Up · running, ready/)).toBeInTheDocument();
    // The VM the node runs in is a link to its entity.
    expect(
      within(cp).getByRole('link', { name: 'talos-cp-1 (VM 100)' }),
    ).toHaveAttribute('href', '/catalog/default/resource/proxmox-home-vm-100');

    // Services: the control plane's services are listed; the worker's column says it is down.
    const services = screen.getByRole('table', { name: 'Services' });
    expect(within(services).getByText('etcd')).toBeInTheDocument();
    expect(within(services).getAllByText('node down').length).toBeGreaterThan(
      5,
    );
  });

  it('lists the health checks in order with verdicts and reasons', async () => {
    await render(api());
    const apid = await screen.findByTestId('health-apid-ready');
    expect(apid).toHaveAttribute('data-status', 'fail');
    expect(
      within(apid).getByText(/talos-worker-1: unreachable/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('health-etcd-healthy')).toHaveAttribute(
      'data-status',
      'pass',
    );
    expect(screen.getByTestId('health-k8s-nodes-ready')).toHaveTextContent(
      'not checked: Kubernetes API not configured',
    );
  });

  it('shows etcd, upgrades and disks', async () => {
    await render(api());
    const etcd = await screen.findByRole('table', { name: 'etcd' });
    expect(within(etcd).getByText('talos-cp-1')).toBeInTheDocument();
    expect(within(etcd).getByText('Leader')).toBeInTheDocument();
    expect(within(etcd).getByText(view.etcd.members[0].id)).toBeInTheDocument();
    expect(screen.getByText('v1.12.6')).toBeInTheDocument();
    expect(screen.getByText('v1.10.8')).toBeInTheDocument();
    const disks = screen.getByRole('table', { name: 'Disks' });
    expect(within(disks).getByText('/dev/sda')).toBeInTheDocument();
    expect(within(disks).getByText('system disk')).toBeInTheDocument();
  });

  it('says what to do when no cluster is configured', async () => {
    await render(api({ listClusters: async () => [] }));
    expect(
      await screen.findByText('No Talos cluster is configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Add a cluster under talos.clusters in app-config/),
    ).toBeInTheDocument();
  });

  it('shows the error when the cluster cannot be read', async () => {
    await render(
      api({
        getCluster: async () => {
          throw new Error('the Talos API at localhost:15000 is not trusted');
        },
      }),
    );
    expect(
      (
        await screen.findAllByText(
          /the Talos API at localhost:15000 is not trusted/,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText(/The Talos cluster could not be read/),
    ).toBeInTheDocument();
  });
});
