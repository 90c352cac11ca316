import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { proxmoxApi } from './extensions/apis';
import { entityProxmoxContent } from './extensions/entityContents';
import { proxmoxPage } from './extensions/pages';
import { ProxmoxIcon } from './extensions/ProxmoxIcon';
import { rootRouteRef } from './routes';

/**
 * The Proxmox plugin (new frontend system): the Proxmox page and a Proxmox
 * tab on node, VM and container entities.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'proxmox',
  title: 'Proxmox',
  icon: <ProxmoxIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [proxmoxApi, proxmoxPage, entityProxmoxContent],
});
