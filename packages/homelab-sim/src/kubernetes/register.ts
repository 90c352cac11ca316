// Registers the simulated Kubernetes API server (with the sealed-secrets
// controller behind its service proxy) with the sim (see ../services.ts).
import { registerService } from '../services';
import { startKubernetesApi } from './KubernetesApiServer';

registerService('kubernetes', 16443, async () => startKubernetesApi);
