import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { themeModule } from './modules/theme';
import { authModules } from './modules/auth';

// Plugins in package.json are discovered through `app.packages: all`; these
// modules are the portal's own: sidebar, home page and theme.
export default createApp({
  features: [navModule, homeModule, themeModule, ...authModules],
});
