import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { PowerActionStore } from '../database/PowerActionStore';

const DEFAULT_KEEP_DAYS = 180;

/** Days finished power actions are kept (`proxmox.powerActionHistory.keepDays`). */
export function readKeepDays(config: RootConfigService): number {
  const key = 'proxmox.powerActionHistory.keepDays';
  const days = config.getOptionalNumber(key) ?? DEFAULT_KEEP_DAYS;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${key} must be a whole number of days, at least 1`);
  }
  return days;
}

/**
 * Deletes finished power actions past their keep time, once a day, on one
 * replica at a time (the scheduler's lock).
 */
export async function scheduleRetention(options: {
  scheduler: SchedulerService;
  store: PowerActionStore;
  logger: LoggerService;
  keepDays: number;
}) {
  const { scheduler, store, logger, keepDays } = options;
  await scheduler.scheduleTask({
    id: 'proxmox-power-action-retention',
    frequency: { hours: 24 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const before = new Date(Date.now() - keepDays * 86_400_000);
      const deleted = await store.deleteFinishedBefore(before);
      if (deleted > 0) {
        logger.info(
          `Deleted ${deleted} power action record(s) finished before ${before.toISOString()} (kept ${keepDays} days)`,
        );
      }
    },
  });
}
