import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Say whether the pull request opened by an earlier step merges cleanly and how its checks stand',
    example: stringify({
      steps: [
        {
          id: 'standing',
          action: 'homelab:pull-request:status',
          name: 'Check the pull request',
          input: {
            repoUrl: 'github.home.example.org?owner=home-ops&repo=home-ops',
            pullRequestNumber: 1,
          },
        },
      ],
    }),
  },
];
