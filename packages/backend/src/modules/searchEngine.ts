import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  LunrSearchEngine,
  MissingIndexError,
} from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import type { SearchQuery } from '@backstage/plugin-search-common';

/**
 * The in-memory engine, except that asking for a kind of document whose index
 * is still being built (TechDocs right after start) answers "no results"
 * instead of a 500 and an error line in the log: nothing is wrong, the index
 * will be there within a minute.
 */
export class PatientLunrSearchEngine extends LunrSearchEngine {
  override async query(query: SearchQuery) {
    try {
      return await super.query(query);
    } catch (error) {
      if (error instanceof MissingIndexError) {
        return { results: [], numberOfResults: 0 };
      }
      throw error;
    }
  }
}

const patientLunrModule = createBackendModule({
  pluginId: 'search',
  moduleId: 'patient-lunr-engine',
  register(reg) {
    reg.registerInit({
      deps: {
        engines: searchEngineRegistryExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ engines, logger }) {
        engines.setSearchEngine(new PatientLunrSearchEngine({ logger }));
      },
    });
  },
});

/**
 * The PostgreSQL search engine only when the database is PostgreSQL. On SQLite
 * the in-memory engine; adding the pg module there would only print a warning
 * at every start.
 */
export const searchEngineLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  async *loader({ config }) {
    if (config.getOptionalString('backend.database.client') === 'pg') {
      yield import('@backstage/plugin-search-backend-module-pg');
    } else {
      yield patientLunrModule;
    }
  },
});
