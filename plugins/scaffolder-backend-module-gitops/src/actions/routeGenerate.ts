import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsConfig } from '../config';
import { profileOf, requireLayout } from '../lib/planApp';
import { checkRouteRequest, planRoute } from '../lib/planRoute';
import { pullRequestBody, pullRequestPart } from '../lib/pullRequest';
import { RepoOpener, resolveRepoUrl } from '../lib/repo/openRepo';
import { OverlayRepoSnapshot } from '../lib/repo/RepoSnapshot';
import { Problems } from '../lib/validation/problems';
import { readStaged, stagingDir, writeStaged } from '../lib/workspace';
import { examples } from './routeGenerate.examples';
import { pullRequestOutputs } from './pullRequestOutputs';
import { repoFields } from './repoFields';

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
        ...repoFields({
          repoUrl: 'The GitOps repository: host?owner=…&repo=…, or owner/repo',
        }),
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
        ...pullRequestOutputs,
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const problems = new Problems();
      const gateway = checkRouteRequest(input, config, problems);
      // Fields first: a bad form never costs a clone.
      problems.throwIfAny('The route');
      const dir = stagingDir(ctx.workspacePath, input.targetPath);
      const repo = await openRepo(input.repoUrl, {
        branch: input.branch,
        forge: input.forge,
      });
      let plan;
      let profile;
      try {
        profile = await profileOf(
          new OverlayRepoSnapshot(repo.snapshot, await readStaged(dir)),
          config,
          input.layout,
        );
        if (requireLayout(profile, problems, config))
          plan = planRoute(profile, input, gateway!, config, problems);
      } finally {
        await repo.close?.();
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
      const url = `https://${input.hostname}${input.pathPrefix ?? ''}`;
      const part = pullRequestPart(
        profile!,
        { kind: 'add-route', app: plan!.app.name, hostname: input.hostname },
        `Routes ${url} to ${plan!.app.name} through the ${
          input.exposure || 'internal'
        } Gateway (${plan!.gateway.namespace}/${plan!.gateway.name}${
          plan!.gateway.sectionName ? `, ${plan!.gateway.sectionName}` : ''
        }), ${
          plan!.mode === 'values'
            ? "as the app-template release's route values"
            : 'as an HTTPRoute'
        }.`,
        plan!.files,
        plan!.notes,
      );
      ctx.output('mode', plan!.mode);
      ctx.output(
        'files',
        plan!.files.map(f => f.path),
      );
      ctx.output('url', url);
      ctx.output('appPath', plan!.app.appPath);
      ctx.output(
        'repoUrl',
        resolveRepoUrl(input.repoUrl, config.forgeHosts, input.forge),
      );
      ctx.output('branchName', `homelab/route-${input.hostname.split('.')[0]}`);
      ctx.output('title', part.title);
      ctx.output('commitMessage', part.title);
      ctx.output('description', pullRequestBody([part]));
      ctx.output('pullRequest', part);
    },
  });
}
