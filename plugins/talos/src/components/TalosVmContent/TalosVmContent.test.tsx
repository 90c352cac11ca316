import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  TalosClusterView,
  TalosEntityView,
} from '@homelab-portal/plugin-talos-common';
import { screen } from '@testing-library/react';
import { talosApiRef, TalosApi } from '../../api/TalosApi';
import fixture from '../../__fixtures__/cluster-worker-down.json';
import { ClusterPageLinkProvider } from '../../hooks/clusterPageLink';
import { TalosLinkCard } from '../TalosLinkCard';
import { TalosVmContent } from './TalosVmContent';

const cluster = fixture as unknown as TalosClusterView;

const vm = (vmid: number, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `proxmox-home-vm-${vmid}`,
    namespace: 'default',
    title,
    tags: ['talos'],
  },
  spec: { type: 'virtual-machine' },
});

function viewFor(index: number): TalosEntityView {
  return {
    node: cluster.nodes[index],
    link: {
      ...cluster.links[index],
      kubernetesNode: {
        name: cluster.nodes[index].hostname!,
        matchedBy: 'ip',
        ready: index === 0,
        kubeletVersion: 'v1.33.3',
      },
    },
  };
}

function notFound() {
  const e = new Error(
    'No Talos node was found in resource:default/proxmox-home-vm-102',
  );
  (e as any).statusCode = 404;
  return e;
}

async function render(
  entity: Entity,
  getEntityView: TalosApi['getEntityView'],
  children = <TalosVmContent />,
) {
  const api: TalosApi = {
    listClusters: async () => [],
    getCluster: async () => cluster,
    getEntityView,
  };
  return renderInTestApp(
    <TestApiProvider apis={[[talosApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ClusterPageLinkProvider link={c => `/talos?cluster=${c}`}>
          {children}
        </ClusterPageLinkProvider>
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('TalosVmContent', () => {
  it('shows the node of this VM with its links, services and disks', async () => {
    const get = jest.fn(async () => viewFor(0));
    await render(vm(100, 'talos-cp-1 (VM 100)'), get);
    expect((await screen.findAllByText('talos-cp-1')).length).toBeGreaterThan(
      0,
    );
    expect(get).toHaveBeenCalledWith('resource:default/proxmox-home-vm-100');
    expect(screen.getByText(/matched by name/)).toBeInTheDocument();
    expect(screen.getByText(/matched by IP address/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Talos cluster page' }),
    ).toHaveAttribute('href', '/talos?cluster=homelab');
    expect(screen.getByRole('table', { name: 'Services' })).toBeInTheDocument();
    expect(screen.getByText('/dev/sda')).toBeInTheDocument();
    expect(
      screen.queryByText(/This Talos node does not answer/),
    ).not.toBeInTheDocument();
  });

  it('says clearly that the node is down and still shows where it runs', async () => {
    await render(vm(101, 'talos-worker-1 (VM 101)'), async () => viewFor(1));
    expect(
      await screen.findByText(/This Talos node does not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/192\.168\.1\.22 is unreachable: connection refused/)
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('link', { name: 'talos-worker-1 (VM 101)' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Down')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Services' }),
    ).not.toBeInTheDocument();
  });

  it('explains how VMs are linked when this one is not a Talos node', async () => {
    await render(vm(102, 'haos (VM 102)'), async () => {
      throw notFound();
    });
    expect(
      await screen.findByText('This VM is not linked to a Talos node'),
    ).toBeInTheDocument();
    expect(screen.getByText(/talos.homelab.dev\/node/)).toBeInTheDocument();
  });
});

describe('TalosLinkCard', () => {
  it('links the VM, the Talos node and the Kubernetes Node', async () => {
    await render(
      vm(100, 'talos-cp-1 (VM 100)'),
      async () => viewFor(0),
      <TalosLinkCard />,
    );
    expect(
      await screen.findByText('VM, Talos node and Kubernetes Node'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'talos-cp-1 (VM 100)' }),
    ).toHaveAttribute('href', '/catalog/default/resource/proxmox-home-vm-100');
    expect(
      screen.getByText(/talos-cp-1 \(ready, kubelet v1\.33\.3\)/),
    ).toBeInTheDocument();
  });
});
