/**
 * The Velero releases this project knows, read from Velero's tags (v1.13.0 … v1.18.1).
 * Everything version-dependent (ConfigMap fields, the DaemonSet `velero install` renders,
 * node-agent's flags) is keyed by these; a new Velero release is added here first.
 */
export const RELEASES = [
  '1.13.0', '1.13.1', '1.13.2',
  '1.14.0', '1.14.1',
  '1.15.0', '1.15.1', '1.15.2',
  '1.16.0', '1.16.1', '1.16.2',
  '1.17.0', '1.17.1', '1.17.2',
  '1.18.0', '1.18.1',
] as const;

export type Release = (typeof RELEASES)[number];

/** The newest known release: the default for commands that need a version. */
export const NEWEST_RELEASE: Release = RELEASES[RELEASES.length - 1];

/** `1.13.0 up to 1.18.1`, for messages. */
export const RELEASES_TEXT = `${RELEASES[0]} up to ${NEWEST_RELEASE}`;

/** X.Y.Z without leading zeros, nothing before or after. */
export const VERSION_PATTERN = '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$';
const VERSION = new RegExp(VERSION_PATTERN);

type Triple = readonly [number, number, number];

/** Parsed once per distinct string: the schema and every rule compare versions, thousands of times a fleet. */
const parsed = new Map<string, Triple | undefined>();

function triple(version: string): Triple | undefined {
  let found = parsed.get(version);
  if (found === undefined && !parsed.has(version)) {
    if (VERSION.test(version)) {
      const [major, minor, patch] = version.split('.').map(Number);
      found = [major, minor, patch];
    }
    if (parsed.size < 1024) parsed.set(version, found);
  }
  return found;
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b` (both X.Y.Z). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [triple(a), triple(b)];
  if (!x || !y) throw new Error(`not a version: ${x ? b : a}`);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Whether `version` is `since` or newer. */
export const atLeast = (version: string, since: string) => compareVersions(version, since) >= 0;

/**
 * What a version string means to this project:
 * - `known`: a release in RELEASES;
 * - `newer-patch`: a patch newer than the newest known one of a known minor (1.18.2): rendered
 *   with the contract of `release`, the newest known patch of that minor, and said so;
 * - `unknown`: anything else of the right form (1.12.0, 1.19.0, 1.16.1 when it is not listed);
 * - `invalid`: not X.Y.Z.
 */
export type ReleaseLookup =
  | { readonly kind: 'known'; readonly release: Release }
  | { readonly kind: 'newer-patch'; readonly release: Release }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'invalid' };

export function lookupRelease(version: string): ReleaseLookup {
  const t = triple(version);
  if (!t) return { kind: 'invalid' };
  const known = RELEASES.find((r) => r === version);
  if (known) return { kind: 'known', release: known };
  const sameMinor = RELEASES.filter((r) => r.startsWith(`${t[0]}.${t[1]}.`));
  const newest = sameMinor[sameMinor.length - 1];
  return newest && compareVersions(version, newest) > 0 ? { kind: 'newer-patch', release: newest } : { kind: 'unknown' };
}

/** The release whose contract applies to `version`, or undefined when there is none. */
export function contractRelease(version: string): Release | undefined {
  const found = lookupRelease(version);
  return found.kind === 'known' || found.kind === 'newer-patch' ? found.release : undefined;
}
