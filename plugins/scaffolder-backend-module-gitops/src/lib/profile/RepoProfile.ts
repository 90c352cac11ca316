import { RepoSnapshot } from '../repo/RepoSnapshot';
import { appTemplateProfile, AppTemplateProfile } from './appTemplate';
import { releaseCharts, ReleaseChart } from './charts';
import { CommitConvention, commitConvention } from './commits';
import {
  FluxKsProfile,
  fluxKsProfile,
  KustomizationProfile,
  kustomizationProfile,
} from './kustomizations';
import { detectRepoLayout, Engine, RepoLayout } from './layout';
import { readRepoObjects, RepoObject } from './repoObjects';
import { renovateStyle, RenovateStyle } from './renovate';
import {
  externalSecretStyle,
  ExternalSecretStyle,
  secretManagement,
  SecretManagement,
} from './secrets';
import { workloadProfile, WorkloadProfile } from './workloads';

/**
 * Everything the generator needs to know about the target repository, read
 * once per run from the whole repository (every YAML file, and the recent
 * history): engine and layout, secret management, app-template conventions
 * among releases of that chart, raw-manifest conventions, Renovate comments,
 * kustomization order, commit messages. The generator writes only what this
 * says, and explains each choice in the pull request.
 */
export type RepoProfile = {
  description: string;
  files: string[];
  objects: RepoObject[];
  layout?: RepoLayout;
  /** both Flux and Argo CD apps were found and the layout was not chosen */
  ambiguous: boolean;
  secrets: SecretManagement;
  externalSecrets: ExternalSecretStyle;
  renovate: RenovateStyle;
  commits: CommitConvention;
  charts: ReleaseChart[];
  appTemplate?: AppTemplateProfile;
  fluxKs?: FluxKsProfile;
  workloads?: WorkloadProfile;
  kustomizations: KustomizationProfile;
};

export type ProfileOptions = {
  fluxAppsPath: string;
  argoAppsPath: string;
  /** the chart new Flux apps use, by its last URL segment */
  chartName: string;
  engine?: Engine;
};

export async function readRepoProfile(
  repo: RepoSnapshot,
  options: ProfileOptions,
): Promise<RepoProfile> {
  const [files, objects, history] = await Promise.all([
    repo.files(),
    readRepoObjects(repo),
    repo.history(),
  ]);
  const texts = new Map(objects.map(o => [o.path, o.text]));
  const { layout, both } = detectRepoLayout(objects, files, texts, {
    fluxAppsPath: options.fluxAppsPath,
    argoAppsPath: options.argoAppsPath,
    engine: options.engine,
  });
  const apps = layout?.apps ?? [];
  const appByDir = new Map(apps.map(a => [a.manifestsPath, a.name]));
  const charts = releaseCharts(objects);
  const ksByManifests = new Map(
    apps.filter(a => a.ks).map(a => [a.manifestsPath, a.ks!]),
  );
  const appTemplate =
    layout?.engine === 'flux'
      ? appTemplateProfile(charts, objects, options.chartName, r =>
          ksByManifests.get(r.dir),
        )
      : undefined;
  const volume = appTemplate?.volume?.value;
  return {
    description: repo.description,
    files,
    objects,
    layout,
    ambiguous: !!both,
    secrets: secretManagement(objects, files),
    externalSecrets: externalSecretStyle(objects, o => appByDir.get(o.dir)),
    renovate: renovateStyle(objects, files),
    commits: commitConvention(
      history,
      apps.map(a => a.name),
      (layout?.containers ?? []).map(c => c.name),
    ),
    charts,
    appTemplate,
    fluxKs:
      layout?.engine === 'flux'
        ? fluxKsProfile(
            apps,
            volume?.kind === 'component' ? [volume.component] : [],
          )
        : undefined,
    workloads:
      layout?.engine === 'argocd' ? workloadProfile(objects, apps) : undefined,
    kustomizations: kustomizationProfile(objects, apps),
  };
}
