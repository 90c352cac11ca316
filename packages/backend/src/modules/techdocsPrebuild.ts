import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/** The search backend's task id for the TechDocs collator. */
const TECHDOCS_INDEX_TASK = 'search_index_techdocs';

/**
 * Builds every entity's TechDocs soon after start and then on a schedule, so
 * the first reader does not wait for mkdocs, then has search index them right
 * away (the collator would otherwise find nothing built and index nothing).
 * It asks the TechDocs backend's own sync route, which keeps one build path
 * (and its locking) for readers and for this module. It is a search module
 * because only search's own scheduler can trigger the collator's task.
 */
export const techdocsPrebuildModule = createBackendModule({
  pluginId: 'search',
  moduleId: 'techdocs-prebuild',
  register(reg) {
    reg.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ auth, catalog, config, discovery, logger, scheduler }) {
        if (config.getOptionalString('techdocs.builder') !== 'local') {
          return; // docs are built elsewhere (CI) and only published here
        }
        await scheduler.scheduleTask({
          id: 'techdocs-prebuild',
          frequency: { minutes: 30 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 5 },
          scope: 'global',
          fn: async () => {
            const credentials = await auth.getOwnServiceCredentials();
            const entities = await waitForDocumentedEntities(() =>
              catalog
                .getEntities(
                  {
                    filter: {
                      [`metadata.annotations.${TECHDOCS_REF}`]:
                        CATALOG_FILTER_EXISTS,
                    },
                    fields: ['kind', 'metadata'],
                  },
                  { credentials },
                )
                .then(r => r.items),
            );
            const baseUrl = await discovery.getBaseUrl('techdocs');
            let built = 0;
            for (const entity of entities) {
              const ref = stringifyEntityRef(entity);
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: credentials,
                targetPluginId: 'techdocs',
              });
              const path = `${entity.metadata.namespace ?? 'default'}/${
                entity.kind
              }/${entity.metadata.name}`;
              if (
                await syncDocs(
                  `${baseUrl}/sync/${path}`.toLowerCase(),
                  token,
                  ref,
                  logger,
                )
              ) {
                built++;
              }
            }
            if (built > 0) {
              await scheduler.triggerTask(TECHDOCS_INDEX_TASK);
            }
          },
        });
      },
    });
  },
});

/** The catalog may still be reading its locations right after start. */
async function waitForDocumentedEntities<T>(
  load: () => Promise<T[]>,
): Promise<T[]> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const items = await load();
    if (items.length > 0) return items;
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  return [];
}

/** Reads the sync event stream to its end; true when the docs are there to read. */
async function syncDocs(
  url: string,
  token: string,
  ref: string,
  logger: LoggerService,
): Promise<boolean> {
  const started = Date.now();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  });
  const body = await res.text();
  if (!res.ok || /^event: error/m.test(body)) {
    const reason =
      /^event: error\s*\ndata: (.*)$/m.exec(body)?.[1] ?? `HTTP ${res.status}`;
    logger.error(`TechDocs prebuild of ${ref} failed: ${reason}`);
    return false;
  }
  const updated = /"updated":\s*true/.test(body);
  logger.info(
    `TechDocs for ${ref} ${updated ? 'built' : 'already current'} in ${
      Date.now() - started
    } ms`,
  );
  return true;
}
