import { InputError, toError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { GiteaForge } from '../lib/forge/GiteaForge';
import { GithubForge } from '../lib/forge/GithubForge';
import { ForgeRateLimitError } from '../lib/forge/http';
import { resolveRepoUrl } from '../lib/repo/openRepo';
import { examples } from './pullRequestStatus.examples';
import { repoFields } from './repoFields';

// The repository only: this action reads the forge's API, not a branch.
const repoInput = repoFields({
  repoUrl: 'The repository: host?owner=…&repo=…, or owner/repo',
  forge:
    'Which API to use when one host has both (default: GitHub if configured for the host)',
});

/** @public */
export type PullRequestStatusActionOptions = {
  integrations: ScmIntegrations;
  /** How often and how patiently to ask while the forge computes mergeability. */
  polling?: { attempts?: number; delayMs?: number };
};

const MERGE_WORDS = {
  yes: 'merges cleanly',
  no: 'has conflicts with its base branch: resolve them before merging',
  unknown:
    'is still being checked by the forge for conflicts; look at the pull request in a minute',
};

/**
 * homelab:pull-request:status: after a pull request is opened, tells the
 * person whether it merges cleanly and how its checks stand, on GitHub
 * (REST for mergeability, GraphQL for the checks) or Gitea. The forge may
 * still be computing mergeability (GitHub answers `null`, Gitea `false`
 * while checking); the action asks again a few times and says so if it is
 * still not known.
 *
 * @public
 */
export function createPullRequestStatusAction(
  options: PullRequestStatusActionOptions,
) {
  const { integrations, polling } = options;
  return createTemplateAction({
    id: 'homelab:pull-request:status',
    description:
      'Reports whether a pull request merges cleanly and how its checks stand (GitHub or Gitea).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: repoInput.repoUrl,
        pullRequestNumber: z =>
          z
            .number()
            .int()
            .nonnegative()
            .describe(
              'The pull request number (0, as a dry run of the pull request step gives: nothing to check)',
            ),
        forge: repoInput.forge,
      },
      output: {
        mergeable: z =>
          z
            .enum(['yes', 'no', 'unknown'])
            .describe('unknown: the forge was still computing it'),
        checks: z => z.enum(['success', 'failure', 'pending', 'none']),
      },
    },
    async handler(ctx) {
      const { pullRequestNumber: number } = ctx.input;
      const hosts = {
        github: integrations.github.list().map(i => i.config.host),
        gitea: integrations.gitea.list().map(i => i.config.host),
      };
      let parsed: ReturnType<typeof parseRepoUrl>;
      try {
        parsed = parseRepoUrl(
          resolveRepoUrl(ctx.input.repoUrl, hosts, ctx.input.forge),
          integrations,
        );
      } catch (error) {
        throw new InputError(`repoUrl: ${toError(error).message}`);
      }
      const { host, owner = '', repo = '' } = parsed;
      const github =
        ctx.input.forge !== 'gitea'
          ? integrations.github.byHost(host)
          : undefined;
      const gitea =
        ctx.input.forge !== 'github'
          ? integrations.gitea.byHost(host)
          : undefined;
      if (!owner || !repo || (!github && !gitea))
        throw new InputError(
          `repoUrl: "${ctx.input.repoUrl}" is not a repository of a configured GitHub or Gitea integration`,
        );
      if (ctx.isDryRun || number === 0) {
        ctx.logger.info('No pull request was opened, so none is checked.');
        ctx.output('mergeable', 'unknown');
        ctx.output('checks', 'none');
        return;
      }
      const forge = github
        ? new GithubForge(
            github.config,
            DefaultGithubCredentialsProvider.fromIntegrations(integrations),
            owner,
            repo,
          )
        : new GiteaForge(gitea!.config, owner, repo);
      try {
        const checks = await forge.checks(number);
        const merges = await forge.mergeable(number, polling);
        let mergeable: keyof typeof MERGE_WORDS = 'unknown';
        if (merges !== null) mergeable = merges ? 'yes' : 'no';
        ctx.logger.info(
          `Pull request #${number} on ${owner}/${repo} ${MERGE_WORDS[mergeable]}; checks: ${checks}.`,
        );
        ctx.output('mergeable', mergeable);
        ctx.output('checks', checks);
      } catch (error) {
        if (error instanceof ForgeRateLimitError)
          throw new InputError(
            `The pull request is open, but its state cannot be read now: ${error.message}`,
          );
        throw error;
      }
    },
  });
}
