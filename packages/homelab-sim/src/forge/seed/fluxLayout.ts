import { Scenario } from '../../scenario/schema';
import { GitopsApp, portName, splitImage } from './householdApps';
import { SCHEMAS, yamlFile } from './yamlFile';

/**
 * Files of a Flux "home-ops" repository as the Home Operations community lays
 * them out (notes/gitops-sealed-secrets-httproute.md §3.2, §3.5): a root
 * Kustomization over `kubernetes/apps`, one folder per namespace with a
 * kustomization listing `./<app>/ks.yaml`, and per app a Flux Kustomization
 * plus an `app/` folder with the bjw-s app-template HelmRelease.
 */
export class FluxLayout {
  constructor(private readonly scenario: Scenario) {}

  private get chartVersion() {
    return this.scenario.forge.appTemplateVersion;
  }

  baseFiles(repoName: string): Record<string, string> {
    const s = this.scenario;
    return {
      'README.md': `# ${repoName}

GitOps repository of the ${s.household.domain} household cluster
(Talos ${s.talos.talosVersion}, Kubernetes ${
        s.talos.kubernetesVersion
      }), reconciled by Flux.

## Layout

\`\`\`
kubernetes/
  flux/cluster/ks.yaml        # root Kustomization "cluster-apps" over kubernetes/apps
  components/common/          # namespace component shared by every namespace folder
  apps/<namespace>/
    kustomization.yaml        # lists ./<app>/ks.yaml
    <app>/ks.yaml             # Flux Kustomization of the app
    <app>/app/                # OCIRepository + HelmRelease (bjw-s app-template)
\`\`\`

Apps are deployed with the [app-template](https://github.com/bjw-s-labs/helm-charts) chart;
routes attach to the cluster Gateways (${s.kubernetes.gateways
        .map(g => `\`${g.namespace}/${g.name}\``)
        .join(', ')}).
Secrets are committed only as SealedSecrets. Renovate keeps images and charts current.

New apps come as pull requests from the HomeLab Portal ("Add an app").
`,
      '.editorconfig': `root = true

[*]
charset = utf-8
end_of_line = lf
indent_size = 2
indent_style = space
insert_final_newline = true
trim_trailing_whitespace = true

[*.md]
trim_trailing_whitespace = false
`,
      '.renovaterc.json5': `{
  $schema: "https://docs.renovatebot.com/renovate-schema.json",
  extends: ["github>home-operations/renovate-presets#8.1.0"],
  timezone: "${s.household.timezone}",
}
`,
      'kubernetes/flux/cluster/ks.yaml': yamlFile(
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'cluster-apps', namespace: 'flux-system' },
          spec: {
            interval: '1h',
            path: './kubernetes/apps',
            prune: true,
            sourceRef: { kind: 'GitRepository', name: 'flux-system' },
            patches: [
              {
                patch: [
                  'apiVersion: kustomize.toolkit.fluxcd.io/v1',
                  'kind: Kustomization',
                  'metadata:',
                  '  name: _',
                  'spec:',
                  '  patches:',
                  '    - patch: |-',
                  '        apiVersion: helm.toolkit.fluxcd.io/v2',
                  '        kind: HelmRelease',
                  '        metadata:',
                  '          name: _',
                  '        spec:',
                  '          install:',
                  '            remediation:',
                  '              retries: -1',
                  '          upgrade:',
                  '            cleanupOnFail: true',
                  '            remediation:',
                  '              retries: 3',
                  '      target:',
                  '        group: helm.toolkit.fluxcd.io',
                  '        kind: HelmRelease',
                ].join('\n'),
                target: {
                  group: 'kustomize.toolkit.fluxcd.io',
                  kind: 'Kustomization',
                },
              },
            ],
          },
        },
        { schema: SCHEMAS.fluxKustomization },
      ),
      'kubernetes/components/common/kustomization.yaml': yamlFile(
        {
          apiVersion: 'kustomize.config.k8s.io/v1alpha1',
          kind: 'Component',
          resources: ['./namespace.yaml'],
        },
        { schema: SCHEMAS.kustomization },
      ),
      // kustomize renames the `_` Namespace to the folder's `namespace:`.
      'kubernetes/components/common/namespace.yaml': yamlFile({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: '_',
          annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
        },
      }),
    };
  }

  /** `kubernetes/apps/<ns>/kustomization.yaml` listing the given apps alphabetically. */
  namespaceKustomization(namespace: string, apps: string[]): string {
    return yamlFile(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace,
        components: ['../../components/common'],
        resources: [...apps].sort().map(a => `./${a}/ks.yaml`),
      },
      {
        schema: SCHEMAS.kustomization,
        keyComments: {
          resources: 'Flux Kustomizations of the apps (alphabetical)',
        },
      },
    );
  }

  /** The four files of one app; `tags` overrides image tags (older releases in the history). */
  appFiles(
    app: GitopsApp,
    tags: Record<string, string> = {},
  ): Record<string, string> {
    const dir = `kubernetes/apps/${app.namespace}/${app.name}`;
    return {
      [`${dir}/ks.yaml`]: yamlFile(
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: app.name },
          spec: {
            commonMetadata: { labels: { 'app.kubernetes.io/name': app.name } },
            interval: '1h',
            path: `./${dir}/app`,
            prune: true,
            sourceRef: {
              kind: 'GitRepository',
              name: 'flux-system',
              namespace: 'flux-system',
            },
            targetNamespace: app.namespace,
            timeout: '5m',
            wait: false,
          },
        },
        { schema: SCHEMAS.fluxKustomization },
      ),
      [`${dir}/app/kustomization.yaml`]: yamlFile(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['./helmrelease.yaml', './ocirepository.yaml'],
        },
        { schema: SCHEMAS.kustomization },
      ),
      [`${dir}/app/ocirepository.yaml`]: yamlFile(
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'OCIRepository',
          metadata: { name: app.name },
          spec: {
            interval: '15m',
            layerSelector: {
              mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
              operation: 'copy',
            },
            ref: { tag: this.chartVersion },
            url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
          },
        },
        { schema: SCHEMAS.ociRepository },
      ),
      [`${dir}/app/helmrelease.yaml`]: yamlFile(this.helmRelease(app, tags), {
        schema: SCHEMAS.helmRelease,
      }),
    };
  }

  helmRelease(app: GitopsApp, tags: Record<string, string>) {
    const multi = app.workloads.length > 1;
    const controllers: Record<string, unknown> = {};
    const services: Record<string, unknown> = {};
    for (const w of app.workloads) {
      const { repository, tag } = splitImage(w.image);
      controllers[w.controller] = {
        ...(w.kind !== 'Deployment' ? { type: w.kind.toLowerCase() } : {}),
        ...(w.replicas !== 1 ? { replicas: w.replicas } : {}),
        annotations: { 'reloader.stakater.com/auto': 'true' },
        containers: {
          app: {
            image: { repository, tag: tags[w.name] ?? tag },
            env: { TZ: this.scenario.household.timezone },
            probes: {
              liveness: { enabled: true },
              readiness: { enabled: true },
            },
            resources: {
              requests: {
                cpu: `${w.cpuMillicores}m`,
                memory: `${w.memoryMiB}Mi`,
              },
              limits: { memory: `${w.memoryMiB * 2}Mi` },
            },
          },
        },
      };
      services[multi ? w.controller : 'app'] = {
        ...(multi ? { controller: w.controller } : {}),
        ports: { [portName(w.port)]: { port: w.port } },
      };
    }
    const routed = app.workloads[0];
    const values: Record<string, unknown> = {
      controllers,
      global: { labels: { 'backstage.io/kubernetes-id': app.name } },
    };
    if (app.hostname && app.gateway) {
      values.route = {
        app: {
          hostnames: [app.hostname],
          parentRefs: [
            {
              name: app.gateway.name,
              namespace: app.gateway.namespace,
              sectionName: app.gateway.sectionName,
            },
          ],
          ...(multi
            ? {
                rules: [
                  {
                    backendRefs: [
                      { identifier: routed.controller, port: routed.port },
                    ],
                  },
                ],
              }
            : {}),
        },
      };
    }
    values.service = services;
    return {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: app.name },
      spec: {
        chartRef: { kind: 'OCIRepository', name: app.name },
        interval: '1h',
        values,
      },
    };
  }
}
