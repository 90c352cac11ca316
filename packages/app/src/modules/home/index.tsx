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

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [welcomeWidget, appsWidget],
});
