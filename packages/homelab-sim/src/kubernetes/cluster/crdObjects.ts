import { installedCrds } from '../api/crdRegistry';
import { iso } from './identity';
import { staticMeta } from './objectMeta';
import type { SourceContext } from './objectSources';

/** The installed CRDs as apiextensions-apiserver stores them, with status. */
export function customResourceDefinitions({ t }: SourceContext) {
  const installedAt = t.clusterCreatedAt + 5 * 60_000;
  return installedCrds().map(({ crd }) => ({
    ...crd,
    metadata: {
      ...crd.metadata,
      ...staticMeta(
        t,
        'CustomResourceDefinition',
        crd.metadata.name,
        undefined,
        installedAt,
      ),
      generation: 1,
    },
    status: {
      acceptedNames: crd.spec.names,
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: iso(installedAt),
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: iso(installedAt),
        },
      ],
      storedVersions: crd.spec.versions.filter(v => v.storage).map(v => v.name),
    },
  }));
}
