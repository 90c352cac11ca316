import { certificateLevel } from './certificates';
import { readRuleFor } from './rbac';
import { parseRenovatePull, updateTypeOf } from './renovate';

describe('certificateLevel', () => {
  it('is red when not ready or 7 days or less, amber up to 21, green above', () => {
    expect(certificateLevel(false, 60)).toBe('error');
    expect(certificateLevel(true, undefined)).toBe('error');
    expect(certificateLevel(true, 7)).toBe('error');
    expect(certificateLevel(true, 7.5)).toBe('warning');
    expect(certificateLevel(true, 21)).toBe('warning');
    expect(certificateLevel(true, 21.1)).toBe('ok');
  });
});

describe('readRuleFor', () => {
  it('names the group and resource of core, grouped and namespaced paths', () => {
    expect(
      readRuleFor('/apis/autoscaling/v2/horizontalpodautoscalers'),
    ).toEqual({
      apiGroup: 'autoscaling',
      resource: 'horizontalpodautoscalers',
      yaml: '- apiGroups: ["autoscaling"]\n  resources: ["horizontalpodautoscalers"]\n  verbs: ["get", "list", "watch"]',
    });
    expect(
      readRuleFor('/api/v1/namespaces/media/pods?labelSelector=x'),
    ).toMatchObject({
      apiGroup: '',
      resource: 'pods',
    });
    expect(readRuleFor('/version')).toBeUndefined();
  });
});

describe('parseRenovatePull', () => {
  it('reads Home Operations titles and their type label', () => {
    expect(
      parseRenovatePull({
        head: 'renovate/ghcr.io-home-operations-home-assistant-2026.x',
        title:
          'fix(container): update image ghcr.io/home-operations/home-assistant (2026.8.2 ➔ 2026.8.3)',
        labels: ['type/patch', 'renovate/container'],
      }),
    ).toEqual({
      depName: 'ghcr.io/home-operations/home-assistant',
      from: '2026.8.2',
      to: '2026.8.3',
      updateType: 'patch',
    });
    expect(
      parseRenovatePull({
        head: 'renovate/konflate-0.x',
        title:
          'feat(container)!: Update image ghcr.io/home-operations/charts/konflate (0.5.0 ➔ 0.6.0)',
      })?.updateType,
    ).toBe('minor');
  });

  it('reads default titles with the version from the body table', () => {
    expect(
      parseRenovatePull({
        head: 'renovate/docker.io-sissbruecker-linkding-2.x',
        title:
          'chore(deps): update docker.io/sissbruecker/linkding docker tag to 2.0.0',
        body: '| Package | Update | Change |\n|---|---|---|\n| docker.io/sissbruecker/linkding | major | `1.44.1` → `2.0.0` |',
      }),
    ).toEqual({
      depName: 'docker.io/sissbruecker/linkding',
      from: '1.44.1',
      to: '2.0.0',
      updateType: 'major',
    });
  });

  it('ignores pull requests that are not Renovate branches', () => {
    expect(
      parseRenovatePull({
        head: 'homelab/add-kitchenowl',
        title: 'feat(kitchenowl): deploy',
      }),
    ).toBeUndefined();
    expect(updateTypeOf('ee5d2e8', '9c36672')).toBe('digest');
  });
});
