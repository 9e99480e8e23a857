/** Kubernetes value grammars the rules need: quantities, label keys and values, selectors. */
import type { LabelSelector } from './schema/node-agent-config';

const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?[0-9]+))?$/;
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** An exact quantity, numerator / denominator: Kubernetes compares quantities exactly, so no floats. */
export interface Quantity {
  readonly num: bigint;
  readonly den: bigint;
}

/** Parses "500m", "1.5Gi", "2e3"...; undefined when it is not a Kubernetes quantity. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  const [, sign, whole, fraction = '', binary, decimal, exponent] = m;
  let num = BigInt(`${sign}${whole}${fraction}` || '0');
  let den = 10n ** BigInt(fraction.length);
  const power10 = decimal ? DECIMAL[decimal] : Number(exponent ?? 0);
  if (binary) num *= 1024n ** BigInt(BINARY[binary]);
  if (power10 >= 0) num *= 10n ** BigInt(power10);
  else den *= 10n ** BigInt(-power10);
  return { num, den };
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const diff = a.num * b.den - b.num * a.den;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key (`[prefix/]name`), or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `the prefix "${prefix}" is not a DNS subdomain`;
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `"${name}" must be at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length > 63 || !NAME.test(value)
    ? `"${value}" must be empty or at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit`
    : undefined;
}

interface KeyConstraint {
  allowed?: Set<string>;
  forbidden: Set<string>;
  exists: boolean;
  absent: boolean;
}

/**
 * Whether some node could carry labels that both selectors match: their requirements,
 * taken together, are satisfiable key by key. An empty selector matches every node.
 */
export function selectorsCanOverlap(a: LabelSelector, b: LabelSelector): boolean {
  const constraints = new Map<string, KeyConstraint>();
  const on = (key: string) => {
    let c = constraints.get(key);
    if (!c) constraints.set(key, (c = { forbidden: new Set(), exists: false, absent: false }));
    return c;
  };
  const allow = (c: KeyConstraint, values: string[]) => {
    c.allowed = new Set(values.filter((v) => !c.allowed || c.allowed.has(v)));
    c.exists = true;
  };
  for (const selector of [a, b]) {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) allow(on(key), [value]);
    for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
      const c = on(key);
      if (operator === 'In') allow(c, values);
      else if (operator === 'NotIn') values.forEach((v) => c.forbidden.add(v));
      else if (operator === 'Exists') c.exists = true;
      else c.absent = true;
    }
  }
  return [...constraints.values()].every(
    (c) => !(c.exists && c.absent) && (!c.allowed || [...c.allowed].some((v) => !c.forbidden.has(v))),
  );
}

/** Tag and digest of an image reference (`registry:5000/repo:tag@sha256:...`); a registry port is not a tag. */
export function parseImage(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = (at >= 0 ? image.slice(0, at) : image).split('/').pop()!;
  const colon = name.indexOf(':');
  return { tag: colon >= 0 ? name.slice(colon + 1) : undefined, digest };
}

/** A tag that names a release: v1.18.1, 1.18.1, v1.18.1-rc.1, ... */
const VERSION_TAG = /^v?[0-9]+(\.[0-9]+)*([-+.][A-Za-z0-9.-]+)?$/;

/** Pinned: a sha256 digest, or a tag that names a release (not `latest`, not a branch, not missing). */
export function isPinnedImage(image: string): boolean {
  const { tag, digest } = parseImage(image);
  return digest ? /^sha256:[a-f0-9]{64}$/.test(digest) : tag !== undefined && VERSION_TAG.test(tag);
}
