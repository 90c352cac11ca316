// Registers the simulated Git forge (GitHub REST/GraphQL and Gitea API subsets
// over real bare repositories) with the sim (see ../services.ts).
import { registerService } from '../services';
import { startForge } from './forgeService';

registerService('forge', 13000, async () => startForge);
