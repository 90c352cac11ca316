export interface Config {
  /** Delivery status, drift, certificates and pending updates (plugins/gitops-backend). */
  gitops?: {
    /**
     * The cluster the apps run in: a cluster name under
     * `kubernetes.clusterLocatorMethods` (type `config`); default the first.
     * Without a service-account token there, the Pod's mounted one is used.
     */
    cluster?: string;
    /** The GitOps repositories, each read through its forge's API with the token of `integrations.github` / `integrations.gitea` for its host. */
    repositories?: Array<{
      /** Short name shown in the portal, e.g. `home-ops`. */
      name: string;
      /** Which engine applies it: Flux (Kustomizations, HelmReleases) or Argo CD (Applications). */
      engine: 'flux' | 'argocd';
      /** Which API the forge speaks. */
      forge: 'github' | 'gitea';
      /** Host of the forge, as in the integration (e.g. `github.com`, `git.home.example.org`). */
      host: string;
      owner: string;
      repo: string;
      /** Default `main`. */
      branch?: string;
      /** Folder holding `<namespace or category>/<app>/` (default `kubernetes/apps` for Flux, `k8s/apps` for Argo CD). */
      appsPath?: string;
    }>;
    /** How long one read of the forge and the cluster is reused for every viewer, in seconds (default 15). */
    cacheSeconds?: number;
  };
}
