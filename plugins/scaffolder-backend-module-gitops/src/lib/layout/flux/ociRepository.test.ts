import { testApp } from '../../../__testUtils__/apps';
import { crdProblems } from '../../../__testUtils__/crds';
import { AppTemplateProfile } from '../../profile/appTemplate';
import { APP } from '../../profile/normalize';
import { ociRepository } from './ociRepository';

const URL = 'oci://ghcr.io/bjw-s-labs/helm/app-template';

describe('ociRepository', () => {
  it('builds a valid OCIRepository of the chart at the version', () => {
    const document = ociRepository(testApp(), undefined, '4.2.0', URL);

    expect(crdProblems(document)).toEqual([]);
    expect(document).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'mealie' },
      spec: {
        interval: '15m',
        layerSelector: {
          mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
          operation: 'copy',
        },
        url: URL,
        ref: { tag: '4.2.0' },
      },
    });
  });

  it("takes the spec settings and apiVersion of the repository's others; the version stays the chart's", () => {
    const profile = {
      apiVersion: { ociRepository: 'source.toolkit.fluxcd.io/v1beta2' },
      ociSpec: [
        { key: 'interval', value: '5m', note: 'n' },
        { key: 'ref', value: { tag: '3.0.0' }, note: 'n' },
        { key: 'secretRef', value: { name: `${APP}-pull` }, note: 'n' },
      ],
    } as unknown as AppTemplateProfile;
    const document = ociRepository(testApp(), profile, '4.2.0', URL);

    expect(document.apiVersion).toBe('source.toolkit.fluxcd.io/v1beta2');
    expect(document.spec).toMatchObject({
      interval: '5m',
      secretRef: { name: 'mealie-pull' },
      ref: { tag: '4.2.0' },
    });
    expect(
      crdProblems({ ...document, apiVersion: 'source.toolkit.fluxcd.io/v1' }),
    ).toEqual([]);
  });
});
