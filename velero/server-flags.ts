/**
 * node-agent's server flags (pkg/cmd/cli/nodeagent/server.go, v1.13.0 … v1.18.1) that an
 * environment can set, and the grammar of their values.
 */

/** logrus levels node-agent accepts for `--log-level` (default info). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'fatal', 'panic'] as const;
/** `--log-format` (default text). */
export const LOG_FORMATS = ['text', 'json'] as const;

/** Flags of every release that take a Go duration, with node-agent's defaults. */
export const DURATION_FLAGS = {
  resourceTimeout: { flag: '--resource-timeout', default: '10m' },
  dataMoverPrepareTimeout: { flag: '--data-mover-prepare-timeout', default: '30m' },
} as const;

/** Go's time.Duration limit: 2^63-1 nanoseconds (about 292 years). */
const MAX_DURATION_NS = 2n ** 63n - 1n;

/** Nanoseconds per unit, as time.ParseDuration's unitMap (both micro signs included). */
const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/**
 * A Go duration as time.ParseDuration reads it (`45m`, `1h30m`, `1.5h`, `300ms`), in
 * nanoseconds, or a reason it is not one. Fractions are kept exact, so a value just at the
 * overflow limit may be judged differently from Go's float arithmetic; nothing real is near it.
 */
export function parseGoDuration(text: string): { nanoseconds: bigint } | { problem: string } {
  let rest = text;
  const negative = rest.startsWith('-');
  if (rest.startsWith('-') || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return { nanoseconds: 0n };
  if (rest === '') return { problem: 'it is empty' };
  let total = 0n;
  while (rest !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/.exec(rest)!;
    const [whole, intPart, fraction = '', unit] = m;
    if (intPart === '' && fraction === '') return { problem: `"${rest}" does not start with a number` };
    if (unit === '') return { problem: 'a number has no unit (ns, us, ms, s, m, h)' };
    const perUnit = UNITS[unit];
    if (perUnit === undefined) return { problem: `"${unit}" is not a unit (ns, us, ms, s, m, h)` };
    const scale = 10n ** BigInt(fraction.length);
    total += (BigInt(intPart || '0') * scale + BigInt(fraction || '0')) * perUnit / scale;
    if (total > MAX_DURATION_NS) return { problem: 'it is longer than Go durations can be (about 292 years)' };
    rest = rest.slice(whole.length);
  }
  return { nanoseconds: negative ? -total : total };
}
