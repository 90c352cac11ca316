import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { StateDir } from '../../state/StateDir';

/**
 * API tokens and privileges, as pve-access-control evaluates them: a token's
 * rights are the ACL entries given to it (privilege separation on, so the
 * user is assumed to hold the same), an ACL on a path propagates to every
 * path below it, and roles are the built-in privilege sets of the release.
 */

export type AclEntry = { path: string; role?: string; privs: string[] };
export type TokenDef = { id: string; file: string; acl: AclEntry[] };

/** The two tokens of the demo household (docs: the recommended setup). */
export const defaultTokens: TokenDef[] = [
  {
    id: 'backstage@pve!catalog',
    file: 'catalog',
    acl: [{ path: '/', role: 'PVEAuditor', privs: [] }],
  },
  {
    id: 'backstage@pve!power',
    file: 'power',
    acl: [
      { path: '/', role: 'PVEAuditor', privs: [] },
      { path: '/vms', privs: ['VM.PowerMgmt'] },
    ],
  },
];

/** Built-in roles (pve-access-control AccessControl.pm `$privgroups`), per major release. */
export function rolePrivileges(role: string, major: number): string[] {
  const auditor = [
    'VM.Audit',
    'Sys.Audit',
    'Datastore.Audit',
    'SDN.Audit',
    'Pool.Audit',
    'Mapping.Audit',
  ];
  // 9.x added VM.GuestAgent.* (commit 922f7105); 8.x agent reads need VM.Monitor.
  if (major >= 9) auditor.push('VM.GuestAgent.Audit');
  switch (role) {
    case 'PVEAuditor':
      return auditor;
    case 'PVEVMUser':
      return [
        'VM.Audit',
        'VM.Config.CDROM',
        'VM.Config.Cloudinit',
        'VM.Console',
        'VM.Backup',
        'VM.PowerMgmt',
        ...(major >= 9
          ? [
              'VM.GuestAgent.Audit',
              'VM.GuestAgent.FileRead',
              'VM.GuestAgent.FileSystemMgmt',
              'VM.GuestAgent.FileWrite',
            ]
          : []),
      ];
    case 'PVEDatastoreAdmin':
      return [
        'Datastore.Allocate',
        'Datastore.AllocateSpace',
        'Datastore.AllocateTemplate',
        'Datastore.Audit',
      ];
    case 'NoAccess':
      return [];
    default:
      throw new Error(`homelab-sim proxmox: unknown role ${role}`);
  }
}

export type Token = TokenDef & {
  user: string;
  tokenName: string;
  secret: string;
};

/** The tokens with their secrets (UUIDs, created once in `<state>/proxmox/`). */
export function loadTokens(state: StateDir, defs: TokenDef[]): Token[] {
  return defs.map(def => {
    const name = `proxmox/${def.file}-token-secret`;
    const file = state.path(name);
    if (!fs.existsSync(file)) state.writeSecret(name, randomUUID());
    const [user, tokenName] = def.id.split('!');
    return {
      ...def,
      user,
      tokenName,
      secret: fs.readFileSync(file, 'utf8').trim(),
    };
  });
}

export type AuthResult =
  | { ok: true; token: Token }
  | { ok: false; reason: 'No ticket' | 'Authentication failed!' };

/**
 * Reads `Authorization: PVEAPIToken=<user>@<realm>!<tokenid>=<secret>` the way
 * pve-http-server does: regex `(?:^|\s)PVEAPIToken(?:=| )([^;]*)`,
 * URI-unescaped, split at the last `=`.
 */
export function authenticate(
  header: string | undefined,
  tokens: Token[],
): AuthResult {
  const m = /(?:^|\s)PVEAPIToken(?:=| )([^;]*)/.exec(header ?? '');
  if (!m) return { ok: false, reason: 'No ticket' };
  let value: string;
  try {
    value = decodeURIComponent(m[1]);
  } catch {
    return { ok: false, reason: 'Authentication failed!' };
  }
  const split = /^(.*)=(.*)$/.exec(value);
  if (!split) return { ok: false, reason: 'Authentication failed!' };
  const token = tokens.find(t => t.id === split[1]);
  if (!token || token.secret !== split[2]) {
    return { ok: false, reason: 'Authentication failed!' };
  }
  return { ok: true, token };
}

/** Privileges a token holds on a path (ACLs propagate down the tree). */
export function privilegesOn(
  token: Token,
  path: string,
  major: number,
): Set<string> {
  const privs = new Set<string>();
  for (const entry of token.acl) {
    const applies =
      entry.path === '/' ||
      path === entry.path ||
      path.startsWith(`${entry.path}/`);
    if (!applies) continue;
    for (const p of entry.role ? rolePrivileges(entry.role, major) : [])
      privs.add(p);
    for (const p of entry.privs) privs.add(p);
  }
  return privs;
}

export function hasAny(
  token: Token,
  path: string,
  privs: string[],
  major: number,
): boolean {
  const held = privilegesOn(token, path, major);
  return privs.some(p => held.has(p));
}
