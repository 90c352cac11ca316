import { Entity } from '@backstage/catalog-model';
import {
  EmptyState,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  List,
  ListItem,
  ListItemText,
  ListItemSecondaryAction,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';

/**
 * Where the family opens an app: by the catalog's convention (catalog/README.md)
 * the link with the `dashboard` icon. Platform services have none.
 */
export function appUrl(entity: Entity): string | undefined {
  return entity.metadata.links?.find(link => link.icon === 'dashboard')?.url;
}

/** The household's apps, each with a direct link: what family members come here for. */
export const HouseholdAppsCard = () => {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(
    () =>
      catalogApi.getEntities({
        filter: { kind: 'Component' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.description',
          'metadata.links',
        ],
        order: { field: 'metadata.name', order: 'asc' },
      }),
    [catalogApi],
  );
  if (loading) return <Progress />;
  if (error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load the app list"
        message={`The catalog did not answer (${error.message}). Check that the backend is running, then reload.`}
      />
    );
  }
  const apps = (value?.items ?? []).filter(entity => appUrl(entity));
  if (apps.length === 0) {
    return (
      <EmptyState
        missing="content"
        title="No apps in the catalog yet"
        description="Apps appear here once catalog/apps/*.yaml is registered, or after the first 'Add an app' pull request is merged."
      />
    );
  }
  return (
    <List dense>
      {apps.map(app => {
        const url = appUrl(app);
        return (
          <ListItem key={app.metadata.name}>
            <ListItemText
              primary={
                <EntityRefLink entityRef={app} title={app.metadata.title} />
              }
              secondary={app.metadata.description}
            />
            {url && (
              <ListItemSecondaryAction>
                <Link to={url}>Open</Link>
              </ListItemSecondaryAction>
            )}
          </ListItem>
        );
      })}
    </List>
  );
};
