import fs from 'node:fs';
import { startSim } from './testUtils';

describe('the demo config', () => {
  it('makes the local guest a home admin, which it is nowhere else', async () => {
    const sim = await startSim({ only: ['talos'], tmpPrefix: 'sim-sign-in-' });
    try {
      const demo = JSON.parse(
        fs
          .readFileSync(sim.path('app-config.demo.yaml'), 'utf8')
          .replace(/^#.*\n/, ''),
      );
      expect(demo.permission.homelab.adminGroups).toEqual([
        'group:default/home-admins',
        'user:default/guest',
      ]);
    } finally {
      await sim.close();
    }
  });
});
