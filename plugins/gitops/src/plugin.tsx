import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import LocalShipping from '@material-ui/icons/LocalShipping';
import { gitopsApi } from './extensions/apis';
import {
  entityDeliveryContent,
  entityKubernetesContent,
} from './extensions/entityContents';
import { deliveryPage, driftPage } from './extensions/pages';
import { deliveryRouteRef, driftRouteRef } from './routes';

/**
 * The GitOps plugin (new frontend system): the Delivery and Drift pages, a
 * Delivery tab and a Kubernetes tab on app entities. Its home cards are
 * exported for the app to compose.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  title: 'Delivery',
  icon: <LocalShipping />,
  info: { packageJson: () => import('../package.json') },
  routes: { delivery: deliveryRouteRef, drift: driftRouteRef },
  extensions: [
    gitopsApi,
    deliveryPage,
    driftPage,
    entityDeliveryContent,
    entityKubernetesContent,
  ],
});
