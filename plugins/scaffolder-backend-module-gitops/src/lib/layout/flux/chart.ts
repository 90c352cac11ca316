import { AppTemplateProfile } from '../../profile/appTemplate';
import { RepoProfile } from '../../profile/RepoProfile';
import { explain } from '../../profile/tally';
import { Problems } from '../../validation/problems';
import { FluxLayoutConfig } from '../types';

/** The chart a new Flux app gets (app-template, or whatever chartUrl names). */
export type FluxChart = {
  /** the chart's name: the last segment of its URL */
  name: string;
  url: string;
  version: string;
  /** a per-app OCIRepository, or the repository's shared HelmRepository */
  source: 'oci' | 'helm';
};

/**
 * The chart as most of the repository's releases of it have it: their
 * version (else the configured default) and their kind of source.
 * Undefined, with the problem, when there is nothing to copy.
 */
export function fluxChart(
  profile: RepoProfile,
  config: FluxLayoutConfig,
  problems: Problems,
): FluxChart | undefined {
  const at = profile.appTemplate;
  const name = config.chartUrl.slice(config.chartUrl.lastIndexOf('/') + 1);
  const version = at?.version?.value ?? config.defaultChartVersion;
  if (!version) {
    problems.add(
      'repoUrl',
      'chart-version',
      `no app in ${profile.description} uses ${config.chartUrl} yet, and homelab.gitops.flux.defaultChartVersion is not set; set it so the new app gets a known chart version`,
    );
    return undefined;
  }
  const source = at?.source?.value ?? 'oci';
  if (source === 'helm' && !at?.helmSourceRef) {
    problems.add(
      'repoUrl',
      'chart-source',
      `the ${name} releases of ${profile.description} name no HelmRepository to copy`,
    );
    return undefined;
  }
  return { name, url: config.chartUrl, version, source };
}

/** Why the chart is what it is, for the plan's notes. */
export function chartNotes(
  chart: FluxChart,
  at: AppTemplateProfile | undefined,
): string[] {
  const notes: string[] = [];
  if (at?.version)
    notes.push(
      `${chart.name} ${chart.version}: the version most ${
        chart.name
      } releases use (${explain(at.version)})`,
    );
  if (at?.source)
    notes.push(
      `chart from ${
        chart.source === 'oci'
          ? 'a per-app OCIRepository'
          : `the HelmRepository ${at.helmSourceRef!.value.name}`
      }: ${explain(at.source)}`,
    );
  if (at)
    notes.push(
      `conventions read from the ${at.releases.length} ${chart.name} releases only (of ${at.allReleases} HelmReleases)`,
    );
  return notes;
}
