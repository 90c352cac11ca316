export interface Config {
  /** HomeLab Portal app settings (packages/app). */
  homelab?: {
    signIn?: {
      /**
       * The sign-in buttons the portal offers, in order. `guest` works only
       * where the backend enables the guest provider (app-config.yaml, on a
       * laptop); `oidc` needs auth.providers.oidc (app-config.production.yaml).
       * Default: guest.
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc'>;
    };
  };
}
