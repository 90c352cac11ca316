export interface Config {
  techdocs?: {
    generator?: {
      mkdocs?: {
        /**
         * Read by @backstage/plugin-techdocs-node's generator but missing from
         * techdocs-backend's schema (backstage-platform notes §5): do not add
         * the techdocs-core MkDocs plugin, which needs PyPI. Declared here so
         * `backstage-cli config:check --strict` accepts app-config.yaml.
         */
        omitTechdocsCorePlugin?: boolean;
      };
    };
  };
}
