export interface Config {
  /** Proxmox VE, for the Proxmox plugins of HomeLab Portal. */
  proxmox?: {
    /**
     * The Proxmox VE clusters or stand-alone hosts, by id. The id becomes part
     * of every generated catalog entity name (`proxmox-<id>-vm-<vmid>`):
     * changing it later renames (orphans) those entities. Lower-case letters,
     * digits and `-`.
     */
    instances?: {
      [id: string]: {
        /**
         * The API address, e.g. `https://pve.home.arpa:8006`. HTTPS only:
         * pveproxy serves nothing over plain HTTP.
         */
        url: string;
        /**
         * The API token id, `<user>@<realm>!<tokenid>`, e.g.
         * `backstage@pve!catalog`. A PVEAuditor role on `/` is enough for
         * everything but power actions.
         */
        tokenId: string;
        /**
         * The token secret (the UUID Proxmox shows once when the token is
         * created).
         * @visibility secret
         */
        tokenSecret: string;
        /**
         * A file holding the CA certificate(s) that signed the node
         * certificate, PEM. For a default install copy
         * `/etc/pve/pve-root-ca.pem` from the Proxmox host.
         */
        caFile?: string;
        /** The same CA as PEM text, when a file is not convenient. */
        ca?: string;
        /**
         * Skip TLS certificate verification for this instance only. Anyone on
         * the network path can then read the token. Prefer `caFile`.
         */
        dangerouslyAllowInsecureTls?: boolean;
        /**
         * A second token used only for start/shutdown/stop/reboot; it needs
         * VM.PowerMgmt (e.g. a custom role on `/vms`). Without it the portal
         * offers no power actions for this instance.
         */
        powerActions?: {
          /** `<user>@<realm>!<tokenid>` */
          tokenId: string;
          /** @visibility secret */
          tokenSecret: string;
        };
        /** Per-request timeout in milliseconds. Default 10000. */
        timeoutMs?: number;
        /**
         * How long `/cluster/resources` (the one call behind every list) is
         * reused, in seconds. Proxmox itself refreshes these numbers every
         * 10 s. Default 10.
         */
        cacheSeconds?: number;
        /**
         * A guest's last backup older than this many days is flagged.
         * Default 2.
         */
        backupWarningDays?: number;
        /**
         * The address of the Proxmox web UI for "open in Proxmox" links, if
         * it differs from `url`.
         */
        webUrl?: string;
      };
    };
  };
}
