import { useRouteRef } from '@backstage/frontend-plugin-api';
import { ReactNode } from 'react';
import { ClusterPageLinkProvider } from '../hooks/clusterPageLink';
import { rootRouteRef } from '../routes';

/** Lets entity content link to the cluster page (new frontend system). */
export function WithClusterLink(props: { children: ReactNode }) {
  const page = useRouteRef(rootRouteRef);
  return (
    <ClusterPageLinkProvider
      link={
        page
          ? cluster => `${page()}?cluster=${encodeURIComponent(cluster)}`
          : undefined
      }
    >
      {props.children}
    </ClusterPageLinkProvider>
  );
}
