/**
 * Key-by-key differences between two parsed documents (a manifest, a ConfigMap's JSON), as key
 * paths with the value before and after: what a reviewer needs instead of two walls of text.
 * The documents come from pipeline/source.ts, which bounds their nesting, so recursion is safe.
 */
import { isMap } from '../policies/data';

/** A key, a list index, or a list element found by its `name` (containers, env, volumes). */
export type Segment = string | number | { readonly name: string };

export interface Change {
  readonly path: readonly Segment[];
  readonly kind: 'changed' | 'added' | 'removed';
  /** Absent when added. */
  readonly before?: unknown;
  /** Absent when removed. */
  readonly after?: unknown;
}

export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => isEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Every difference from `before` to `after`, in key order. A key or element present on one side
 * only is one change (`podResources: removed`), not one per leaf. Lists whose elements all have
 * a distinct `name` on both sides are compared element by name, as Kubernetes merges them, so an
 * env variable inserted in the middle is one addition; other lists are compared index by index.
 */
export function changes(before: unknown, after: unknown, at: readonly Segment[] = []): Change[] {
  if (isEqual(before, after)) return [];
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => member(before, after, key, [...at, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const byNameBefore = byName(before);
    const byNameAfter = byName(after);
    if (byNameBefore && byNameAfter) {
      const names = [...new Set([...byNameBefore.keys(), ...byNameAfter.keys()])].sort();
      return names.flatMap((name) => member(byNameBefore, byNameAfter, name, [...at, { name }]));
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => member(before, after, i, [...at, i])).flat();
  }
  return [{ path: at, kind: 'changed', before, after }];
}

function member(before: object, after: object, key: string | number, at: readonly Segment[]): Change[] {
  const get = (o: object) => (o instanceof Map ? o.get(key) : (o as Record<string | number, unknown>)[key]);
  const has = (o: object) => (o instanceof Map ? o.has(key) : Object.prototype.hasOwnProperty.call(o, key));
  if (!has(before)) return [{ path: at, kind: 'added', after: get(after) }];
  if (!has(after)) return [{ path: at, kind: 'removed', before: get(before) }];
  return changes(get(before), get(after), at);
}

/** The elements by their `name`, when every element is a map with a distinct string name. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
  const named = new Map<string, unknown>();
  for (const element of list) {
    if (!isMap(element) || typeof element.name !== 'string' || named.has(element.name)) return undefined;
    named.set(element.name, element);
  }
  return named;
}

/**
 * `backupPVC.ceph-rbd.readOnly`, `metadata.annotations["checksum/node-agent-config"]`,
 * `spec.containers[name=node-agent].args[3]`: keys that are not plain words are quoted, as in
 * the findings' key paths (policies/problem.ts formatPath).
 */
export function formatKeyPath(path: readonly Segment[]): string {
  return path.reduce<string>(appendSegment, '');
}

/** `path` followed by one more segment. */
export function appendSegment(path: string, segment: Segment): string {
  const word = /^[A-Za-z0-9_-]+$/;
  if (typeof segment === 'number') return `${path}[${segment}]`;
  if (typeof segment === 'object') return `${path}[name=${word.test(segment.name) ? segment.name : JSON.stringify(segment.name)}]`;
  if (word.test(segment)) return path ? `${path}.${segment}` : segment;
  return `${path}[${JSON.stringify(segment)}]`;
}
