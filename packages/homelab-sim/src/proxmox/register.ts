// Registers the simulated Proxmox VE with the sim (see ../services.ts).
import { registerService } from '../services';
import { startProxmox } from './startProxmox';

registerService('proxmox', 18006, async () => startProxmox);
