import { AppTemplateProfile } from '../../profile/appTemplate';
import { settingsFor } from '../../profile/settings';
import { AppSpec } from '../types';

/** The chart source of an app: an OCIRepository like the repository's other app-template ones. */
export function ociRepository(
  app: AppSpec,
  profile: AppTemplateProfile | undefined,
  version: string,
  chartUrl: string,
) {
  const shared = settingsFor(profile?.ociSpec ?? [], app.name);
  return {
    apiVersion:
      profile?.apiVersion.ociRepository ?? 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name: app.name },
    spec: {
      interval: '15m',
      layerSelector: {
        mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        operation: 'copy',
      },
      url: chartUrl,
      ...shared,
      ref: { tag: version },
    },
  };
}
