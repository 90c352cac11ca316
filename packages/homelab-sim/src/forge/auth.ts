import type { IncomingMessage } from 'node:http';
import { Caller, ForgeModel } from './ForgeModel';

/**
 * The outcome of reading a request's credentials:
 * - `anonymous`: none were sent,
 * - `caller`: a known token (as `token …`, `Bearer …`, or the password or
 *   user name of HTTP Basic, the way git and Gitea clients send it),
 * - `invalid`: something was sent and it is not a token of this forge.
 */
export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'caller'; caller: Caller }
  | { kind: 'invalid' };

export function authenticate(
  model: ForgeModel,
  req: IncomingMessage,
): Authentication {
  const header = req.headers.authorization;
  if (!header) return { kind: 'anonymous' };
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  const candidates: string[] = [];
  if (scheme === 'token' || scheme === 'bearer') {
    candidates.push(value);
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      // git sends user:token; Gitea also accepts the token as the user name.
      candidates.push(decoded.slice(colon + 1), decoded.slice(0, colon));
    }
  }
  for (const c of candidates) {
    if (!c) continue;
    const caller = model.callerFor(c);
    if (caller) return { kind: 'caller', caller };
  }
  return { kind: 'invalid' };
}
