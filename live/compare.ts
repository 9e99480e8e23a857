/**
 * Field-by-field comparison of a rendered object with the live object it will be applied to:
 * what the apply changes, adds and removes, and what it leaves in place. Lists are matched the way
 * kubectl apply and server-side apply merge them (by their merge keys: containers and volumes by
 * name, mounts by mountPath, ports by containerPort and protocol); every other list is replaced
 * whole. What the API server filled in itself (defaults.ts) is not a setting and is never reported.
 */
import { isEqual } from '../review/json-diff';
import { compareQuantities, isQuantity, parseQuantity } from '../policies/kube';
import { formatPath, KeyPath } from '../policies/problem';
import { SERVER_DEFAULTS, SERVER_METADATA, ServerDefault, TOOL_ANNOTATIONS, TOOL_LABELS } from './defaults';
import { isMap } from '../policies/data';

export type Json = Record<string, unknown>;

/** One difference; `path` indexes the live object where the live object has the field, else the rendered one. */
export type Change =
  | { readonly kind: 'changed'; readonly path: KeyPath; readonly from: unknown; readonly to: unknown }
  | { readonly kind: 'added'; readonly path: KeyPath; readonly value: unknown }
  /** Gone after the apply; `note` says why (kubectl's last-applied-configuration lists it, or the value holding it is replaced). */
  | { readonly kind: 'removed'; readonly path: KeyPath; readonly value: unknown; readonly note: string }
  /** Set live, not by the render, and kept by an apply. */
  | { readonly kind: 'stays'; readonly path: KeyPath; readonly value: unknown }
  /** The elements both have, by merge key, in the live order and in the rendered order (which the apply takes). */
  | { readonly kind: 'reordered'; readonly path: KeyPath; readonly from: readonly string[]; readonly to: readonly string[] };

const LAST_APPLIED = TOOL_ANNOTATIONS[0];

/** Why a field the render does not set is removed all the same. */
export const LAST_APPLIED_NOTE = 'kubectl apply deletes it: its last-applied-configuration lists it';

/** Merge keys of the pod template's lists (k8s.io/api core/v1 patchMergeKey and listMapKey). */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['containerPort', 'protocol'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  resourceClaims: ['name'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
};

/** `spec.template.spec.containers[*].ports[*].protocol`: a path with every list index as `[*]`. */
export function fieldPattern(path: KeyPath): string {
  return path.map((s, i) => {
    if (typeof s === 'number') return '[*]';
    const key = formatPath([s]);
    return i === 0 || key.startsWith('[') ? key : `.${key}`;
  }).join('');
}

/** A live object without what the API server and the apply tools keep for themselves. */
function withoutServerFields(live: Json): Json {
  const { status: _status, ...rest } = live;
  if (!isMap(rest.metadata)) return rest;
  const metadata: Json = { ...rest.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  for (const [field, keys] of [['annotations', TOOL_ANNOTATIONS], ['labels', TOOL_LABELS]] as const) {
    if (!isMap(metadata[field])) continue;
    const kept: Json = { ...(metadata[field] as Json) };
    for (const key of keys) delete kept[key];
    if (Object.keys(kept).length) metadata[field] = kept;
    else delete metadata[field];
  }
  return { ...rest, metadata };
}

/** What `kubectl.kubernetes.io/last-applied-configuration` holds, when it holds a JSON object. */
export function lastApplied(live: Json): Json | undefined {
  const text = isMap(live.metadata) && isMap(live.metadata.annotations) ? live.metadata.annotations[LAST_APPLIED] : undefined;
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isMap(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const QUANTITY_FIELD = /\.resources\.(requests|limits)\.[^.]+$|\.overhead\.[^.]+$/;

/** Quantities compare by value: the API server writes `1000m` back as `1`. */
function sameValue(path: KeyPath, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && QUANTITY_FIELD.test(fieldPattern(path))) {
    const [x, y] = [parseQuantity(a), parseQuantity(b)];
    if (isQuantity(x) && isQuantity(y)) return compareQuantities(x, y) === 0;
  }
  return isEqual(a, b);
}

class Comparison {
  readonly changes: Change[] = [];
  private readonly defaults: ReadonlyMap<string, ServerDefault>;

  constructor(
    kind: string,
    private readonly live: Json,
  ) {
    this.defaults = new Map((SERVER_DEFAULTS[kind] ?? []).map((d) => [d.field, d]));
  }

  /** `live` without the fields whose values are the API server's defaults; undefined when nothing else is left. */
  withoutDefaults(value: unknown, path: KeyPath, parent: Json): unknown {
    if (value === null || value === undefined) return undefined;
    const found = this.defaults.get(fieldPattern(path));
    if (found) {
      const expected = 'value' in found.default ? found.default.value : found.default.from(parent, this.live);
      if (isEqual(value, expected)) return undefined;
    }
    if (Array.isArray(value)) return value.map((v, i) => this.withoutDefaults(v, [...path, i], parent) ?? {});
    if (!isMap(value) || Object.keys(value).length === 0) return value;
    const kept: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const pruned = this.withoutDefaults(v, [...path, k], value);
      if (pruned !== undefined) kept[k] = pruned;
    }
    return Object.keys(kept).length ? kept : undefined;
  }

  /**
   * `rendered` against `live` at `path`. `parent` holds the live value (for defaults computed from
   * it), `applied` is the same place in last-applied-configuration.
   */
  walk(rendered: unknown, live: unknown, path: KeyPath, parent: Json, applied: unknown): void {
    // Labels and annotations are reported one by one, even where only one side has any.
    const perKey = path[path.length - 1] === 'labels' || path[path.length - 1] === 'annotations';
    if (perKey && ((rendered === undefined && isMap(live)) || (isMap(rendered) && live === undefined))) {
      this.walk(rendered ?? {}, live ?? {}, path, parent, applied);
      return;
    }
    if (rendered === undefined || rendered === null) {
      const value = this.withoutDefaults(live, path, parent);
      if (value === undefined) return;
      this.changes.push(applied !== undefined ? { kind: 'removed', path, value, note: LAST_APPLIED_NOTE } : { kind: 'stays', path, value });
      return;
    }
    if (live === undefined || live === null) {
      this.changes.push({ kind: 'added', path, value: rendered });
      return;
    }
    if (isMap(rendered) && isMap(live)) {
      const keys = [...new Set([...Object.keys(rendered), ...Object.keys(live)])].sort();
      for (const k of keys) this.walk(rendered[k], live[k], [...path, k], live, isMap(applied) ? applied[k] : undefined);
      return;
    }
    const keyOf = keyFunction(path);
    if (Array.isArray(rendered) && Array.isArray(live) && keyOf && unique(rendered, keyOf) && unique(live, keyOf)) {
      this.walkKeyed(rendered, live, path, keyOf, Array.isArray(applied) ? applied : undefined);
      return;
    }
    if (!sameValue(path, rendered, this.withoutDefaultsInside(live, path, parent))) this.changes.push({ kind: 'changed', path, from: live, to: rendered });
  }

  /** A value replaced whole (a list without merge keys, a scalar) compares without the defaults inside it. */
  private withoutDefaultsInside(live: unknown, path: KeyPath, parent: Json): unknown {
    return isMap(live) || Array.isArray(live) ? (this.withoutDefaults(live, path, parent) ?? (Array.isArray(live) ? [] : {})) : live;
  }

  private walkKeyed(rendered: unknown[], live: unknown[], path: KeyPath, keyOf: (v: unknown) => string, applied?: unknown[]): void {
    const liveIndex = new Map(live.map((v, i) => [keyOf(v), i]));
    const renderedKeys = new Set(rendered.map(keyOf));
    rendered.forEach((element, i) => {
      const key = keyOf(element);
      const at = liveIndex.get(key);
      const appliedElement = applied?.find((a) => keyOf(a) === key);
      if (at === undefined) this.changes.push({ kind: 'added', path: [...path, i], value: element });
      else this.walk(element, live[at], [...path, at], live[at] as Json, appliedElement);
    });
    live.forEach((element, i) => {
      if (renderedKeys.has(keyOf(element))) return;
      this.walk(undefined, element, [...path, i], element as Json, applied?.find((a) => keyOf(a) === keyOf(element)));
    });
    const from = live.map(keyOf).filter((k) => renderedKeys.has(k));
    const to = rendered.map(keyOf).filter((k) => liveIndex.has(k));
    if (!isEqual(from, to)) this.changes.push({ kind: 'reordered', path, from, to });
  }
}

/** How elements of the list at `path` are matched, when it has merge keys: ports default to TCP, as the API server does. */
function keyFunction(path: KeyPath): ((v: unknown) => string) | undefined {
  const field = path[path.length - 1];
  const keys = typeof field === 'string' && Object.prototype.hasOwnProperty.call(MERGE_KEYS, field) ? MERGE_KEYS[field] : undefined;
  if (!keys) return undefined;
  return (v) => keys.map((k) => {
    const value = isMap(v) ? v[k] : undefined;
    return String(value ?? (k === 'protocol' ? 'TCP' : ''));
  }).join('/');
}

function unique(list: unknown[], keyOf: (v: unknown) => string): boolean {
  return list.every(isMap) && new Set(list.map(keyOf)).size === list.length;
}

/**
 * What applying `rendered` does to `live` (an object as `kubectl get -o yaml` prints it), field by
 * field, the API server's own fields and defaults left out. `skip` names top-level keys compared
 * elsewhere (a ConfigMap's data, compared as JSON).
 */
export function compareObjects(rendered: Json, live: Json, skip: readonly string[] = []): Change[] {
  const comparison = new Comparison(String(live.kind), live);
  const drop = (o: Json) => Object.fromEntries(Object.entries(o).filter(([k]) => !skip.includes(k)));
  comparison.walk(drop(rendered), drop(withoutServerFields(live)), [], live, lastApplied(live) ?? undefined);
  return comparison.changes;
}
