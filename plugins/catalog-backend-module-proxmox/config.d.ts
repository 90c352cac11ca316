import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Proxmox entity provider: nodes, VMs, containers and storage of
       * every instance under `proxmox.instances` become Resource entities.
       * Entity names follow catalog/README.md and depend on the instance id:
       * never rename an instance.
       */
      proxmox?: {
        /** Set false to turn the provider off. Default true. */
        enabled?: boolean;
        /** Only these instance ids (default: all of them). */
        instances?: string[];
        /** Owner of the generated entities. Default `group:home-admins`. */
        owner?: string;
        /** System the generated entities belong to. Default `homelab`. */
        system?: string;
        /**
         * QEMU VMs carrying one of these Proxmox tags get their SMBIOS UUID
         * and MAC addresses as annotations (one config read per VM per run),
         * which lets the Talos views tie a Talos node to its VM exactly.
         * Default `[talos]`; `[]` reads none.
         */
        hardwareIdTags?: string[];
        /** How often to read Proxmox. Default every 5 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
