import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A new app with a route and a volume, in the layout the repository uses',
    example: stringify({
      steps: [
        {
          id: 'generate',
          action: 'homelab:app:generate',
          name: 'Generate the app',
          input: {
            repoUrl: 'github.com?owner=home-ops&repo=home-ops',
            name: 'kitchenowl',
            title: 'KitchenOwl',
            description: 'Shopping lists and meal planning for the family.',
            owner: 'group:home-admins',
            namespace: 'productivity',
            image: 'docker.io/tombursch/kitchenowl:v0.7.4',
            port: 8080,
            hostname: 'kitchen.home.example.org',
            exposure: 'internal',
            persistence: { size: '5Gi', mountPath: '/data' },
            env: [
              { name: 'FRONT_URL', value: 'https://kitchen.home.example.org' },
            ],
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description: 'Only check what would be generated (nothing is written)',
    example: stringify({
      steps: [
        {
          id: 'plan',
          action: 'homelab:app:generate',
          name: 'Plan the app',
          input: {
            repoUrl: 'gitea.home.example.org?owner=home-ops&repo=k8s-gitops',
            layout: 'argocd',
            name: 'it-tools',
            description: 'Handy converters and generators in the browser.',
            owner: 'group:home-admins',
            namespace: 'it-tools',
            category: 'productivity',
            image: 'ghcr.io/corentinth/it-tools:2024.10.22-7ca5933',
            port: 80,
            hostname: 'tools.home.example.org',
            dryRun: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'An app without an address yet (homelab:route:generate gives it one later)',
    example: stringify({
      steps: [
        {
          id: 'generate',
          action: 'homelab:app:generate',
          name: 'Generate the app',
          input: {
            repoUrl: 'github.com?owner=home-ops&repo=home-ops',
            name: 'it-tools',
            description: 'Handy converters and generators in the browser.',
            owner: 'group:home-admins',
            namespace: 'productivity',
            image: 'ghcr.io/corentinth/it-tools:2024.10.22-7ca5933',
            port: 80,
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description:
      'Argo CD: an app in its own namespace of a category, without a route (Argo CD creates only the category namespace, so the namespace comes as a manifest)',
    example: stringify({
      steps: [
        {
          id: 'generate',
          action: 'homelab:app:generate',
          name: 'Generate the app',
          input: {
            repoUrl: 'gitea.home.example.org?owner=home-ops&repo=k8s-gitops',
            name: 'docuseal',
            description: 'Signs the family paperwork.',
            owner: 'group:home-admins',
            namespace: 'signing',
            category: 'documents',
            image: 'docker.io/docuseal/docuseal:2.2.0',
            port: 3000,
            targetPath: 'argo',
          },
        },
      ],
    }),
  },
];
