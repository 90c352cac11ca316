import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_TALOS_NODE, isTalosVmEntity } from './annotations';

const e = (
  kind: string,
  type: string,
  tags: string[] = [],
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', tags, annotations },
  spec: { type },
});

describe('isTalosVmEntity', () => {
  it('accepts VMs tagged talos or annotated with their Talos node, nothing else', () => {
    expect(
      isTalosVmEntity(e('Resource', 'virtual-machine', ['talos', 'worker'])),
    ).toBe(true);
    expect(
      isTalosVmEntity(
        e('Resource', 'virtual-machine', [], {
          [ANNOTATION_TALOS_NODE]: '10.0.0.2',
        }),
      ),
    ).toBe(true);
    expect(
      isTalosVmEntity(e('Resource', 'virtual-machine', ['home-assistant'])),
    ).toBe(false);
    expect(isTalosVmEntity(e('Resource', 'lxc-container', ['talos']))).toBe(
      false,
    );
    expect(isTalosVmEntity(e('Component', 'virtual-machine', ['talos']))).toBe(
      false,
    );
  });
});
