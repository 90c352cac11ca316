import { VolumePattern } from '../../profile/appTemplate';
import { FluxKsProfile } from '../../profile/kustomizations';
import { withName } from '../../profile/normalize';
import { settingsFor } from '../../profile/settings';
import { explain } from '../../profile/tally';
import { AppSpec } from '../types';

/**
 * The app's Flux Kustomization (ks.yaml): the spec settings most of the
 * repository's app Kustomizations share, the Components most include, the
 * volume's Component and substitutions when the repository makes volumes
 * that way, and this app's path and namespace. The notes say where each
 * shared setting comes from.
 */
export function fluxKustomization(
  app: AppSpec,
  manifestsPath: string,
  ks: FluxKsProfile | undefined,
  volume: VolumePattern | undefined,
) {
  const notes: string[] = [];
  const shared = ks ? settingsFor(ks.spec, app.name) : {};
  for (const s of ks?.spec ?? []) notes.push(`ks.yaml ${s.note}`);
  const spec: Record<string, any> = {
    // What Flux requires, when the repository has no app Kustomization to copy.
    ...(ks && ks.total > 0
      ? {}
      : {
          interval: '1h',
          prune: true,
          sourceRef: {
            kind: 'GitRepository',
            name: 'flux-system',
            namespace: 'flux-system',
          },
        }),
    ...shared,
    path: `./${manifestsPath}`,
    targetNamespace: app.namespace,
  };
  const components = (ks?.components ?? []).map(c => {
    notes.push(
      `ks.yaml component ${c.value}: ${explain({
        ...c,
        of: 'app Kustomizations',
      })}`,
    );
    return c.value;
  });
  const substitute: Record<string, string> = {
    ...((spec.postBuild?.substitute as Record<string, string>) ?? {}),
  };
  if (volume?.kind === 'component' && app.persistence) {
    components.push(volume.component);
    Object.assign(substitute, withName(volume.substitute, app.name));
    if (volume.capacityVar)
      substitute[volume.capacityVar] = app.persistence.size;
  } else if (volume?.kind === 'component') {
    // A volume Component's sizing means nothing without the volume.
    for (const k of Object.keys(substitute))
      if (k === volume.capacityVar) delete substitute[k];
  }
  if (components.length > 0) spec.components = components;
  if (Object.keys(substitute).length > 0) {
    spec.postBuild = { ...(spec.postBuild ?? {}), substitute };
  }
  const document = {
    apiVersion: ks?.apiVersion ?? 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: app.name,
      ...(ks?.metadataNamespace && { namespace: ks.metadataNamespace.value }),
    },
    spec,
  };
  return { document, notes };
}
