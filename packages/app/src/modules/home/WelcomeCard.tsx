import { MarkdownContent } from '@backstage/core-components';

const welcome = `
Everything that runs at home, in one place: the **Proxmox** host and its guests,
the **Talos** Kubernetes cluster, every self-hosted app, and the docs that explain
how they fit together.

- **Looking for an app?** Open [Household apps](/catalog?filters[kind]=component)
  or use the search bar: each app page has its address and whether it is up.
- **How is it built?** Read the [architecture docs](/docs/default/system/homelab).
- **Adding something?** The [templates](/create) open a reviewed GitOps pull
  request instead of hand-written YAML.
`;

export const WelcomeCard = () => <MarkdownContent content={welcome} />;
