export interface Config {
  /** Talos clusters the portal reads through the Talos API (gRPC, mTLS). */
  talos?: {
    clusters: Array<{
      /** Id of the cluster in URLs: lower-case letters, digits and dashes. */
      name: string;
      /** Name shown on the pages; defaults to `name`. */
      title?: string;
      /**
       * The talosconfig's content (YAML with `context` and `contexts`), for
       * example `$file: /path/to/talosconfig`. Holds the client key.
       * Set this or `talosconfigPath`.
       * @visibility secret
       */
      talosconfig?: string;
      /**
       * Path to a talosconfig file, read at start. Set this or `talosconfig`.
       */
      talosconfigPath?: string;
      /** Context to use; defaults to the talosconfig's current context. */
      context?: string;
      /** Replaces the context's endpoints (host or host:port; port 50000 by default). */
      endpoints?: string[];
      /** Replaces the context's nodes (addresses as apid routes them). */
      nodes?: string[];
      /** Per-call timeout in seconds (default 5). */
      timeoutSeconds?: number;
      /**
       * Name of the same cluster in `kubernetes.clusterLocatorMethods`
       * (type `config`): its URL, service-account token (or, without one,
       * the Pod's mounted service account) and CA are used for the
       * Kubernetes health checks and the links to Kubernetes Nodes.
       */
      kubernetesCluster?: string;
      /** The cluster's Kubernetes API, when it is not configured for the kubernetes plugin. */
      kubernetes?: {
        url: string;
        /**
         * A service-account token; without one, the Pod's mounted service
         * account (as the kubernetes plugin does).
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
        /** Path to the API server's CA (PEM). */
        caFile?: string;
      };
    }>;
    /** How long a node's state is reused for every viewer, in seconds (default 10). */
    cacheSeconds?: number;
    /** Where upgrade advice gets the list of releases from. */
    upgrades?: {
      /** An Image Factory (`GET /versions`), e.g. https://factory.talos.dev */
      imageFactory?: {
        url: string;
        /** CA (PEM file) for an Image Factory with a private certificate. */
        caFile?: string;
      };
      /** Talos releases, when there is no Image Factory (or as its fallback). */
      talosVersions?: string[];
      /** Kubernetes releases to consider (e.g. from your Renovate config). */
      kubernetesVersions?: string[];
    };
  };
}
