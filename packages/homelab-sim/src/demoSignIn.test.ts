import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HomelabSim } from './HomelabSim';

describe('the demo config', () => {
  it('makes the local guest a home admin, which it is nowhere else', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-sign-in-'));
    const sim = await HomelabSim.start({
      stateDir,
      ports: { talos: 0, admin: 0 },
      only: ['talos'],
    });
    try {
      const demo = JSON.parse(
        fs
          .readFileSync(path.join(stateDir, 'app-config.demo.yaml'), 'utf8')
          .replace(/^#.*\n/, ''),
      );
      expect(demo.permission.homelab.adminGroups).toEqual([
        'group:default/home-admins',
        'user:default/guest',
      ]);
    } finally {
      await sim.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
