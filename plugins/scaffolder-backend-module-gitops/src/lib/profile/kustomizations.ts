import { DocumentStyle } from './documentStyle';
import { AppEntry } from './layout';
import { normalize } from './normalize';
import { OrderLearner } from './order';
import { RepoObject } from './repoObjects';
import { commonSettings, Setting } from './settings';
import { Convention, presence, Tally } from './tally';

const RESOURCES = 'resources';

/** How the apps' kustomization.yaml files are written and ordered. */
export type KustomizationProfile = {
  /** the order app kustomizations list their files in */
  order: OrderLearner;
  style: DocumentStyle;
  /** `./helmrelease.yaml` or `helmrelease.yaml` */
  dotSlash: Convention<boolean>;
};

/** An entry of an app's resources list, comparable across apps and secrets. */
export function resourceKey(
  entry: string,
  app?: string,
  secrets: string[] = [],
): string {
  let key = entry.replace(/^\.\//, '');
  for (const s of secrets)
    if (s && key.includes(s)) key = key.replace(s, '<secret>');
  return String(normalize(key, app));
}

/** Learns from the kustomization of every app's manifests folder. */
export function kustomizationProfile(
  objects: RepoObject[],
  apps: AppEntry[],
): KustomizationProfile {
  const order = new OrderLearner();
  const style = new DocumentStyle();
  const dotted: boolean[] = [];
  for (const app of apps) {
    const k = objects.find(
      o =>
        o.dir === app.manifestsPath &&
        o.object.kind === 'Kustomization' &&
        String(o.object.apiVersion).startsWith('kustomize.config'),
    );
    if (!k) continue;
    style.learn(k, app.name);
    const secrets = objects
      .filter(
        o => o.dir === app.manifestsPath && o.object.kind === 'SealedSecret',
      )
      .map(o => String(o.object.metadata?.name));
    const entries: string[] = (k.object[RESOURCES] ?? []).map(String);
    order.observe(
      RESOURCES,
      entries.map(e => resourceKey(e, app.name, secrets)),
    );
    dotted.push(
      ...entries.filter(e => /\.ya?ml$/.test(e)).map(e => e.startsWith('./')),
    );
  }
  return { order, style, dotSlash: presence(dotted, 'kustomization entries') };
}

/** The Flux Kustomizations (ks.yaml) of the apps: what they share. */
export type FluxKsProfile = {
  apiVersion: string;
  spec: Setting[];
  /** most name a `metadata.namespace` (cluster-template: flux-system) */
  metadataNamespace?: Convention<string>;
  targetNamespace: Convention<boolean>;
  /** Components most apps include (besides the volume's) */
  components: Array<{ value: string; count: number; total: number }>;
  style: DocumentStyle;
  total: number;
};

export function fluxKsProfile(
  apps: AppEntry[],
  skipComponents: string[],
): FluxKsProfile {
  const ks = apps.map(a => a.ks!).filter(Boolean);
  const style = new DocumentStyle();
  for (const k of ks) style.learn(k, k.object.metadata?.name);
  const components = new Tally<string>(
    ks.flatMap(k => (k.object.spec?.components ?? []).map(String)),
  );
  const of = 'app Kustomizations (ks.yaml)';
  return {
    apiVersion:
      new Tally(ks.map(k => String(k.object.apiVersion))).mostCommon(of)
        ?.value ?? 'kustomize.toolkit.fluxcd.io/v1',
    spec: commonSettings(
      ks.map(k => ({ value: k.object.spec, name: k.object.metadata?.name })),
      of,
      ['path', 'targetNamespace', 'dependsOn', 'components'],
    ),
    metadataNamespace: new Tally(
      ks.map(k => k.object.metadata?.namespace),
    ).majority(of),
    targetNamespace: presence(
      ks.map(k => !!k.object.spec?.targetNamespace),
      of,
    ),
    components: [
      ...new Set(
        ks.flatMap(k => (k.object.spec?.components ?? []).map(String)),
      ),
    ]
      .filter(
        c => !skipComponents.includes(c) && components.count(c) * 2 > ks.length,
      )
      .map(c => ({ value: c, count: components.count(c), total: ks.length })),
    style,
    total: ks.length,
  };
}
