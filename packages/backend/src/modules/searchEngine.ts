import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The PostgreSQL search engine only when the database is PostgreSQL. On SQLite
 * the search backend falls back to its in-memory engine; adding the pg module
 * there would only print a warning at every start.
 */
export const searchEngineLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async *loader({ config }) {
    if (config.getOptionalString('backend.database.client') === 'pg') {
      yield import('@backstage/plugin-search-backend-module-pg');
    }
  },
});
