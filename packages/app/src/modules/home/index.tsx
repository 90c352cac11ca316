import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';

const welcomeWidget = HomePageWidgetBlueprint.make({
  name: 'welcome',
  params: {
    name: 'Welcome',
    title: 'Welcome home',
    description: 'What this portal is for and where to start',
    components: async () => ({
      Content: (await import('./WelcomeCard')).WelcomeCard,
    }),
  },
});

const appsWidget = HomePageWidgetBlueprint.make({
  name: 'household-apps',
  params: {
    name: 'HouseholdApps',
    title: 'Household apps',
    description: 'Every self-hosted app with a link to open it',
    components: async () => ({
      Content: (await import('./HouseholdAppsCard')).HouseholdAppsCard,
    }),
  },
});

/** A home card from a component, each loading and failing on its own. */
const card = (
  name: string,
  title: string,
  description: string,
  load: () => Promise<() => JSX.Element>,
) =>
  HomePageWidgetBlueprint.make({
    name,
    params: {
      name: name
        .split('-')
        .map(w => w[0].toUpperCase() + w.slice(1))
        .join(''),
      title,
      description,
      components: async () => ({ Content: await load() }),
    },
  });

const glanceWidgets = [
  card(
    'apps-status',
    'Apps up and down',
    'Each app’s workload and route, from the cluster',
    async () => (await import('@homelab-portal/plugin-gitops')).AppsStatusCard,
  ),
  card(
    'backups',
    'Backups',
    'Guests not backed up recently',
    async () => (await import('./BackupsCard')).BackupsCard,
  ),
  card(
    'upgrades',
    'Upgrades available',
    'Talos and Kubernetes releases newer than the cluster’s',
    async () => (await import('./UpgradesCard')).UpgradesCard,
  ),
  card(
    'certificates',
    'Certificates',
    'Certificates expiring within 21 days or not ready',
    async () =>
      (await import('@homelab-portal/plugin-gitops')).CertificatesCard,
  ),
  card(
    'updates',
    'Updates pending',
    'Renovate pull requests and pull requests awaiting merge',
    async () => (await import('@homelab-portal/plugin-gitops')).UpdatesCard,
  ),
  card(
    'drift',
    'Drift',
    'What runs but the catalog does not know, and the reverse',
    async () => (await import('@homelab-portal/plugin-gitops')).DriftCard,
  ),
];

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [welcomeWidget, appsWidget, ...glanceWidgets],
});
