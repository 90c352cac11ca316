/*
 * The HomeLab Portal backend: upstream Backstage plugins plus the household's
 * own (Proxmox, Talos, GitOps). Each line adds one feature; order does not matter.
 */
import { createBackend } from '@backstage/backend-defaults';
import { searchEngineLoader } from './modules/searchEngine';
import { techdocsPrebuildModule } from './modules/techdocsPrebuild';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));
// Lets the catalog and others subscribe to events instead of only polling.
backend.add(import('@backstage/plugin-events-backend'));

// Sign-in. Guest is for a laptop; production config turns it off (see app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// OIDC (Authelia, Zitadel, ...): configured in app-config.production.yaml.
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// The catalog: the household's model, plus entities generated from Proxmox.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Self-service: templates that open GitOps pull requests.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

// Architecture docs, built locally with Debian's mkdocs.
backend.add(import('@backstage/plugin-techdocs-backend'));

// Pod health on each app's page.
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// home-admins change things, family reads (plugins/permission-backend-module-homelab).
backend.add(import('@homelab-portal/plugin-permission-backend-module-homelab'));

// Search: Postgres engine when on PostgreSQL, the in-memory Lunr engine otherwise.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(searchEngineLoader);
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
backend.add(techdocsPrebuildModule);

backend.add(import('@backstage/plugin-user-settings-backend'));
// User settings (theme, starred entities) are pushed to open tabs over signals.
backend.add(import('@backstage/plugin-signals-backend'));

// Talos: live node state, health checks and upgrade advice over the Talos API (mTLS).
backend.add(import('@homelab-portal/plugin-talos-backend'));

// Proxmox VE: views and power actions, and the nodes, VMs, containers and
// storage as catalog entities (both read through one shared client and cache).
backend.add(import('@homelab-portal/plugin-proxmox-backend'));
backend.add(import('@homelab-portal/plugin-catalog-backend-module-proxmox'));

// GitOps self-service: homelab:* actions for the templates in templates/
// (apps, sealed secrets, routes as pull requests on GitHub or Gitea).
backend.add(import('@homelab-portal/plugin-scaffolder-backend-module-gitops'));
// Is my change live? Delivery status, drift, certificates, pending updates.
backend.add(import('@homelab-portal/plugin-gitops-backend'));

backend.start();
