import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { HouseholdAppsCard, appUrl } from './HouseholdAppsCard';

const app = (name: string, links: Entity['metadata']['links']): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    title: name.toUpperCase(),
    links,
    description: `${name} app`,
  },
  spec: {
    type: 'service',
    owner: 'group:home-admins',
    lifecycle: 'production',
  },
});

describe('appUrl', () => {
  it('takes the dashboard link, not the first link', () => {
    expect(
      appUrl(
        app('immich', [
          {
            url: 'https://github.com/immich-app/immich',
            title: 'Upstream project',
            icon: 'github',
          },
          {
            url: 'https://photos.home.example.org',
            title: 'Open',
            icon: 'dashboard',
          },
        ]),
      ),
    ).toBe('https://photos.home.example.org');
  });

  it('is undefined for platform services without an address', () => {
    expect(
      appUrl(
        app('flux', [
          { url: 'https://github.com/fluxcd/flux2', icon: 'github' },
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('HouseholdAppsCard', () => {
  it('lists apps with an address and leaves platform services out', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        app('immich', [
          { url: 'https://photos.home.example.org', icon: 'dashboard' },
        ]),
        app('flux', [
          { url: 'https://github.com/fluxcd/flux2', icon: 'github' },
        ]),
      ],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <HouseholdAppsCard />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('IMMICH')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Open/ })).toHaveAttribute(
      'href',
      'https://photos.home.example.org',
    );
    expect(screen.queryByText('FLUX')).not.toBeInTheDocument();
  });

  it('says what to do when there are no apps yet', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[catalogApiRef, catalogApiMock({ entities: [] })]]}
      >
        <HouseholdAppsCard />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('No apps in the catalog yet'),
    ).toBeInTheDocument();
  });

  it('shows the catalog error and how to recover', async () => {
    const failing = catalogApiMock.mock({
      getEntities: jest
        .fn()
        .mockRejectedValue(new Error('connect ECONNREFUSED')),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, failing]]}>
        <HouseholdAppsCard />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(/Could not load the app list/),
    ).toBeInTheDocument();
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
  });
});
