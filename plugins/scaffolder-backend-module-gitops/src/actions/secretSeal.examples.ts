import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Seal two form secrets (parameters with ui:field: Secret) for an existing app and let its container read them',
    example: stringify({
      parameters: [
        {
          title: 'Secret',
          properties: {
            dbPassword: {
              title: 'Database password',
              type: 'string',
              'ui:field': 'Secret',
            },
            apiToken: {
              title: 'API token',
              type: 'string',
              'ui:field': 'Secret',
            },
          },
        },
      ],
      steps: [
        {
          id: 'seal',
          action: 'homelab:secret:seal',
          name: 'Seal the secret',
          input: {
            repoUrl: 'github.com?owner=home-ops&repo=home-ops',
            app: 'paperless-ngx',
            scope: 'strict',
            values: [
              { key: 'PAPERLESS_DBPASS', secret: 'dbPassword' },
              { key: 'PAPERLESS_API_TOKEN', secret: 'apiToken' },
            ],
            envFrom: true,
            targetPath: 'gitops',
          },
        },
      ],
    }),
  },
  {
    description: 'A binary value (base64 in the form) sealed namespace-wide',
    example: stringify({
      steps: [
        {
          id: 'seal',
          action: 'homelab:secret:seal',
          name: 'Seal a keystore',
          input: {
            repoUrl: 'gitea.home.example.org?owner=home-ops&repo=k8s-gitops',
            app: 'vaultwarden',
            secretName: 'vaultwarden-keystore',
            scope: 'namespace-wide',
            values: [
              { key: 'keystore.p12', secret: 'keystore', encoding: 'base64' },
            ],
          },
        },
      ],
    }),
  },
];
