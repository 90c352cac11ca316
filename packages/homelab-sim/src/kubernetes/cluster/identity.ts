import { createHash } from 'node:crypto';

/**
 * Deterministic identities for cluster objects: the same seed gives the
 * same UIDs, pod names, IPs and container IDs on every run, so screenshots
 * and tests are repeatable while time still moves.
 */
export class Identity {
  // Snapshots ask for the same identities every second; hashing is most of
  // their cost. Bounded, as keys that contain a time keep coming.
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly seed: number) {}

  private digest(key: string): Buffer {
    let d = this.cache.get(key);
    if (!d) {
      if (this.cache.size > 20_000) this.cache.clear();
      d = createHash('sha256').update(`${this.seed}:${key}`).digest();
      this.cache.set(key, d);
    }
    return d;
  }

  /** A version-4 shaped UUID. */
  uid(key: string): string {
    const b = Buffer.from(this.digest(`uid:${key}`).subarray(0, 16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
      16,
      20,
    )}-${h.slice(20)}`;
  }

  hex(key: string, length = 64): string {
    let out = '';
    for (let i = 0; out.length < length; i++)
      out += this.digest(`hex:${key}:${i}`).toString('hex');
    return out.slice(0, length);
  }

  /**
   * A name suffix from the alphabet Kubernetes uses for generated names
   * (`utilrand.String`: no vowels, no 0/1/3, so no words and no confusion).
   */
  suffix(key: string, length = 5): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    const d = this.digest(`suffix:${key}`);
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[d[i] % alphabet.length];
    return out;
  }

  /** A stable number in [0,1) for a key. */
  unit(key: string): number {
    return this.digest(`unit:${key}`).readUInt32BE(0) / 2 ** 32;
  }
}

/** RFC 3339 with whole seconds, as the API server writes timestamps. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds (`MicroTime`, used by events and leases). */
export function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A Go `time.Duration` string: 10s, 1m20s, 5m0s. */
export function goDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m ? `${m}m${s}s` : `${s}s`;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
