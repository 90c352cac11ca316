import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, toError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { GiteaFileChange, GiteaForge } from '../lib/forge/GiteaForge';
import { resolveRepoUrl } from '../lib/repo/openRepo';
import { checkBranchName } from '../lib/validation/gitRef';
import { Problems } from '../lib/validation/problems';
import { stagingDir } from '../lib/workspace';
import { examples } from './giteaPullRequest.examples';

/** @public */
export type GiteaPullRequestActionOptions = {
  integrations: ScmIntegrations;
  /** scaffolder.defaultAuthor */
  defaultAuthor?: { name?: string; email?: string };
};

/**
 * homelab:gitea:pull-request — a branch, one commit with the workspace's
 * files and a pull request on Gitea or Forgejo (upstream has only
 * `publish:gitea`, which creates repositories). An open pull request for
 * the branch is reported, not duplicated.
 *
 * @public
 */
export function createGiteaPullRequestAction(
  options: GiteaPullRequestActionOptions,
) {
  const { integrations, defaultAuthor } = options;
  return createTemplateAction({
    id: 'homelab:gitea:pull-request',
    description:
      'Opens a pull request on Gitea or Forgejo with the files of a workspace folder (created or replaced whole, one commit on a new branch). If a pull request for the branch is already open it is reported instead of opening another.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z
            .string()
            .describe(
              'The repository: gitea-host?owner=…&repo=…, or owner/repo on the one configured Gitea',
            ),
        branchName: z =>
          z.string().describe('The branch to create for the change'),
        title: z => z.string().describe('Pull request title'),
        description: z =>
          z.string().optional().describe('Pull request body (Markdown)'),
        targetBranchName: z =>
          z
            .string()
            .optional()
            .describe(
              "Branch to merge into (default: the repository's default branch)",
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder whose files are committed (default: the workspace)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Repository folder the files go to (default: the root)'),
        commitMessage: z =>
          z.string().optional().describe('Commit message (default: the title)'),
        gitAuthorName: z => z.string().optional(),
        gitAuthorEmail: z => z.string().optional(),
        update: z =>
          z
            .boolean()
            .optional()
            .describe(
              'When a pull request for the branch is open, push the files to it as a new commit',
            ),
      },
      output: {
        remoteUrl: z => z.string().describe("The pull request's web address"),
        pullRequestNumber: z => z.number(),
        targetBranchName: z => z.string(),
        created: z =>
          z.boolean().describe('false when an open pull request was reported'),
        commitHash: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const input = ctx.input;
      const problems = new Problems();
      checkBranchName(problems, 'branchName', input.branchName);
      if (input.targetBranchName)
        checkBranchName(problems, 'targetBranchName', input.targetBranchName);
      if (!input.title?.trim())
        problems.add('title', 'required', 'is required');
      else if (input.title.length > 255)
        problems.add('title', 'max-length', 'is longer than 255 characters');
      const targetPath = normalizeRepoPath(problems, input.targetPath);
      let host = '';
      let owner = '';
      let repoName = '';
      try {
        ({
          host,
          owner = '',
          repo: repoName = '',
        } = parseRepoUrl(
          resolveRepoUrl(
            input.repoUrl,
            {
              github: [],
              gitea: integrations.gitea.list().map(i => i.config.host),
            },
            'gitea',
          ),
          integrations,
        ));
      } catch (error) {
        problems.add('repoUrl', 'repo-url', toError(error).message);
      }
      const integration = host ? integrations.gitea.byHost(host) : undefined;
      if (host && !integration) {
        problems.add(
          'repoUrl',
          'gitea-integration',
          `no integrations.gitea entry for host "${host}"`,
        );
      }
      if (host && (!owner || !repoName))
        problems.add('repoUrl', 'repo-url', 'needs owner and repo');
      const source = stagingDir(ctx.workspacePath, input.sourcePath);
      const files = await listFiles(source);
      if (files.length === 0) {
        problems.add(
          'sourcePath',
          'no-files',
          `the workspace folder "${
            input.sourcePath ?? '.'
          }" holds no files to commit`,
        );
      }
      problems.throwIfAny('The pull request');

      const forge = new GiteaForge(integration!.config, owner, repoName);
      const base = input.targetBranchName || (await forge.defaultBranch());
      const head = input.branchName;
      if (head === base) {
        throw new InputError(
          `branchName: "${head}" is the target branch; the change needs a branch of its own`,
        );
      }
      const repoPaths = files.map(f => (targetPath ? `${targetPath}/${f}` : f));
      ctx.logger.info(
        `Pull request on ${owner}/${repoName} (${host}): ${head} → ${base}, ${files.length} file(s)`,
      );

      if (ctx.isDryRun) {
        for (const p of repoPaths) ctx.logger.info(`  would write ${p}`);
        ctx.output('remoteUrl', `${forge.baseUrl}/${owner}/${repoName}/pulls`);
        ctx.output('pullRequestNumber', 0);
        ctx.output('targetBranchName', base);
        ctx.output('created', false);
        return;
      }

      const existing = await forge.pullRequestFor(base, head);
      if (existing && existing.state === 'open' && !input.update) {
        ctx.logger.info(
          `A pull request for ${head} is already open: #${existing.number} ${existing.html_url}; nothing was pushed (set update: true to add a commit to it)`,
        );
        ctx.output('remoteUrl', existing.html_url);
        ctx.output('pullRequestNumber', existing.number);
        ctx.output('targetBranchName', base);
        ctx.output('created', false);
        return;
      }

      const branchExists = (await forge.branchHead(head)) !== undefined;
      const ref = branchExists ? head : base;
      const changes: GiteaFileChange[] = [];
      for (let i = 0; i < files.length; i++) {
        const content = await fs.readFile(path.join(source, files[i]));
        const current = await forge.contents(repoPaths[i], ref);
        if (
          current?.content !== undefined &&
          Buffer.from(current.content, 'base64').equals(content)
        ) {
          continue;
        }
        changes.push({
          operation: current ? 'update' : 'create',
          path: repoPaths[i],
          content: content.toString('base64'),
          ...(current && { sha: current.sha }),
        });
      }
      if (changes.length === 0 && !existing) {
        throw new InputError(
          `The workspace holds no change to ${owner}/${repoName}@${ref}: every file is already there as it is`,
        );
      }
      let commitHash: string | undefined;
      if (changes.length > 0) {
        const commit = await ctx.checkpoint({
          key: `gitea.commit.${owner}.${repoName}.${head}`,
          fn: async () =>
            forge.changeFiles({
              branch: ref,
              ...(!branchExists && { newBranch: head }),
              message: input.commitMessage || input.title,
              files: changes,
              author: {
                name: input.gitAuthorName ?? defaultAuthor?.name,
                email: input.gitAuthorEmail ?? defaultAuthor?.email,
              },
            }),
        });
        commitHash = commit.commitSha;
        for (const c of changes) ctx.logger.info(`  ${c.operation} ${c.path}`);
      }
      const result =
        existing && existing.state === 'open'
          ? { pullRequest: existing, created: false }
          : await ctx.checkpoint({
              key: `gitea.pull.${owner}.${repoName}.${head}`,
              fn: async () => {
                const r = await forge.createPullRequest({
                  base,
                  head,
                  title: input.title,
                  body: input.description ?? '',
                });
                return {
                  pullRequest: {
                    number: r.pullRequest.number,
                    html_url: r.pullRequest.html_url,
                    state: r.pullRequest.state,
                    head: { ref: head },
                    base: { ref: base },
                  },
                  created: r.created,
                };
              },
            });
      ctx.logger.info(
        result.created
          ? `Opened pull request #${result.pullRequest.number}: ${result.pullRequest.html_url}`
          : `Pull request #${result.pullRequest.number} was already open: ${result.pullRequest.html_url}`,
      );
      ctx.output('remoteUrl', result.pullRequest.html_url);
      ctx.output('pullRequestNumber', result.pullRequest.number);
      ctx.output('targetBranchName', base);
      ctx.output('created', result.created);
      if (commitHash) ctx.output('commitHash', commitHash);
    },
  });
}

function normalizeRepoPath(problems: Problems, value?: string): string {
  if (!value || value === '.' || value === '/') return '';
  const parts = value
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '')
    .split('/');
  if (parts.some(p => p === '..' || p === '')) {
    problems.add(
      'targetPath',
      'repo-path',
      `"${value}" must be a folder inside the repository`,
    );
    return '';
  }
  return parts.join('/');
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== '.git') out.push(...(await listFiles(dir, child)));
    } else if (e.isFile()) out.push(child);
  }
  return out.sort();
}
