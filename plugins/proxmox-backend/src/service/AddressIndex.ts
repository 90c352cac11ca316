import { toError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { ProxmoxGuestType } from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxInstance } from '@homelab-portal/plugin-proxmox-node';
import { primaryAddresses } from './addresses';

type Known = { ips: string[]; at: number };

/**
 * Guest addresses for the guest table. Asking every guest's agent on every
 * page view would cost one call per guest per viewer, so the table shows the
 * addresses known so far and a small background queue (a few calls at a
 * time) fills in and refreshes the rest.
 */
export class AddressIndex {
  private readonly known = new Map<string, Known>();
  private readonly queued = new Set<string>();
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;

  constructor(
    private readonly logger: LoggerService,
    private readonly options: { refreshMs: number; concurrency: number } = {
      refreshMs: 300_000,
      concurrency: 4,
    },
  ) {}

  /** Addresses known for these guests now; schedules reads for the rest. */
  lookup(
    instance: ProxmoxInstance,
    guests: {
      vmid: number;
      node: string;
      type: ProxmoxGuestType;
      status: string;
      template?: boolean;
    }[],
  ): Map<number, string[]> {
    const now = Date.now();
    const out = new Map<number, string[]>();
    for (const g of guests) {
      const key = `${instance.id}:${g.vmid}`;
      const known = this.known.get(key);
      if (known) out.set(g.vmid, known.ips);
      const due = !known || now - known.at > this.options.refreshMs;
      if (
        due &&
        g.status === 'running' &&
        !g.template &&
        !this.queued.has(key)
      ) {
        this.queued.add(key);
        this.queue.push(async () => {
          try {
            const snap = await instance.guestInterfaces(g.node, g.type, g.vmid);
            const ips =
              'interfaces' in snap.value
                ? primaryAddresses(snap.value.interfaces)
                : [];
            this.known.set(key, { ips, at: Date.now() });
          } catch (error) {
            this.logger.debug(
              `No addresses for guest ${g.vmid}: ${toError(error).message}`,
            );
          } finally {
            this.queued.delete(key);
          }
        });
      }
    }
    this.pump();
    return out;
  }

  /** Stores addresses read elsewhere (the guest detail view). */
  remember(instanceId: string, vmid: number, ips: string[]) {
    this.known.set(`${instanceId}:${vmid}`, { ips, at: Date.now() });
  }

  /** Resolves once the queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) {
      await new Promise(r => setTimeout(r, 10));
    }
  }

  private pump() {
    while (this.running < this.options.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      job().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
