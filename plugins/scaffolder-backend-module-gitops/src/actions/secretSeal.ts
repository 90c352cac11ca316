import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GitopsConfig } from '../config';
import { planSecret, readSecretRequest } from '../lib/planSecret';
import { profileOf, requireLayout } from '../lib/planApp';
import { pullRequestBody, pullRequestPart } from '../lib/pullRequest';
import { RepoOpener, resolveRepoUrl } from '../lib/repo/openRepo';
import { OverlayRepoSnapshot } from '../lib/repo/RepoSnapshot';
import { SealingCertificate } from '../lib/sealing/certificate';
import { checkSecretSizes } from '../lib/secretLimits';
import { Problems } from '../lib/validation/problems';
import { readStaged, stagingDir, writeStaged } from '../lib/workspace';
import { examples } from './secretSeal.examples';
import { pullRequestOutputs } from './pullRequestOutputs';
import { repoFields } from './repoFields';

const repoInput = repoFields({
  repoUrl: 'The GitOps repository: host?owner=…&repo=…, or owner/repo',
  branch: 'Branch to read (default: the default branch)',
  forge: 'Which integration to read with when a host has both',
});

/** @public */
export type SecretSealActionOptions = {
  config: GitopsConfig;
  openRepo: RepoOpener;
  /** the controller's current certificate (fetched per run) */
  fetchCertificate: () => Promise<SealingCertificate>;
};

/**
 * homelab:secret:seal — a SealedSecret for an app, sealed with the
 * controller's certificate, registered in the app's kustomization.
 *
 * Values come only from the task's secrets (`ui:field: Secret` in the form),
 * never from input, which the scaffolder stores in the task spec. They are
 * bytes in memory for the length of the step: not logged, not in outputs or
 * checkpoints, and only their ciphertext reaches the workspace.
 *
 * @public
 */
export function createSecretSealAction(options: SecretSealActionOptions) {
  const { config, openRepo, fetchCertificate } = options;
  return createTemplateAction({
    id: 'homelab:secret:seal',
    description:
      "Seals form secrets into a SealedSecret (strict, namespace-wide or cluster-wide scope) with the sealed-secrets controller's certificate, adds it to the app's kustomization and optionally to its container's envFrom. Values are read from the task secrets only.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: repoInput.repoUrl,
        branch: repoInput.branch,
        forge: repoInput.forge,
        layout: z => z.enum(['auto', 'flux', 'argocd']).optional(),
        app: z =>
          z.string().describe('The app (its folder name in the repository)'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Expected namespace; refused when the app deploys elsewhere',
            ),
        secretName: z =>
          z
            .string()
            .optional()
            .describe('Name of the Secret (default <app>-secret)'),
        scope: z =>
          z
            .enum(['strict', 'namespace-wide', 'cluster-wide'])
            .optional()
            .describe(
              'Sealing scope (default: homelab.gitops.sealedSecrets.defaultScope)',
            ),
        type: z =>
          z.string().optional().describe('Secret type (default Opaque)'),
        values: z =>
          z
            .array(
              z.object({
                key: z
                  .string()
                  .optional()
                  .describe(
                    'Key in the Secret (rows without key and value are skipped)',
                  ),
                secret: z
                  .string()
                  .describe(
                    'Name of the template secret holding the value (a ui:field: Secret parameter)',
                  ),
                encoding: z.enum(['text', 'base64']).optional(),
              }),
            )
            .describe(
              'The keys to seal; rows with neither key nor value are skipped',
            ),
        envFrom: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Also make the app's container read the Secret with envFrom",
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder that mirrors the repository root (default ".")',
            ),
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe('Validate and seal in memory, write nothing'),
      },
      output: {
        secretName: z => z.string(),
        secretPath: z => z.string(),
        namespace: z => z.string(),
        scope: z => z.string(),
        keys: z => z.array(z.string()).describe('The sealed keys (names only)'),
        files: z => z.array(z.string()),
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository as host?owner=…&repo=… (for publish:github:pull-request)',
            ),
        certificateFingerprint: z => z.string(),
        ...pullRequestOutputs,
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const problems = new Problems();
      checkSecretSizes(problems, input.values, ctx.secrets);
      problems.throwIfAny('The sealed secret');
      const sealed = readSecretRequest(input, ctx.secrets, config, problems);
      try {
        problems.throwIfAny('The sealed secret');
        const dir = stagingDir(ctx.workspacePath, input.targetPath);
        const repo = await openRepo(input.repoUrl, {
          branch: input.branch,
          forge: input.forge,
        });
        let fingerprint = '';
        const profile = await profileOf(
          new OverlayRepoSnapshot(repo.snapshot, await readStaged(dir)),
          config,
          input.layout,
        ).catch(async error => {
          await repo.close?.();
          throw error;
        });
        if (!requireLayout(profile, problems, config)) {
          await repo.close?.();
          problems.throwIfAny('The sealed secret');
        }
        const plan = await planSecret(
          profile,
          input,
          sealed,
          async () => {
            const cert = await fetchCertificate();
            fingerprint = cert.fingerprint256;
            ctx.logger.info(
              `Sealing with the certificate from ${cert.source} (SHA-256 ${
                cert.fingerprint256
              }, valid until ${cert.validTo.toISOString()})`,
            );
            return cert;
          },
          config,
          problems,
        ).finally(() => repo.close?.());
        problems.throwIfAny('The sealed secret');
        const keys = [...sealed.data.keys()].sort();
        ctx.logger.info(
          `Sealed ${keys.length} key(s) (${keys.join(', ')}) into ${
            plan!.secretName
          } for namespace ${plan!.namespace}, scope ${sealed.scope}`,
        );
        if (input.dryRun) {
          ctx.logger.info('dryRun: nothing was written');
        } else {
          await writeStaged(dir, plan!.files);
        }
        for (const f of plan!.files)
          ctx.logger.info(
            `  ${f.action === 'create' ? 'new ' : 'edit'} ${f.path}`,
          );
        ctx.output('secretName', plan!.secretName);
        ctx.output('secretPath', plan!.secretPath);
        ctx.output('namespace', plan!.namespace);
        ctx.output('scope', sealed.scope);
        ctx.output('keys', keys);
        ctx.output(
          'files',
          plan!.files.map(f => f.path),
        );
        ctx.output('certificateFingerprint', fingerprint);
        ctx.output(
          'repoUrl',
          resolveRepoUrl(input.repoUrl, config.forgeHosts, input.forge),
        );
        const part = pullRequestPart(
          profile,
          { kind: 'add-secret', app: plan!.app, secret: plan!.secretName },
          `Adds the SealedSecret \`${plan!.secretName}\` (${keys.length} key${
            keys.length === 1 ? '' : 's'
          }: ${keys.join(', ')}; scope ${sealed.scope}) to ${plan!.app}${
            input.envFrom ? ', read by its container with envFrom' : ''
          }, sealed with the controller certificate ${fingerprint}.`,
          plan!.files,
          plan!.notes,
        );
        ctx.output('branchName', `homelab/secret-${plan!.secretName}`);
        ctx.output('title', part.title);
        ctx.output('commitMessage', part.title);
        ctx.output('description', pullRequestBody([part]));
        ctx.output('pullRequest', part);
      } finally {
        // The plaintext lived only in these buffers: wipe them.
        for (const value of sealed.data.values()) value.fill(0);
      }
    },
  });
}
