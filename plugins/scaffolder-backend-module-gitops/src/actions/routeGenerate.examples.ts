import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Expose an existing app on the internal Gateway (its HTTP port; a port that speaks MQTT, SSH or a database is refused)',
    example: stringify({
      steps: [
        {
          id: 'route',
          action: 'homelab:route:generate',
          name: 'Generate the route',
          input: {
            repoUrl: 'github.com?owner=home-ops&repo=home-ops',
            app: 'it-tools',
            hostname: 'tools.home.example.org',
            exposure: 'internal',
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description:
      'Route one path of a chosen Service and port to the external Gateway (raw HTTPRoute in an Argo CD repository)',
    example: stringify({
      steps: [
        {
          id: 'route',
          action: 'homelab:route:generate',
          name: 'Generate the route',
          input: {
            repoUrl: 'gitea.home.example.org?owner=home-ops&repo=k8s-gitops',
            app: 'docuseal',
            hostname: 'sign.home.example.org',
            exposure: 'external',
            service: 'docuseal',
            port: 3000,
            pathPrefix: '/s',
            targetPath: 'argo',
          },
        },
      ],
    }),
  },
];
