import { createContext, ReactNode, useContext } from 'react';

/**
 * Where the Talos cluster page lives, for links from a VM's tab. The new and
 * the legacy frontend systems resolve routes differently, so each wiring
 * provides it.
 */
const ClusterPageLink = createContext<
  ((cluster: string) => string) | undefined
>(undefined);

export function ClusterPageLinkProvider(props: {
  link?: (cluster: string) => string;
  children: ReactNode;
}) {
  return (
    <ClusterPageLink.Provider value={props.link}>
      {props.children}
    </ClusterPageLink.Provider>
  );
}

export function useClusterPageLink() {
  return useContext(ClusterPageLink);
}
