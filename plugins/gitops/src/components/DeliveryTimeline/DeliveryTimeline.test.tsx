import { renderInTestApp } from '@backstage/test-utils';
import type { AppDelivery } from '@homelab-portal/plugin-gitops-common';
import { screen } from '@testing-library/react';
import { DeliveryTimeline } from './DeliveryTimeline';

const failing: AppDelivery = {
  app: 'actual-budget',
  namespace: 'productivity',
  repository: 'home-ops',
  engine: 'flux',
  state: 'failed',
  failingStep: 'reconcile',
  steps: [
    {
      id: 'pull-request',
      title: 'Pull request',
      state: 'done',
      message: '#4 merged: fix(container): update image',
      links: [{ title: 'home-ops#4', url: 'https://forge/pull/4' }],
      facts: [],
    },
    {
      id: 'reconcile',
      title: 'Flux',
      state: 'failed',
      message:
        'HelmRelease upgrade failed: Helm upgrade failed for release productivity/actual-budget',
      links: [],
      facts: [{ label: 'Release', value: 'v3 (app-template@5.1.0)' }],
    },
    {
      id: 'workload',
      title: 'Workload',
      state: 'done',
      message: 'Deployment actual-budget: 1/1 replicas ready, 0 restarts',
      links: [],
      facts: [],
    },
    {
      id: 'route',
      title: 'Route',
      state: 'done',
      message: 'https://budget.home.example.org: accepted by internal',
      links: [],
      facts: [],
    },
  ],
};

describe('DeliveryTimeline', () => {
  it('names the failing step with its message and keeps the others', async () => {
    await renderInTestApp(<DeliveryTimeline delivery={failing} />);
    expect(screen.getByText('Flux: failed')).toBeInTheDocument();
    expect(screen.getByTestId('step-reconcile')).toHaveAttribute(
      'data-state',
      'failed',
    );
    expect(
      screen.getByText(
        /^HelmRelease upgrade failed: Helm upgrade failed for release/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Workload: live')).toBeInTheDocument();
    expect(screen.getByText('home-ops#4')).toHaveAttribute(
      'href',
      'https://forge/pull/4',
    );
    expect(screen.getByText('v3 (app-template@5.1.0)')).toBeInTheDocument();
  });
});
