import { toError } from '@backstage/errors';
import { Config } from '@backstage/config';
import fs from 'node:fs';

/**
 * One Proxmox instance from app-config, validated.
 *
 * @public
 */
export type ProxmoxInstanceConfig = {
  id: string;
  url: string;
  webUrl: string;
  tokenId: string;
  tokenSecret: string;
  ca?: string;
  dangerouslyAllowInsecureTls: boolean;
  powerActions?: { tokenId: string; tokenSecret: string };
  timeoutMs: number;
  cacheSeconds: number;
  backupWarningDays: number;
};

const tokenIdPattern =
  /^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;

function checkTokenId(value: string, key: string) {
  if (!tokenIdPattern.test(value)) {
    let hint = '';
    if (value.includes('=')) {
      hint = ' (put only the id here, the secret goes in tokenSecret)';
    } else if (!value.includes('!')) {
      hint = ' (the token name after "!" is missing)';
    }
    throw new Error(
      `${key} must be an API token id like backstage@pve!catalog (user@realm!tokenid)${hint}, got "${value}"`,
    );
  }
}

/**
 * Reads `proxmox.instances`; every mistake names its key. No section means
 * no instances (the plugins stay idle).
 *
 * @public
 */
export function readProxmoxConfig(config: Config): ProxmoxInstanceConfig[] {
  const instances = config.getOptionalConfig('proxmox.instances');
  if (!instances) return [];
  return instances.keys().map(id => {
    const key = `proxmox.instances.${id}`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(id)) {
      throw new Error(
        `${key}: the instance id must be lower-case letters, digits and "-" (it becomes part of catalog entity names)`,
      );
    }
    const c = instances.getConfig(id);
    const url = c.getString('url');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`${key}.url is not a URL: "${url}"`);
    }
    if (parsed.protocol !== 'https:') {
      throw new Error(
        `${key}.url must use https:// - Proxmox VE serves its API over HTTPS only (usually port 8006), got "${url}"`,
      );
    }
    const tokenId = c.getString('tokenId');
    checkTokenId(tokenId, `${key}.tokenId`);
    const tokenSecret = c.getString('tokenSecret').trim();
    if (!tokenSecret) throw new Error(`${key}.tokenSecret is empty`);

    let ca = c.getOptionalString('ca');
    const caFile = c.getOptionalString('caFile');
    if (caFile) {
      try {
        ca = fs.readFileSync(caFile, 'utf8');
      } catch (error) {
        throw new Error(
          `${key}.caFile: cannot read ${caFile} (${toError(error).message})`,
        );
      }
    }
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error(
        `${key}.${
          caFile ? 'caFile' : 'ca'
        } holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----", e.g. the contents of /etc/pve/pve-root-ca.pem)`,
      );
    }
    const dangerouslyAllowInsecureTls =
      c.getOptionalBoolean('dangerouslyAllowInsecureTls') ?? false;

    const power = c.getOptionalConfig('powerActions');
    let powerActions: ProxmoxInstanceConfig['powerActions'];
    if (power) {
      const powerId = power.getString('tokenId');
      checkTokenId(powerId, `${key}.powerActions.tokenId`);
      const powerSecret = power.getString('tokenSecret').trim();
      if (!powerSecret)
        throw new Error(`${key}.powerActions.tokenSecret is empty`);
      powerActions = { tokenId: powerId, tokenSecret: powerSecret };
    }
    const positive = (name: string, fallback: number) => {
      const v = c.getOptionalNumber(name) ?? fallback;
      if (!(v > 0))
        throw new Error(`${key}.${name} must be a positive number, got ${v}`);
      return v;
    };
    return {
      id,
      url: parsed.origin,
      webUrl: (c.getOptionalString('webUrl') ?? parsed.origin).replace(
        /\/+$/,
        '',
      ),
      tokenId,
      tokenSecret,
      ca,
      dangerouslyAllowInsecureTls,
      powerActions,
      timeoutMs: positive('timeoutMs', 10_000),
      cacheSeconds: positive('cacheSeconds', 10),
      backupWarningDays: positive('backupWarningDays', 2),
    };
  });
}
