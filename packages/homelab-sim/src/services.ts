import { ServiceFactory } from './SimContext';

/**
 * The simulated services, by name, with their default ports. Each issue adds
 * its own (kubernetes + sealed-secrets + forge, proxmox, talos).
 */
export const serviceFactories: Record<
  string,
  { port: number; start: () => Promise<ServiceFactory> }
> = {};

export function registerService(
  name: string,
  port: number,
  start: () => Promise<ServiceFactory>,
) {
  serviceFactories[name] = { port, start };
}
