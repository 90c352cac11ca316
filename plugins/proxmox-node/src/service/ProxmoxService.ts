import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { ProxmoxClient, ProxmoxClientOptions } from '../api/ProxmoxClient';
import { SnapshotCache } from '../cache/SnapshotCache';
import { readProxmoxConfig } from '../config/readProxmoxConfig';
import { ProxmoxInstance } from './ProxmoxInstance';

/**
 * The Proxmox instances of this backend, each with its client and cache.
 * One per process (root scope), shared by the Proxmox backend plugin and the
 * catalog module, so both read through the same cache.
 *
 * @public
 */
export interface ProxmoxService {
  listInstances(): ProxmoxInstance[];
  /** Throws NotFoundError for an id that is not configured. */
  getInstance(id: string): ProxmoxInstance;
}

/** @public */
export class DefaultProxmoxService implements ProxmoxService {
  static fromConfig(
    config: RootConfigService,
    options: {
      logger: LoggerService;
      /** Overrides for every client (tests, benchmarks). */
      clientOptions?: Partial<ProxmoxClientOptions>;
    },
  ): DefaultProxmoxService {
    const cache = new SnapshotCache();
    const instances = readProxmoxConfig(config).map(c => {
      const common = {
        instance: c.id,
        url: c.url,
        ca: c.ca,
        dangerouslyAllowInsecureTls: c.dangerouslyAllowInsecureTls,
        timeoutMs: c.timeoutMs,
        ...options.clientOptions,
      };
      if (c.dangerouslyAllowInsecureTls) {
        options.logger.warn(
          `Proxmox instance "${c.id}": TLS certificates are not verified (dangerouslyAllowInsecureTls). Set caFile to the cluster CA instead.`,
        );
      }
      return new ProxmoxInstance(
        c,
        new ProxmoxClient({
          ...common,
          tokenId: c.tokenId,
          tokenSecret: c.tokenSecret,
        }),
        c.powerActions
          ? new ProxmoxClient({
              ...common,
              tokenId: c.powerActions.tokenId,
              tokenSecret: c.powerActions.tokenSecret,
            })
          : undefined,
        cache,
      );
    });
    options.logger.info(
      instances.length
        ? `Proxmox instances: ${instances
            .map(
              i =>
                `${i.id} (${i.config.url}, power actions ${
                  i.powerActionsConfigured ? 'on' : 'off'
                })`,
            )
            .join(', ')}`
        : 'No Proxmox instances configured (proxmox.instances); the Proxmox plugins stay idle.',
    );
    return new DefaultProxmoxService(instances);
  }

  constructor(private readonly instances: ProxmoxInstance[]) {}

  listInstances() {
    return [...this.instances];
  }

  getInstance(id: string) {
    const found = this.instances.find(i => i.id === id);
    if (!found) {
      throw new NotFoundError(
        `No Proxmox instance "${id}" is configured (known: ${
          this.instances.map(i => i.id).join(', ') || 'none'
        })`,
      );
    }
    return found;
  }

  async close() {
    await Promise.all(this.instances.map(i => i.close()));
  }
}
