import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'One pull request text for an app and its sealed secret, listing every file of the gitops folder',
    example: stringify({
      steps: [
        {
          id: 'describe',
          action: 'homelab:pull-request:describe',
          name: 'Describe the pull request',
          input: {
            parts: [
              '${{ steps.generate.output.pullRequest }}',
              '${{ steps.seal.output.pullRequest }}',
            ],
            sourcePath: 'gitops',
          },
        },
      ],
    }),
  },
];
