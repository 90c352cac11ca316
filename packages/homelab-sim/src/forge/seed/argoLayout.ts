import { Scenario } from '../../scenario/schema';
import { GitopsApp, portName, splitImage } from './householdApps';
import { SCHEMAS, yamlDocuments, yamlFile } from './yamlFile';

/**
 * Files of an Argo CD repository laid out like vehagn/homelab
 * (notes/gitops-sealed-secrets-httproute.md §3.3, §3.5): `k8s/apps/<category>/`
 * holds an AppProject listing the allowed namespaces and an ApplicationSet
 * whose git directories generator makes one Application per app folder; app
 * folders hold raw manifests with explicit namespaces and an `http-route.yaml`.
 * Categories are the scenario's app namespaces.
 */
export class ArgoLayout {
  constructor(
    private readonly scenario: Scenario,
    private readonly repoName: string,
  ) {}

  /** The household's own forge address (what Argo CD would clone). */
  get repoUrl() {
    return `https://git.${this.scenario.household.domain}/${this.scenario.forge.owner}/${this.repoName}.git`;
  }

  baseFiles(): Record<string, string> {
    const s = this.scenario;
    return {
      'README.md': `# ${this.repoName}

The ${s.household.domain} household's apps, laid out for Argo CD.

\`\`\`
k8s/apps/
  application-set.yaml   # one Application per category folder
  project.yaml           # AppProject "apps"
  <category>/
    application-set.yaml # one Application per app folder (git directories generator)
    project.yaml         # AppProject: which namespaces the category may deploy to
    kustomization.yaml
    <app>/               # raw manifests + kustomization.yaml
\`\`\`

Routes attach to the Gateways ${s.kubernetes.gateways
        .map(g => `\`${g.namespace}/${g.name}\``)
        .join(', ')};
secrets are SealedSecrets (\`secret-<name>.yaml\`) next to the app.
`,
      'renovate.json': `${JSON.stringify(
        {
          $schema: 'https://docs.renovatebot.com/renovate-schema.json',
          extends: ['config:recommended'],
          timezone: s.household.timezone,
          kubernetes: { managerFilePatterns: ['/^k8s/.+\\.yaml$/'] },
        },
        null,
        2,
      )}\n`,
      'k8s/apps/kustomization.yaml': yamlFile(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['project.yaml', 'application-set.yaml'],
        },
        { schema: SCHEMAS.kustomization },
      ),
      'k8s/apps/project.yaml': yamlFile({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'apps', namespace: 'argocd' },
        spec: {
          sourceRepos: [this.repoUrl],
          destinations: [{ namespace: 'argocd', server: '*' }],
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
          namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
        },
      }),
      'k8s/apps/application-set.yaml': yamlFile({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'apps', namespace: 'argocd' },
        spec: {
          goTemplate: true,
          goTemplateOptions: ['missingkey=error'],
          generators: [
            {
              git: {
                repoURL: this.repoUrl,
                revision: 'HEAD',
                directories: [{ path: 'k8s/apps/*' }],
              },
            },
          ],
          template: {
            metadata: { name: 'apps-{{ .path.basename }}' },
            spec: {
              project: 'apps',
              source: {
                repoURL: this.repoUrl,
                targetRevision: 'HEAD',
                path: '{{ .path.path }}',
              },
              destination: { name: 'in-cluster', namespace: 'argocd' },
              syncPolicy: { automated: { prune: true, selfHeal: true } },
            },
          },
        },
      }),
    };
  }

  categoryFiles(
    category: string,
    namespaces: string[],
  ): Record<string, string> {
    const dir = `k8s/apps/${category}`;
    return {
      [`${dir}/kustomization.yaml`]: yamlFile(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['project.yaml', 'application-set.yaml'],
        },
        { schema: SCHEMAS.kustomization },
      ),
      // Argo CD refuses to sync into a namespace the project does not list.
      [`${dir}/project.yaml`]: yamlFile({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: category, namespace: 'argocd' },
        spec: {
          sourceRepos: [this.repoUrl],
          destinations: [...namespaces]
            .sort()
            .map(namespace => ({ namespace, server: '*' })),
          clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
          namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
        },
      }),
      [`${dir}/application-set.yaml`]: yamlFile({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: category, namespace: 'argocd' },
        spec: {
          goTemplate: true,
          goTemplateOptions: ['missingkey=error'],
          generators: [
            {
              git: {
                repoURL: this.repoUrl,
                revision: 'HEAD',
                directories: [{ path: `${dir}/*` }],
              },
            },
          ],
          template: {
            metadata: { name: '{{ .path.basename }}' },
            spec: {
              project: category,
              source: {
                repoURL: this.repoUrl,
                targetRevision: 'HEAD',
                path: '{{ .path.path }}',
              },
              destination: { name: 'in-cluster', namespace: category },
              syncPolicy: {
                automated: { prune: true, selfHeal: true },
                syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
              },
            },
          },
        },
      }),
    };
  }

  appFiles(
    app: GitopsApp,
    tags: Record<string, string> = {},
  ): Record<string, string> {
    const dir = `k8s/apps/${app.namespace}/${app.name}`;
    const ns = app.namespace;
    const labels = (w: { name: string }) => ({
      'app.kubernetes.io/name': w.name,
      'app.kubernetes.io/part-of': app.name,
      'backstage.io/kubernetes-id': app.name,
    });
    const workloads: Record<string, unknown[]> = {};
    const services: unknown[] = [];
    for (const w of app.workloads) {
      const { repository, tag } = splitImage(w.image);
      const port = portName(w.port);
      const podSpec = {
        containers: [
          {
            name: w.controller === app.name ? app.name : w.controller,
            image: `${repository}:${tags[w.name] ?? tag}`,
            ports: [{ name: port, containerPort: w.port }],
            env: [{ name: 'TZ', value: this.scenario.household.timezone }],
            resources: {
              requests: {
                cpu: `${w.cpuMillicores}m`,
                memory: `${w.memoryMiB}Mi`,
              },
              limits: { memory: `${w.memoryMiB * 2}Mi` },
            },
          },
        ],
      };
      const file = `${w.kind.toLowerCase()}.yaml`;
      (workloads[file] ??= []).push({
        apiVersion: 'apps/v1',
        kind: w.kind,
        metadata: { name: w.name, namespace: ns, labels: labels(w) },
        spec: {
          ...(w.kind !== 'DaemonSet' ? { replicas: w.replicas } : {}),
          ...(w.kind === 'StatefulSet' ? { serviceName: w.name } : {}),
          selector: { matchLabels: { 'app.kubernetes.io/name': w.name } },
          template: { metadata: { labels: labels(w) }, spec: podSpec },
        },
      });
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: w.name, namespace: ns, labels: labels(w) },
        spec: {
          selector: { 'app.kubernetes.io/name': w.name },
          ports: [{ name: port, port: w.port, targetPort: port }],
        },
      });
    }
    const files: Record<string, string> = {};
    for (const [file, docs] of Object.entries(workloads))
      files[`${dir}/${file}`] = yamlDocuments(docs);
    files[`${dir}/svc.yaml`] = yamlDocuments(services);
    const resources = [...Object.keys(workloads), 'svc.yaml'];
    if (app.hostname && app.gateway) {
      const w = app.workloads[0];
      files[`${dir}/http-route.yaml`] = yamlDocuments([
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: app.name, namespace: ns },
          spec: {
            parentRefs: [
              {
                name: app.gateway.name,
                namespace: app.gateway.namespace,
                sectionName: app.gateway.sectionName,
              },
            ],
            hostnames: [app.hostname],
            rules: [
              {
                matches: [{ path: { type: 'PathPrefix', value: '/' } }],
                backendRefs: [{ name: w.name, port: w.port }],
              },
            ],
          },
        },
      ]);
      resources.push('http-route.yaml');
    }
    files[`${dir}/kustomization.yaml`] = yamlFile(
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: resources.sort(),
      },
      { schema: SCHEMAS.kustomization },
    );
    return files;
  }
}
