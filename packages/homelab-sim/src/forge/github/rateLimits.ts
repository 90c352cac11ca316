import { Caller } from '../ForgeModel';

export type RateLimitSettings = {
  /** Primary limit per token and hour (REST). */
  core: number;
  /** Primary limit per hour without a token. */
  anonymous: number;
  /** GraphQL points per token and hour (one per query here). */
  graphql: number;
  /** Secondary limit: content-creating requests per token and window. */
  contentPerMinute: number;
  /** The secondary limit's window in seconds. */
  secondaryWindowSeconds: number;
};

export type RateWindow = {
  limit: number;
  used: number;
  remaining: number;
  /** UTC epoch seconds when the window starts over. */
  reset: number;
  resource: 'core' | 'graphql';
};

type Window = { reset: number; used: number };

/**
 * GitHub's rate limits, enforced
 * (docs.github.com rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * a primary limit per token and hour for REST and for GraphQL, and the
 * secondary limit on content-creating requests per minute. Conditional
 * requests answered 304 are given back.
 */
export class RateLimits {
  private readonly hourly = new Map<string, Window>();
  private readonly minutely = new Map<string, Window>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number,
  ) {}

  private key(caller: Caller | undefined) {
    return caller ? `${caller.account.login}:${caller.scope}` : 'anonymous';
  }

  private window(map: Map<string, Window>, key: string, seconds: number) {
    const nowS = Math.floor(this.now() / 1000);
    let w = map.get(key);
    if (!w || w.reset <= nowS) {
      w = { reset: nowS + seconds, used: 0 };
      map.set(key, w);
    }
    return w;
  }

  private limitFor(
    caller: Caller | undefined,
    resource: RateWindow['resource'],
  ) {
    if (!caller) return this.settings.anonymous;
    return resource === 'graphql' ? this.settings.graphql : this.settings.core;
  }

  private view(
    w: Window,
    limit: number,
    resource: RateWindow['resource'],
  ): RateWindow {
    return {
      limit,
      used: w.used,
      remaining: Math.max(0, limit - w.used),
      reset: w.reset,
      resource,
    };
  }

  /**
   * Counts one request. `exceeded` is set, and nothing is counted, when the
   * primary window is used up.
   */
  take(caller: Caller | undefined, resource: RateWindow['resource']) {
    const limit = this.limitFor(caller, resource);
    const w = this.window(this.hourly, `${resource}:${this.key(caller)}`, 3600);
    if (w.used >= limit)
      return { window: this.view(w, limit, resource), exceeded: true };
    w.used++;
    return {
      window: this.view(w, limit, resource),
      exceeded: false,
      refund: () => {
        w.used = Math.max(0, w.used - 1);
      },
    };
  }

  /** Seconds to wait when a content-creating request goes over the secondary limit; 0 when it may go. */
  takeContent(caller: Caller | undefined): number {
    const w = this.window(
      this.minutely,
      this.key(caller),
      this.settings.secondaryWindowSeconds,
    );
    if (w.used >= this.settings.contentPerMinute)
      return Math.max(1, w.reset - Math.floor(this.now() / 1000));
    w.used++;
    return 0;
  }

  /** The current window without counting (what `GET /rate_limit` shows). */
  peek(caller: Caller | undefined, resource: RateWindow['resource']) {
    const limit = this.limitFor(caller, resource);
    const key = `${resource}:${this.key(caller)}`;
    const nowS = Math.floor(this.now() / 1000);
    const w = this.hourly.get(key);
    return this.view(
      w && w.reset > nowS ? w : { reset: nowS + 3600, used: 0 },
      limit,
      resource,
    );
  }
}

export function rateLimitHeaders(w: RateWindow): Record<string, string> {
  return {
    'x-ratelimit-limit': String(w.limit),
    'x-ratelimit-remaining': String(w.remaining),
    'x-ratelimit-reset': String(w.reset),
    'x-ratelimit-used': String(w.used),
    'x-ratelimit-resource': w.resource,
  };
}
