import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { talosApi } from './extensions/apis';
import { entityTalosLinkCard } from './extensions/entityCards';
import { entityTalosContent } from './extensions/entityContents';
import { talosPage } from './extensions/pages';
import { TalosIcon } from './extensions/TalosIcon';
import { rootRouteRef } from './routes';

/**
 * The Talos plugin (new frontend system): the cluster page, and a tab and a
 * card on the VM entities that are Talos nodes.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'talos',
  title: 'Talos',
  icon: <TalosIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [talosApi, talosPage, entityTalosContent, entityTalosLinkCard],
});
