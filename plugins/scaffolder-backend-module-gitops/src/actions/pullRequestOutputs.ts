import type { ScaffolderZod as Z } from './scaffolderZod';

type Text = (z: Z) => ReturnType<Z['string']>;

/** The pull request text every homelab generator outputs, in the repository's convention. */
export const pullRequestOutputs: {
  branchName: Text;
  title: Text;
  commitMessage: Text;
  description: Text;
  pullRequest: (z: Z) => ReturnType<Z['any']>;
} = {
  branchName: (z: Z) =>
    z.string().describe('A branch name for the pull request'),
  title: (z: Z) =>
    z
      .string()
      .describe(
        "The pull request title: the commit subject in the repository's convention (read from its history)",
      ),
  commitMessage: (z: Z) =>
    z.string().describe("The commit message in the repository's convention"),
  description: (z: Z) =>
    z
      .string()
      .describe(
        'A pull request body listing every file and the conventions followed',
      ),
  pullRequest: (z: Z) =>
    z
      .object({
        title: z.string(),
        summary: z.string(),
        changes: z.array(
          z.object({
            path: z.string(),
            action: z.enum(['create', 'update']),
            reason: z.string().optional(),
          }),
        ),
        conventions: z.array(z.string()),
      })
      .describe(
        "This step's part of the pull request, for homelab:pull-request:describe",
      ) as any,
};
