import { toError } from '@backstage/errors';
import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  GuestHardwareIds,
  hardwareIdsOfConfig,
} from '@homelab-portal/plugin-proxmox-common';
import {
  ClusterResources,
  ProxmoxInstance,
  ProxmoxService,
} from '@homelab-portal/plugin-proxmox-node';
import { GuestLossGuard } from './GuestLossGuard';
import { ProviderConfig, readProviderConfig } from './readProviderConfig';
import { resourcesToEntities, sanitizeTags } from './transform';

/** Config reads in flight at once: Proxmox serves them from one pveproxy. */
const CONFIG_READS = 4;

/**
 * Keeps the catalog's Proxmox entities in step with one Proxmox instance.
 *
 * Each run reads `/cluster/resources` in one call (through the shared cache)
 * and replaces this provider's entities in one full mutation. A run that
 * cannot read everything - Proxmox down, an error answer, or an answer that
 * is not the API's shape - applies nothing, so the catalog keeps the last
 * known entities; it says so once, and once more when Proxmox is back. An
 * answer that loses most guests at once is held back too (GuestLossGuard).
 *
 * The provider name `ProxmoxEntityProvider:<instance>` owns the entities:
 * renaming the instance orphans them.
 */
export class ProxmoxEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private failing = false;
  private readonly guestLoss = new GuestLossGuard();
  /** The refusal last logged, to say it once and not every run. */
  private heldBack?: string;
  /** Last read hardware ids per VMID, kept when a config read fails. */
  private readonly hardware = new Map<number, GuestHardwareIds>();

  /**
   * One provider per Proxmox instance that `catalog.providers.proxmox`
   * selects (every instance unless it lists some), sharing one schedule;
   * none when the provider is turned off.
   */
  static fromConfig(
    config: RootConfigService,
    deps: {
      logger: LoggerService;
      scheduler: SchedulerService;
      proxmox: ProxmoxService;
    },
  ): ProxmoxEntityProvider[] {
    const { logger, scheduler, proxmox } = deps;
    const providerConfig = readProviderConfig(config);
    if (!providerConfig.enabled) {
      logger.info(
        'The Proxmox entity provider is turned off (catalog.providers.proxmox.enabled)',
      );
      return [];
    }
    const wanted = providerConfig.instances;
    const instances = proxmox
      .listInstances()
      .filter(i => !wanted || wanted.includes(i.id));
    for (const id of wanted ?? []) {
      if (!instances.some(i => i.id === id)) {
        throw new Error(
          `catalog.providers.proxmox.instances names "${id}", which is not under proxmox.instances`,
        );
      }
    }
    const runner = scheduler.createScheduledTaskRunner(providerConfig.schedule);
    return instances.map(
      instance =>
        new ProxmoxEntityProvider(
          instance,
          providerConfig,
          logger.child({ provider: `ProxmoxEntityProvider:${instance.id}` }),
          runner,
        ),
    );
  }

  constructor(
    private readonly instance: ProxmoxInstance,
    private readonly config: ProviderConfig,
    private readonly logger: LoggerService,
    private readonly taskRunner?: SchedulerServiceTaskRunner,
  ) {}

  getProviderName(): string {
    return `ProxmoxEntityProvider:${this.instance.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** One run; returns whether entities were applied. Never throws. */
  async refresh(): Promise<boolean> {
    if (!this.connection)
      throw new Error(`${this.getProviderName()} is not connected`);
    const started = Date.now();
    let entities;
    let skipped: string[];
    let guests: number[];
    try {
      const { value } = await this.instance.resources({ fresh: true });
      if (value.nodes.length === 0) {
        // A reachable Proxmox always lists at least the node that answers.
        throw new Error('the answer lists no nodes at all');
      }
      guests = value.guests.map(g => g.vmid);
      await this.readHardwareIds(value);
      ({ entities, skipped } = resourcesToEntities(value, {
        instance: this.instance.id,
        webUrl: this.instance.webUrl,
        owner: this.config.owner,
        system: this.config.system,
        hardware: this.hardware,
      }));
    } catch (error) {
      const message = `Proxmox instance "${
        this.instance.id
      }" could not be read, so the catalog keeps its last known Proxmox entities: ${
        toError(error).message
      }`;
      if (this.failing) this.logger.debug(message);
      else this.logger.warn(message);
      this.failing = true;
      return false;
    }
    const refusal = this.guestLoss.check(guests);
    if (refusal) {
      const message = `Proxmox instance "${this.instance.id}": ${refusal}`;
      if (this.heldBack === refusal) this.logger.debug(message);
      else this.logger.warn(message);
      this.heldBack = refusal;
      return false;
    }
    this.heldBack = undefined;
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.guestLoss.applied(guests);
    for (const s of skipped) this.logger.warn(`Proxmox entity skipped: ${s}`);
    const count = (type: string) =>
      entities.filter(e => String(e.spec?.type).startsWith(type)).length;
    const summary = `${count('proxmox-node')} nodes, ${count(
      'virtual-machine',
    )} VMs, ${count('lxc-container')} containers, ${count(
      'storage',
    )} storages in ${Date.now() - started} ms`;
    if (this.failing) {
      this.logger.info(
        `Proxmox instance "${this.instance.id}" is readable again; catalog updated: ${summary}`,
      );
    } else {
      this.logger.info(
        `Proxmox catalog refresh of "${this.instance.id}": ${summary}`,
      );
    }
    this.failing = false;
    return true;
  }

  /**
   * SMBIOS UUID and MACs of the VMs tagged for it. They are in each VM's
   * config only, one call per VM, hence the tag filter. A VM whose config
   * cannot be read keeps the ids of its last read: they rarely change, and
   * dropping them would flip its Talos link to a weaker match.
   */
  private async readHardwareIds(resources: ClusterResources) {
    const wanted = new Set(this.config.hardwareIdTags);
    const vms = resources.guests.filter(
      g =>
        g.type === 'qemu' &&
        !g.template &&
        sanitizeTags(g.tags).some(t => wanted.has(t)),
    );
    const present = new Set(vms.map(g => g.vmid));
    for (const vmid of this.hardware.keys())
      if (!present.has(vmid)) this.hardware.delete(vmid);
    let next = 0;
    const worker = async () => {
      while (next < vms.length) {
        const g = vms[next++];
        try {
          const { value } = await this.instance.guestConfig(
            g.node,
            'qemu',
            g.vmid,
          );
          this.hardware.set(g.vmid, hardwareIdsOfConfig(value));
        } catch (error) {
          this.logger.debug(
            `Proxmox VM ${
              g.vmid
            }: config not read, keeping its last hardware ids: ${
              toError(error).message
            }`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONFIG_READS }, worker));
  }
}
