import { mockServices } from '@backstage/backend-test-utils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import { PatientLunrSearchEngine } from './searchEngine';

describe('PatientLunrSearchEngine', () => {
  const logger = mockServices.logger.mock();

  it('answers "no results" for a kind of document not indexed yet', async () => {
    const engine = new PatientLunrSearchEngine({ logger });
    await expect(
      engine.query({ term: 'backup', types: ['techdocs'] }),
    ).resolves.toEqual({ results: [], numberOfResults: 0 });
  });

  it('finds documents once their index is built', async () => {
    const engine = new PatientLunrSearchEngine({ logger });
    const indexer = await engine.getIndexer('techdocs');
    const { error } = await TestPipeline.fromIndexer(indexer)
      .withDocuments([
        {
          title: 'Backups',
          text: 'Proxmox backs up every guest nightly to the NAS',
          location: '/docs/default/system/homelab/backups',
        },
      ])
      .execute();
    expect(error).toBeUndefined();

    const found = await engine.query({ term: 'nightly', types: ['techdocs'] });
    expect(found.results.map(r => r.document.title)).toEqual(['Backups']);
  });
});
