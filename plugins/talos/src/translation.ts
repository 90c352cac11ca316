import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Every fixed string of the Talos pages. Messages from the backend (reasons,
 * errors) come already worded.
 *
 * @public
 */
export const talosTranslationRef = createTranslationRef({
  id: 'plugin.talos',
  messages: {
    page: {
      title: 'Talos',
      subtitle: 'Talos Linux nodes of the household cluster',
      noClusters: 'No Talos cluster is configured',
      noClustersHelp:
        'Add a cluster under talos.clusters in app-config (a talosconfig with the os:reader role is enough), then restart the portal.',
      loadFailed: 'The Talos cluster could not be read',
      updated: 'Updated',
      role: 'Portal role',
      endpoint: 'Endpoint',
    },
    nodes: {
      title: 'Nodes',
      node: 'Node',
      role: 'Role',
      state: 'State',
      talos: 'Talos',
      kubernetes: 'Kubernetes',
      uptime: 'Uptime',
      cpu: 'CPU',
      memory: 'Memory',
      load: 'Load (1m)',
      links: 'VM / Kubernetes Node',
      up: 'Up',
      down: 'Down',
      ready: 'ready',
      notReady: 'not ready',
    },
    services: {
      title: 'Services',
      service: 'Service',
      healthy: 'healthy',
      unhealthy: 'unhealthy',
      unknown: 'no health check',
      absent: 'not on this node',
      nodeDown: 'node down',
    },
    etcd: {
      title: 'etcd',
      member: 'Member',
      id: 'ID',
      leader: 'Leader',
      dbSize: 'DB size (in use)',
      raftIndex: 'Raft index',
      alarms: 'Alarms',
      noAlarms: 'none',
      noMembers: 'No etcd member could be read',
    },
    charts: {
      title: 'Load over time',
      cpu: 'CPU %',
      memory: 'Memory %',
      load: 'Load (1m)',
      collecting:
        'Collecting samples (one every few seconds while this page is open)…',
    },
    disks: {
      title: 'Disks',
      device: 'Device',
      model: 'Model',
      size: 'Size',
      system: 'system disk',
      ephemeral: 'EPHEMERAL',
    },
    health: {
      title: 'Health checks (as talosctl health)',
      pass: 'pass',
      fail: 'fail',
      skipped: 'not checked',
    },
    upgrades: {
      title: 'Upgrades',
      running: 'Running',
      latest: 'Newest release',
      latestPatch: 'Newest patch of this minor',
      path: 'Upgrade path',
      latestSupported: 'Newest supported by the running Talos',
      upToDate: 'Up to date',
      source: 'Release list from',
      noSource: 'No release list configured (talos.upgrades in app-config)',
    },
    entity: {
      title: 'Talos',
      notLinked: 'This VM is not linked to a Talos node',
      notLinkedHelp:
        'The portal matches VMs to Talos nodes by SMBIOS UUID, MAC address, IP address or name. Give the VM the annotation talos.homelab.dev/node with the node address if none of these match.',
      nodeDown: 'This Talos node does not answer',
      linkTitle: 'VM, Talos node and Kubernetes Node',
      vm: 'Proxmox VM',
      talosNode: 'Talos node',
      kubernetesNode: 'Kubernetes Node',
      matchedBy: 'matched by',
      none: 'not found',
      openCluster: 'Open the Talos cluster page',
    },
  },
});
