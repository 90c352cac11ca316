import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { KubernetesErrors } from './KubernetesErrors';

describe('KubernetesErrors', () => {
  it('turns a 403 on one kind into the ClusterRole rule to add', async () => {
    await renderInTestApp(
      <KubernetesErrors
        clusters={[
          {
            cluster: { name: 'homelab', title: 'homelab (Talos v1.10.6)' },
            resources: [],
            podMetrics: [],
            errors: [
              {
                errorType: 'UNKNOWN_ERROR',
                statusCode: 403,
                resourcePath: '/apis/autoscaling/v2/horizontalpodautoscalers',
              },
              { errorType: 'FETCH_ERROR', message: 'connect ECONNREFUSED' },
            ],
          },
        ]}
      />,
    );
    expect(
      screen.getByText(
        'Not allowed to list horizontalpodautoscalers.autoscaling in homelab (Talos v1.10.6)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rbac-rule').textContent).toBe(
      '- apiGroups: ["autoscaling"]\n  resources: ["horizontalpodautoscalers"]\n  verbs: ["get", "list", "watch"]',
    );
    expect(
      screen.getByText('Cluster homelab (Talos v1.10.6) could not be reached'),
    ).toBeInTheDocument();
  });

  it('renders nothing when every kind was read', async () => {
    await renderInTestApp(
      <KubernetesErrors
        clusters={[
          {
            cluster: { name: 'homelab' },
            resources: [],
            podMetrics: [],
            errors: [],
          },
        ]}
      />,
    );
    expect(screen.queryByTestId('kubernetes-errors')).toBeNull();
  });
});
