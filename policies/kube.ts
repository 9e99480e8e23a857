/**
 * Kubernetes value grammars the policies need, as the API server applies them
 * (k8s.io/apimachinery/pkg/api/resource, pkg/util/validation, pkg/apis/core/validation).
 */
import type { LabelSelector } from '../velero/node-agent-config';

/** An exact quantity, numerator / denominator: Kubernetes compares quantities exactly, so no floats. */
export interface Quantity {
  readonly num: bigint;
  readonly den: bigint;
}

const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?[0-9]+))?$/;
const BINARY: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Kubernetes caps quantities at 2^63-1 in magnitude; we reject instead of letting a cap change the value. */
const MAX_QUANTITY = 2n ** 63n - 1n;
/** Below a nano Kubernetes rounds a non-zero value up to 1n, so smaller exponents need not be computed. */
const MIN_EXPONENT = -40;

/**
 * Parses "500m", "1.5Gi", "2e3"... The work is bounded whatever the input: an exponent that
 * would make the value larger than Kubernetes can hold is a problem, not a computation.
 */
export function parseQuantity(text: string): Quantity | { readonly problem: string } {
  const m = QUANTITY.exec(text);
  if (!m || (!m[2] && !m[3])) return { problem: 'is not a Kubernetes quantity' };
  const [, sign, whole, fraction = '', binary, decimal, exponentText] = m;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return { num: 0n, den: 1n };
  const exponent = decimal ? DECIMAL[decimal] : Number(exponentText ?? 0);
  // Decimal digits before the point once the exponent is applied (binary suffixes add at most 19):
  // far beyond 2^63's 19 digits, the value is rejected before anything is computed.
  const magnitude = digits.length - fraction.length + exponent;
  if (!Number.isSafeInteger(exponent) || magnitude > 40) return { problem: 'is larger than Kubernetes quantities can be (2^63-1)' };
  const power10 = Math.max(exponent, MIN_EXPONENT) - fraction.length;
  let num = BigInt(`${sign}${digits}`);
  let den = 1n;
  if (binary) num *= 1024n ** BigInt(BINARY[binary]);
  if (power10 >= 0) num *= 10n ** BigInt(power10);
  else den = 10n ** BigInt(-power10);
  if ((num < 0n ? -num : num) > MAX_QUANTITY * den) return { problem: 'is larger than Kubernetes quantities can be (2^63-1)' };
  return { num, den };
}

export const isQuantity = (q: Quantity | { problem: string }): q is Quantity => !('problem' in q);

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const diff = a.num * b.den - b.num * a.den;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS-1123 subdomain (object names: StorageClasses, ConfigMaps…), or undefined. */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > 253) return `it is ${name.length} characters long; the limit is 253`;
  if (!DNS_SUBDOMAIN.test(name)) return 'it must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `key` is not a valid label or annotation key (`[prefix/]name`), or undefined when it is. */
export function qualifiedNameProblem(key: string): string | undefined {
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

/** The API server's limit on all of an object's annotations together (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_LIMIT_BYTES = 256 * 1024;

/** Bytes the API server counts for a set of annotations: each key and value, UTF-8. */
export function annotationsSize(annotations: Readonly<Record<string, string>>): number {
  return Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
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
  const allow = (c: KeyConstraint, values: readonly string[]) => {
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
