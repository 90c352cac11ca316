import type { ScaffolderZod as Z } from './scaffolderZod';

/** What an action's list entry says about each repository field. */
export type RepoFieldHelp = {
  repoUrl: string;
  forge?: string;
  branch?: string;
};

/**
 * The input fields that name the GitOps repository an action reads, shared
 * so every homelab:* action takes the repository the same way. The help
 * text stays each action's own: it is part of the schema the template
 * editor shows.
 */
export function repoFields(help: RepoFieldHelp) {
  return {
    repoUrl: (z: Z) => z.string().describe(help.repoUrl),
    forge: (z: Z) => {
      const forge = z.enum(['github', 'gitea']).optional();
      return help.forge ? forge.describe(help.forge) : forge;
    },
    branch: (z: Z) => {
      const branch = z.string().optional();
      return help.branch ? branch.describe(help.branch) : branch;
    },
  };
}
