export interface Config {
  proxmox?: {
    /** The record of power actions asked through the portal. */
    powerActionHistory?: {
      /**
       * Days a finished power action is kept (who, what, when, result);
       * older ones are deleted once a day. Default 180.
       */
      keepDays?: number;
    };
  };
}
