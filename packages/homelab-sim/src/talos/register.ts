// Registers the simulated Talos cluster with the sim (see ../services.ts):
// one apid per node (gRPC over mTLS, ports base, base+1, …) and a small Image
// Factory (`GET /versions`, HTTPS, port base+99).
import { registerService } from '../services';
import { startTalos } from './startTalos';

registerService('talos', 15000, async () => startTalos);
