import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { pullRequestBody, PullRequestPart } from '../lib/pullRequest';
import { stagingDir } from '../lib/workspace';
import { examples } from './pullRequestDescribe.examples';

async function stagedFiles(dir: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await stagedFiles(dir, child)));
    else if (e.isFile()) out.push(child);
  }
  return out.sort();
}

const isPart = (p: unknown): p is PullRequestPart =>
  !!p &&
  typeof p === 'object' &&
  typeof (p as PullRequestPart).title === 'string' &&
  Array.isArray((p as PullRequestPart).changes);

/**
 * homelab:pull-request:describe — one pull request text from the parts
 * several homelab steps wrote into the same workspace (an app and its
 * sealed secret): the first step's title in the repository's convention,
 * and a body listing every file the pull request will carry.
 *
 * @public
 */
export function createPullRequestDescribeAction() {
  return createTemplateAction({
    id: 'homelab:pull-request:describe',
    description:
      "Combines the pullRequest outputs of homelab steps into one pull request title, commit message and body that lists every file in the workspace folder (skipped steps' empty outputs are ignored).",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        parts: z =>
          z
            .array(z.any())
            .describe(
              "The steps' pullRequest outputs, in step order; a skipped step's (empty) output is ignored",
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'The workspace folder the pull request step commits (every file in it is listed)',
            ),
      },
      output: {
        title: z => z.string(),
        commitMessage: z => z.string(),
        description: z => z.string(),
      },
    },
    async handler(ctx) {
      const parts = (ctx.input.parts ?? []).filter(isPart);
      if (parts.length === 0) {
        throw new InputError(
          'parts: no homelab step produced a pullRequest output to describe',
        );
      }
      const staged = ctx.input.sourcePath
        ? await stagedFiles(stagingDir(ctx.workspacePath, ctx.input.sourcePath))
        : [];
      ctx.output('title', parts[0].title);
      ctx.output('commitMessage', parts[0].title);
      ctx.output('description', pullRequestBody(parts, staged));
    },
  });
}
