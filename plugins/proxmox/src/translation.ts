import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The fixed strings of the Proxmox views. Messages from the backend (errors,
 * hints) come already worded.
 *
 * @public
 */
export const proxmoxTranslationRef = createTranslationRef({
  id: 'plugin.proxmox',
  messages: {
    page: {
      title: 'Proxmox',
      subtitle:
        'Nodes, virtual machines, containers and storage of the household',
      noInstances: 'No Proxmox instance is configured',
      noInstancesHelp:
        'Add one under proxmox.instances in app-config: the https:// address (port 8006), an API token id such as backstage@pve!catalog with its secret, and the cluster CA (/etc/pve/pve-root-ca.pem) as caFile. A PVEAuditor role on / is enough to look; power actions need a second token with VM.PowerMgmt.',
      instance: 'Instance',
      openInProxmox: 'Open in Proxmox VE',
      vms: 'VMs running',
      containers: 'Containers running',
      templates: 'Templates',
      nodes: 'Nodes',
      guests: 'Guests',
      storage: 'Storage',
      tasks: 'Recent tasks',
    },
    state: {
      unreachable: 'Proxmox cannot be read right now',
      staleSince: 'Showing data from {{age}}',
      dataFrom: 'Data from {{age}}',
      noData: 'No data from Proxmox yet',
      retry: 'Retry',
    },
    charts: {
      cpu: 'CPU',
      memory: 'Memory',
      network: 'Network',
      disk: 'Root disk',
      in: 'in',
      out: 'out',
      read: 'read',
      write: 'write',
      noData: 'No history yet',
    },
    power: {
      title: 'Power',
      start: 'Start',
      shutdown: 'Shut down',
      reboot: 'Reboot',
      stop: 'Stop',
      confirmTitle: '{{action}} {{name}}?',
      confirm: '{{action}}',
      cancel: 'Cancel',
      running: 'Proxmox is running the task…',
      notAllowed:
        'Only home admins may use power actions (permission proxmox.guest.power).',
      notConfigured:
        'Power actions are off for this instance: configure proxmox.instances.<id>.powerActions with a token that has VM.PowerMgmt.',
      template: 'Templates cannot be started; clone them instead.',
      history: 'Power actions from the portal',
      none: 'No power action was asked through the portal yet.',
    },
    backups: {
      title: 'Backups',
      last: 'Last backup',
      never: 'No backup found',
      notInJob: 'This guest is in no backup job.',
      tooOld: 'The last backup is older than {{days}} days.',
      fromTasks: 'Read from backup task logs',
      fromStorage: 'Read from backup storage',
    },
  },
});
