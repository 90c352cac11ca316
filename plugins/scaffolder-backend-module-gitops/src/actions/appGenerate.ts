import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsConfig } from '../config';
import { planApp } from '../lib/planApp';
import { pullRequestBody, pullRequestPart } from '../lib/pullRequest';
import { RepoOpener, resolveRepoUrl } from '../lib/repo/openRepo';
import { stagingDir, writeStaged } from '../lib/workspace';
import { examples } from './appGenerate.examples';
import { pullRequestOutputs } from './pullRequestOutputs';
import { repoFields } from './repoFields';

/** @public */
export type AppGenerateActionOptions = {
  config: GitopsConfig;
  openRepo: RepoOpener;
};

/**
 * homelab:app:generate — the files of a new app, in the target repo's own
 * layout, written into the workspace for a pull request step.
 *
 * @public
 */
export function createAppGenerateAction(options: AppGenerateActionOptions) {
  const { config, openRepo } = options;
  return createTemplateAction({
    id: 'homelab:app:generate',
    description:
      "Generates a new app for a GitOps repository in its own layout (Flux app-template or Argo CD raw manifests), registers it in the namespace/category, and writes the files plus the app's catalog-info.yaml into the workspace. Validates everything, including the route against the HTTPRoute CRD and its CEL rules, before writing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...repoFields({
          repoUrl:
            'The GitOps repository: host?owner=…&repo=… as RepoUrlPicker gives it, or owner/repo on the one configured forge',
          forge:
            'Which integration to read with when a host has both (default: the one configured)',
          branch: "Branch to read (default: the repository's default branch)",
        }),
        layout: z =>
          z
            .enum(['auto', 'flux', 'argocd'])
            .optional()
            .describe(
              'Repository layout; default from homelab.gitops.layout (auto = detect)',
            ),
        name: z =>
          z
            .string()
            .describe(
              'App name: lowercase, digits and "-", starts with a letter',
            ),
        title: z =>
          z.string().optional().describe('Display name in the catalog'),
        description: z =>
          z.string().describe('What the app is for (catalog description)'),
        owner: z => z.string().describe('Owning group, e.g. group:home-admins'),
        system: z =>
          z.string().optional().describe('Catalog system the app belongs to'),
        namespace: z => z.string().describe('Kubernetes namespace'),
        category: z =>
          z
            .string()
            .optional()
            .describe(
              'Argo CD layout: category folder (default: the namespace)',
            ),
        image: z =>
          z
            .string()
            .describe(
              'Container image with a pinned tag, e.g. ghcr.io/org/app:1.2.3',
            ),
        port: z => z.number().describe('The port the container listens on'),
        hostname: z =>
          z
            .string()
            .optional()
            .describe('Hostname to expose the app at (omit for no route)'),
        exposure: z =>
          z
            .string()
            .optional()
            .describe(
              'Which Gateway: a key of homelab.gitops.gateways (default internal)',
            ),
        persistence: z =>
          z
            .object({
              size: z
                .string()
                .optional()
                .describe('Volume size, e.g. 5Gi (empty = no volume)'),
              mountPath: z
                .string()
                .optional()
                .describe('Where to mount it (default /data)'),
              storageClass: z
                .string()
                .optional()
                .describe('StorageClass (default: the cluster default)'),
            })
            .optional(),
        env: z =>
          z
            .array(z.object({ name: z.string(), value: z.string() }))
            .optional()
            .describe('Plain (non-secret) environment variables'),
        secretName: z =>
          z
            .string()
            .optional()
            .describe(
              'A Secret the container reads with envFrom (sealed by homelab:secret:seal); refused when the repository keeps secrets another way',
            ),
        externalSecret: z =>
          z
            .object({
              key: z
                .string()
                .describe("The item in the repository's secret store"),
              keys: z
                .array(z.string())
                .optional()
                .describe('The Secret keys, for stores read key by key'),
            })
            // null: what a template's `... if storeKey else none` renders without a store.
            .nullish()
            .describe(
              "Instead of a sealed Secret: an ExternalSecret from the repository's own store (repositories that use ExternalSecrets)",
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder that mirrors the repository root (default "."); give the same to the pull request step as sourcePath',
            ),
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe('Validate and report the plan without writing any file'),
      },
      output: {
        layout: z => z.string().describe('flux or argocd'),
        appPath: z => z.string().describe("The app's folder in the repository"),
        kustomizationPath: z =>
          z
            .string()
            .describe("The kustomization.yaml that lists the app's manifests"),
        files: z =>
          z.array(z.string()).describe('Every file written (repository paths)'),
        createdFiles: z => z.array(z.string()),
        updatedFiles: z => z.array(z.string()),
        namespaceCreated: z => z.boolean(),
        chartVersion: z => z.string().optional(),
        catalogInfoPath: z => z.string(),
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository as host?owner=…&repo=… (for publish:github:pull-request)',
            ),
        entityRef: z =>
          z
            .string()
            .describe('The catalog entity the app will have after merge'),
        ...pullRequestOutputs,
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const { plan, profile, spec } = await planApp(
        input,
        () =>
          openRepo(input.repoUrl, { branch: input.branch, forge: input.forge }),
        config,
      );
      const created = plan.files
        .filter(f => f.action === 'create')
        .map(f => f.path);
      const updated = plan.files
        .filter(f => f.action === 'update')
        .map(f => f.path);
      ctx.logger.info(
        `Planned ${input.name} in ${profile.description} (${plan.layout} layout): ${created.length} new files, ${updated.length} edited`,
      );
      for (const f of plan.files)
        ctx.logger.info(
          `  ${f.action === 'create' ? 'new ' : 'edit'} ${f.path}`,
        );

      if (input.dryRun) {
        ctx.logger.info('dryRun: nothing was written');
      } else {
        await writeStaged(
          stagingDir(ctx.workspacePath, input.targetPath),
          plan.files,
        );
      }
      const part = pullRequestPart(
        profile,
        { kind: 'add-app', app: spec.name, title: spec.title },
        `Adds **${spec.title}** (\`${input.image}\`) in namespace \`${
          spec.namespace
        }\`${
          spec.hostname
            ? `, at https://${spec.hostname} (${
                input.exposure || 'internal'
              } Gateway)`
            : ', without a route'
        }${plan.chartVersion ? `, app-template ${plan.chartVersion}` : ''}.`,
        plan.files,
        plan.notes,
      );
      ctx.output('layout', plan.layout);
      ctx.output('appPath', plan.appPath);
      ctx.output('kustomizationPath', plan.kustomizationPath);
      ctx.output(
        'files',
        plan.files.map(f => f.path),
      );
      ctx.output('createdFiles', created);
      ctx.output('updatedFiles', updated);
      ctx.output('namespaceCreated', plan.namespaceCreated);
      if (plan.chartVersion) ctx.output('chartVersion', plan.chartVersion);
      ctx.output('catalogInfoPath', plan.catalogInfoPath);
      ctx.output('entityRef', `component:default/${input.name}`);
      ctx.output(
        'repoUrl',
        resolveRepoUrl(input.repoUrl, config.forgeHosts, input.forge),
      );
      ctx.output('branchName', `homelab/add-${input.name}`);
      ctx.output('title', part.title);
      ctx.output('commitMessage', part.title);
      ctx.output('description', pullRequestBody([part]));
      ctx.output('pullRequest', part);
    },
  });
}
