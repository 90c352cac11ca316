import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { TemplatesPermissionNotice } from './TemplatesPermissionNotice';

/**
 * The scaffolder's own templates tab with a notice on top for people who may
 * not run templates. Same extension id, so it replaces the original in place.
 */
const templatesSubPage = scaffolderPlugin
  .getExtension('sub-page:scaffolder/templates')
  .override({
    factory(originalFactory) {
      const original = originalFactory();
      const element = original.get(coreExtensionData.reactElement);
      return [
        ...[...original].filter(
          data => data.id !== coreExtensionData.reactElement.id,
        ),
        coreExtensionData.reactElement(
          <TemplatesPermissionNotice>{element}</TemplatesPermissionNotice>,
        ),
      ];
    },
  });

export const scaffolderPermissionModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [templatesSubPage],
});
