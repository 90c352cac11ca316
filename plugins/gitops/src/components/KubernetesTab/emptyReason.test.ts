import type { ClusterObjects } from '@backstage/plugin-kubernetes-common';
import { emptyReason } from './emptyReason';

const cluster = (errors: ClusterObjects['errors']): ClusterObjects => ({
  cluster: { name: 'homelab', title: 'homelab (Talos v1.10.6)' },
  resources: [],
  podMetrics: [],
  errors,
});
const forbidden = (resourcePath: string) => ({
  errorType: 'UNKNOWN_ERROR' as const,
  statusCode: 403,
  resourcePath,
});
const selector = 'backstage.io/kubernetes-id=immich';

describe('emptyReason', () => {
  it('asks for a cluster when none is configured', () => {
    expect(emptyReason('immich', selector, [], []).title).toBe(
      'No Kubernetes cluster is configured',
    );
  });

  it('blames permissions, not the selector, when every kind was refused', () => {
    const reason = emptyReason(
      'immich',
      selector,
      ['homelab'],
      [
        cluster([
          forbidden('/api/v1/pods'),
          forbidden('/apis/apps/v1/deployments'),
        ]),
      ],
    );
    expect(reason.title).toBe(
      "The portal may not list this app's objects in homelab (Talos v1.10.6)",
    );
  });

  it('says the cluster could not be read when it did not answer', () => {
    const reason = emptyReason(
      'immich',
      selector,
      ['homelab'],
      [cluster([{ errorType: 'FETCH_ERROR', message: 'ECONNREFUSED' }])],
    );
    expect(reason.title).toBe(
      'Nothing could be read from homelab (Talos v1.10.6)',
    );
  });

  it('names the selector and the annotation when the cluster answered with nothing', () => {
    const answered = {
      ...cluster([forbidden('/apis/autoscaling/v2/horizontalpodautoscalers')]),
      resources: [{ type: 'pods' as const, resources: [] }],
    };
    const reason = emptyReason('immich', selector, ['homelab'], [answered]);
    expect(reason.title).toBe(`No object matches ${selector}`);
    expect(reason.description).toContain(
      'set backstage.io/kubernetes-label-selector on immich',
    );
    expect(reason.description).toContain('(but for the kinds above)');
  });
});
