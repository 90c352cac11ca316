export interface Config {
  permission?: {
    /**
     * The household permission policy
     * (`@homelab-portal/plugin-permission-backend-module-homelab`).
     */
    homelab?: {
      /**
       * Groups whose members may do everything: run templates, power
       * guests on and off, read infrastructure details.
       * Entity refs, matched against the signed-in user's ownership refs.
       * Default: `group:default/home-admins`.
       */
      adminGroups?: string[];
      /**
       * Groups whose members read the catalog, the docs and app status, and
       * nothing else. Default: `group:default/family`.
       */
      familyGroups?: string[];
      /**
       * `spec.type` values of catalog entities that describe secrets (for
       * example a SealedSecret registered in the catalog). Family members
       * cannot see these entities at all. Default: `sealed-secret`, `secret`.
       */
      secretEntityTypes?: string[];
      /**
       * Proxmox guests nobody may power through the portal, by the tags of
       * their catalog entity (the Proxmox tags, e.g. `router` or
       * `controlplane`): a guest that runs the household's network or the
       * cluster's control plane. Default: none.
       */
      protectedGuestTags?: string[];
    };
  };
}
