import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsConfig } from '../config';
import { planRoute } from '../lib/planRoute';
import { OpenedRepo, RepoOpener, resolveRepoUrl } from '../lib/repo/openRepo';
import { OverlayRepoSnapshot } from '../lib/repo/RepoSnapshot';
import { Problems } from '../lib/validation/problems';
import { readStaged, stagingDir, writeStaged } from '../lib/workspace';
import { examples } from './routeGenerate.examples';

/** @public */
export type RouteGenerateActionOptions = {
  config: GitopsConfig;
  openRepo: RepoOpener;
};

/**
 * homelab:route:generate — exposes an existing app's Service through the
 * configured Gateway: app-template `route:` values (Flux) or a raw HTTPRoute.
 *
 * @public
 */
export function createRouteGenerateAction(options: RouteGenerateActionOptions) {
  const { config, openRepo } = options;
  return createTemplateAction({
    id: 'homelab:route:generate',
    description:
      'Generates an HTTPRoute for an existing app to the configured Gateway (name, namespace, sectionName), as app-template route values in the Flux layout or as a raw HTTPRoute, with the hostname restricted to the allowed domains and the route checked against the HTTPRoute CRD schema and CEL rules.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The GitOps repository: host?owner=…&repo=…, or owner/repo',
            ),
        forge: z => z.enum(['github', 'gitea']).optional(),
        branch: z => z.string().optional(),
        layout: z => z.enum(['auto', 'flux', 'argocd']).optional(),
        app: z =>
          z.string().describe('The app (its folder name in the repository)'),
        namespace: z =>
          z.string().optional().describe('Expected namespace of the app'),
        hostname: z =>
          z.string().describe('Hostname, one label under an allowed domain'),
        exposure: z =>
          z
            .string()
            .optional()
            .describe(
              'Which Gateway: a key of homelab.gitops.gateways (default internal)',
            ),
        service: z =>
          z
            .string()
            .optional()
            .describe("Service to route to (default: the app's only Service)"),
        port: z =>
          z
            .number()
            .optional()
            .describe('Service port (default: its first/http port)'),
        pathPrefix: z =>
          z.string().optional().describe('Path prefix to match (default /)'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Workspace folder that mirrors the repository root'),
        dryRun: z => z.boolean().optional(),
      },
      output: {
        mode: z =>
          z
            .string()
            .describe('values (app-template route:) or raw (HTTPRoute file)'),
        files: z => z.array(z.string()),
        url: z => z.string().describe('The address the app will answer at'),
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository as host?owner=…&repo=… (for publish:github:pull-request)',
            ),
        appPath: z => z.string(),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const problems = new Problems();
      const dir = stagingDir(ctx.workspacePath, input.targetPath);
      let repo: OpenedRepo | undefined;
      let plan;
      try {
        plan = await planRoute(
          async () => {
            repo = await openRepo(input.repoUrl, {
              branch: input.branch,
              forge: input.forge,
            });
            return new OverlayRepoSnapshot(
              repo.snapshot,
              await readStaged(dir),
            );
          },
          input,
          config,
          problems,
        );
      } finally {
        await repo?.close?.();
      }
      problems.throwIfAny('The route');
      ctx.logger.info(
        `Route https://${input.hostname}${input.pathPrefix ?? '/'} → ${
          plan!.app.name
        } via Gateway ${plan!.gateway.namespace}/${plan!.gateway.name}${
          plan!.gateway.sectionName ? ` (${plan!.gateway.sectionName})` : ''
        }, ${
          plan!.mode === 'values'
            ? 'as app-template route values'
            : 'as an HTTPRoute'
        }`,
      );
      for (const f of plan!.files)
        ctx.logger.info(
          `  ${f.action === 'create' ? 'new ' : 'edit'} ${f.path}`,
        );
      if (input.dryRun) ctx.logger.info('dryRun: nothing was written');
      else await writeStaged(dir, plan!.files);
      ctx.output('mode', plan!.mode);
      ctx.output(
        'files',
        plan!.files.map(f => f.path),
      );
      ctx.output('url', `https://${input.hostname}${input.pathPrefix ?? ''}`);
      ctx.output('appPath', plan!.app.appPath);
      ctx.output(
        'repoUrl',
        resolveRepoUrl(input.repoUrl, config.forgeHosts, input.forge),
      );
    },
  });
}
