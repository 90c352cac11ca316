export interface Config {
  homelab?: {
    /**
     * The homelab:* scaffolder actions (GitOps pull requests for apps, sealed
     * secrets and routes).
     */
    gitops?: {
      /**
       * Layout of the GitOps repositories: `flux` (kubernetes/apps/<ns>/<app>,
       * app-template HelmReleases), `argocd` (k8s/apps/<category>/<app>, raw
       * manifests) or `auto` (detected per repository from its content).
       * @default auto
       */
      layout?: 'auto' | 'flux' | 'argocd';
      flux?: {
        /** @default kubernetes/apps */
        appsPath?: string;
        /** @default oci://ghcr.io/bjw-s-labs/helm/app-template */
        chartUrl?: string;
        /**
         * app-template version for a repository where no app uses the chart
         * yet; otherwise the version most apps use is copied.
         */
        defaultChartVersion?: string;
      };
      argocd?: {
        /** @default k8s/apps */
        appsPath?: string;
      };
      /**
       * Domains app hostnames may live under (one label below them, which is
       * what the Gateway's wildcard certificate covers).
       */
      allowedDomains: string[];
      /**
       * The Gateway listeners app routes attach to, by exposure
       * (`internal`, `external`, …).
       */
      gateways: {
        [exposure: string]: {
          name: string;
          namespace: string;
          sectionName?: string;
        };
      };
      /**
       * Namespaces apps may not use, in addition to kube-system, kube-public,
       * kube-node-lease, flux-system, argocd, every kube-* and the
       * namespaces of the Gateways and the sealed-secrets controller.
       */
      reservedNamespaces?: string[];
      /** TZ given to every new app's container. */
      timezone?: string;
      sealedSecrets?: {
        /** Default scope when the template does not choose one. @default strict */
        defaultScope?: 'strict' | 'namespace-wide' | 'cluster-wide';
        /**
         * Where the sealing certificate comes from. `controller` asks the
         * controller through the Kubernetes API service proxy (what
         * `kubeseal --fetch-cert` does); `url` fetches a PEM from an address;
         * `static` uses `certificate` below.
         * @default controller
         */
        certificateSource?: 'controller' | 'url' | 'static';
        /** PEM certificate (public) for certificateSource static. */
        certificate?: string;
        /**
         * Address of the PEM certificate for certificateSource url. https://
         * only: a certificate fetched over plain HTTP can be swapped, and
         * secrets would be sealed to someone else's key.
         */
        certificateUrl?: string;
        /**
         * SHA-256 fingerprint the sealing certificate must have, whatever
         * its source (`openssl x509 -noout -fingerprint -sha256`; colons
         * optional). Update it when the controller renews its key.
         */
        certificateFingerprint?: string;
        controller?: {
          /** @default kube-system */
          namespace?: string;
          /** The controller's Service name. @default sealed-secrets-controller */
          name?: string;
          /**
           * The Service port (name or number); unset = the Service's first
           * port, as kubeseal does.
           */
          port?: string;
        };
        /**
         * The Kubernetes API to reach the controller through. Either the
         * name of a cluster under kubernetes.clusterLocatorMethods (type
         * config; default the first one), or an address with its own token
         * and CA. Without a token (there or here), the Pod's mounted
         * service account is used, as the kubernetes plugin does.
         */
        kubernetes?: {
          /** A cluster name from the kubernetes plugin's config. */
          cluster?: string;
          url?: string;
          /**
           * A service-account token; unset: the Pod's own.
           * @visibility secret
           */
          token?: string;
          /** CA certificate of the API server: PEM, or base64 of the PEM as in kubeconfig. */
          caData?: string;
          /** Path of the CA certificate file of the API server. */
          caFile?: string;
        };
      };
    };
  };
}
