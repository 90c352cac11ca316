import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProxmoxConfig } from './readProxmoxConfig';

const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const base = {
  url: 'https://pve.home.arpa:8006',
  tokenId: 'backstage@pve!catalog',
  tokenSecret: '3f0c2b1e-0000-4000-8000-000000000000',
  ca: pem,
};
const read = (home: object) =>
  readProxmoxConfig(new ConfigReader({ proxmox: { instances: { home } } }));

describe('readProxmoxConfig', () => {
  it('reads an instance with defaults', () => {
    expect(read(base)).toEqual([
      expect.objectContaining({
        id: 'home',
        url: 'https://pve.home.arpa:8006',
        webUrl: 'https://pve.home.arpa:8006',
        tokenId: 'backstage@pve!catalog',
        ca: pem,
        dangerouslyAllowInsecureTls: false,
        timeoutMs: 10_000,
        cacheSeconds: 10,
        backupWarningDays: 2,
      }),
    ]);
  });

  it('has no instances without a proxmox section', () => {
    expect(readProxmoxConfig(new ConfigReader({}))).toEqual([]);
  });

  it('reads the CA from caFile', () => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'ca-')),
      'ca.pem',
    );
    fs.writeFileSync(file, pem);
    expect(read({ ...base, ca: undefined, caFile: file })[0].ca).toBe(pem);
  });

  it.each([
    [
      { ...base, url: 'http://pve:8006' },
      'proxmox.instances.home.url must use https://',
    ],
    [
      { ...base, tokenId: 'backstage@pve' },
      'proxmox.instances.home.tokenId must be an API token id',
    ],
    [
      { ...base, tokenId: 'backstage@pve!catalog=3f0c' },
      'put only the id here, the secret goes in tokenSecret',
    ],
    [
      { ...base, tokenSecret: ' ' },
      'proxmox.instances.home.tokenSecret is empty',
    ],
    [
      { ...base, ca: 'not a pem' },
      'proxmox.instances.home.ca holds no PEM certificate',
    ],
    [
      { ...base, ca: undefined, caFile: '/nonexistent/ca.pem' },
      'proxmox.instances.home.caFile: cannot read',
    ],
    [
      { ...base, powerActions: { tokenId: 'x', tokenSecret: 'y' } },
      'proxmox.instances.home.powerActions.tokenId must be an API token id',
    ],
    [
      { ...base, timeoutMs: 0 },
      'proxmox.instances.home.timeoutMs must be a positive number',
    ],
  ])('refuses %j naming the key', (instance, message) => {
    expect(() => read(instance)).toThrow(message);
  });

  it('refuses an instance id that cannot be part of an entity name', () => {
    expect(() =>
      readProxmoxConfig(
        new ConfigReader({ proxmox: { instances: { Home_Lab: base } } }),
      ),
    ).toThrow('proxmox.instances.Home_Lab: the instance id must be lower-case');
  });
});
