import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth';
import { Caller, ForgeModel } from '../ForgeModel';

const COOKIE = 'forge_session';

/**
 * Sign-in for the web view. The repositories are private, so, as on GitHub,
 * pages and raw files answer 404 to anonymous visitors. A browser signs in
 * once with a forge token (the session cookie names a random id, never the
 * token); scripts may send the token as `Authorization` instead.
 */
export class WebSessions {
  private readonly sessions = new Map<string, Caller>();

  constructor(private readonly model: ForgeModel) {}

  callerOf(req: IncomingMessage): Caller | undefined {
    const auth = authenticate(this.model, req);
    if (auth.kind === 'caller') return auth.caller;
    const cookie = String(req.headers.cookie ?? '')
      .split(';')
      .map(c => c.trim().split('='))
      .find(([k]) => k === COOKIE)?.[1];
    return cookie ? this.sessions.get(cookie) : undefined;
  }

  /** A `Set-Cookie` value for a new session, or undefined when the token is not the forge's. */
  signIn(token: string): string | undefined {
    const caller = this.model.callerFor(token.trim());
    if (!caller) return undefined;
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, caller);
    return `${COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Strict`;
  }

  signOut(req: IncomingMessage): string {
    const cookie = String(req.headers.cookie ?? '')
      .split(';')
      .map(c => c.trim().split('='))
      .find(([k]) => k === COOKIE)?.[1];
    if (cookie) this.sessions.delete(cookie);
    return `${COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
  }
}

/** Only paths on this site, so a sign-in link cannot send people elsewhere. */
export function safeReturnTo(value: string | null | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/';
}
