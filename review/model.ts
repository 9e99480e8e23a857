/**
 * The review report's content: two rendered trees compared environment by environment, object
 * by object. Environments whose change is the same (a fragment that touches a whole fleet) form
 * one group, so the report says it once. Markdown (markdown.ts) and JSON (json.ts) render it.
 */
import * as path from 'path';
import { SourceFile } from '../pipeline/source';
import { WorkerPool } from '../pipeline/worker-pool';
import { parseWiring, Removal, removals, retainedBy, WiringObject } from './delivery';
import { Change, changes, formatKeyPath, isEqual } from './json-diff';
import { EnvironmentObjects, environmentObjects, KUSTOMIZATION_KIND, RenderedObject } from './objects';
import { Rollout, rollout, withoutConfigHash } from './rollout';
import { RenderedTree } from './tree';
import type { NewWarnings } from './warnings';
import { isMap } from '../policies/data';

export interface FieldChange {
  /** `spec.template.spec.containers[name=node-agent].image`, `loadConcurrency.globalConfig`. */
  readonly path: string;
  readonly change: Change['kind'];
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ObjectChange {
  /** `DaemonSet velero/node-agent`. */
  readonly object: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Field by field; a ConfigMap's JSON data and the config hash annotation are left to `config` and the rollouts. */
  readonly fields: readonly FieldChange[];
  /** A ConfigMap's data values that hold JSON, key by key of the JSON. */
  readonly config: readonly { readonly key: string; readonly changes: readonly FieldChange[] }[];
  /** A removed object whose annotations keep these tools from deleting it (the rendered Namespace). */
  readonly retainedBy?: readonly string[];
}

export interface EnvironmentChange {
  readonly change: 'added' | 'removed' | 'changed';
  /**
   * The Velero release before and after (null on the side where the environment is absent);
   * null when a changed environment keeps its release, or a side does not say, so that
   * environments on different releases with the same change form one group.
   */
  readonly velero: { readonly before: string | null; readonly after: string | null } | null;
  readonly objects: readonly ObjectChange[];
  /** Each DaemonSet on either side. */
  readonly rollouts: readonly Rollout[];
  /** A ConfigMap changed but a DaemonSet does not restart: its pods keep the old config until they do. */
  readonly configNotRolled: boolean;
  /** A removed environment: what the wiring that delivered it does with its objects (empty when the tree had none for it). */
  readonly removal?: readonly Removal[];
}

export interface EnvironmentGroup extends EnvironmentChange {
  /** The environments with exactly this change, sorted. */
  readonly environments: readonly string[];
}

export interface Review {
  /** The trees compared: `origin/main:dist`, `dist`. */
  readonly before: string;
  readonly after: string;
  readonly summary: {
    /** Environments after the change. */
    readonly environments: number;
    readonly changed: number;
    readonly added: number;
    readonly removed: number;
    readonly unchanged: number;
    /** Environments where a DaemonSet's pods are replaced. */
    readonly restarting: number;
  };
  /** Changed, then added, then removed environments; each kind by first environment name. */
  readonly environments: readonly EnvironmentGroup[];
  /** Files of the top-level `_*` folders (the GitOps wiring), by path in the tree. */
  readonly wiring: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
  /** Entries of either tree that were not read or not compared: links, FIFOs, non-UTF-8, non-YAML. */
  readonly notRead: readonly { readonly tree: string; readonly path: string; readonly what: string }[];
  /** null when the environments were not compared (two folders, no repository). */
  readonly warnings: NewWarnings | null;
}

const KIND_ORDER = ['changed', 'added', 'removed'] as const;

/** One environment's files on each side of a change (absent on a side that does not have it), as a job for the review pool. */
export interface EnvironmentJob {
  readonly name: string;
  readonly before?: [string, string][];
  readonly after?: [string, string][];
  /** The tree labels, for notRead. */
  readonly labels: readonly [string, string];
  /** A removed environment: what its wiring does with its objects (review/delivery.ts). */
  readonly removal?: Removal[];
}

export interface EnvironmentReview {
  readonly name: string;
  readonly change?: EnvironmentChange;
  readonly notRead: readonly { readonly tree: string; readonly path: string; readonly what: string }[];
}

/** One environment compared; on whichever thread (review/review-worker.ts runs it for a fleet). */
export function reviewEnvironment({ name, before, after, labels, removal }: EnvironmentJob): EnvironmentReview {
  const notRead: EnvironmentReview['notRead'][number][] = [];
  const parsed = new Map<string, unknown>();
  const read = (files: [string, string][] | undefined, tree: string) => {
    if (!files) return undefined;
    const objects = environmentObjects(name, new Map(files), parsed);
    notRead.push(...objects.notRead.map((n) => ({ tree, ...n })));
    return objects;
  };
  const change = compareEnvironment(read(before, labels[0]), read(after, labels[1]), removal);
  return { name, change, notRead };
}

/** The compiled worker (review/review-worker.ts). */
const WORKER = path.join(__dirname, 'review-worker.js');

/** Two workers: this thread only waits for them (diff of 1,000 environments: 1.75-1.83 s with two, 2.24-2.26 s with one). */
const THREADS = 2;

/** Every environment compared, in name order: on worker threads for a fleet (parsing the YAML is most of the cost). */
function reviewEnvironments(jobs: EnvironmentJob[]): EnvironmentReview[] {
  if (!WorkerPool.pays(jobs.length, WORKER)) return jobs.map(reviewEnvironment);
  const pool = new WorkerPool<EnvironmentJob, EnvironmentReview>(WORKER, undefined, THREADS);
  jobs.forEach((job) => pool.submit(job));
  const byName = new Map(pool.finish().map((r) => [r.name, r]));
  return jobs.map((job) => byName.get(job.name)!);
}

export function compareTrees(before: RenderedTree, after: RenderedTree, warnings: NewWarnings | null): Review {
  const names = [...new Set([...before.environments.keys(), ...after.environments.keys()])].sort();
  const notRead = [...before.notRead.map((n) => ({ tree: before.label, ...n })), ...after.notRead.map((n) => ({ tree: after.label, ...n }))];
  const groups = new Map<string, { change: EnvironmentChange; environments: string[] }>();
  let restarting = 0;
  let wiring: WiringObject[] | undefined;
  const files = (tree: RenderedTree, name: string) => {
    const found = tree.environments.get(name);
    return found && [...found];
  };
  const reviews = reviewEnvironments(names.map((name) => ({
    name,
    before: files(before, name),
    after: files(after, name),
    labels: [before.label, after.label],
    removal: after.environments.has(name) ? undefined : removals((wiring ??= parseWiring(before.wiring)), name),
  })));
  for (const { name, change, notRead: unread } of reviews) {
    notRead.push(...unread);
    if (!change) continue;
    if (change.rollouts.some((r) => r.action === 'restart')) restarting++;
    const signature = JSON.stringify(change);
    const group = groups.get(signature) ?? { change, environments: [] };
    groups.set(signature, group);
    group.environments.push(name);
  }
  const environments = [...groups.values()]
    .map(({ change, environments }) => ({ environments, ...change }))
    .sort((a, b) => KIND_ORDER.indexOf(a.change) - KIND_ORDER.indexOf(b.change) || (a.environments[0] < b.environments[0] ? -1 : 1));
  const count = (kind: EnvironmentChange['change']) => environments.filter((g) => g.change === kind).reduce((n, g) => n + g.environments.length, 0);
  const [changed, added, removed] = KIND_ORDER.map(count);
  return {
    before: before.label,
    after: after.label,
    summary: { environments: after.environments.size, changed, added, removed, unchanged: names.length - changed - added - removed, restarting },
    environments,
    wiring: {
      added: [...after.wiring.keys()].filter((p) => !before.wiring.has(p)),
      removed: [...before.wiring.keys()].filter((p) => !after.wiring.has(p)),
      changed: [...after.wiring].filter(([p, text]) => before.wiring.has(p) && before.wiring.get(p) !== text).map(([p]) => p),
    },
    notRead,
    warnings,
  };
}

/** One environment's change, or undefined when neither its objects nor its Velero release changed. */
function compareEnvironment(before: EnvironmentObjects | undefined, after: EnvironmentObjects | undefined, removal?: Removal[]): EnvironmentChange | undefined {
  const releases = { before: before?.velero ?? null, after: after?.velero ?? null };
  const velero = before && after && (!releases.before || !releases.after || releases.before === releases.after) ? null : releases;
  const objectsBefore = before?.objects ?? new Map<string, RenderedObject>();
  const objectsAfter = after?.objects ?? new Map<string, RenderedObject>();
  const objects: ObjectChange[] = [];
  const rollouts: Rollout[] = [];
  for (const id of [...new Set([...objectsBefore.keys(), ...objectsAfter.keys()])].sort()) {
    const b = objectsBefore.get(id);
    const a = objectsAfter.get(id);
    if ((b ?? a)!.kind === 'DaemonSet') rollouts.push(rollout(id, b?.value, a?.value));
    // The kustomization is no object on the cluster: it counts only when edited beyond its resources list.
    if ((b && a && isEqual(b.value, a.value)) || ((b ?? a)!.kind === KUSTOMIZATION_KIND && !(b && a))) continue;
    const change = !b ? 'added' : !a ? 'removed' : 'changed';
    // A removed environment is a list of deletions; its content is of no more use to a reviewer.
    const object: ObjectChange = after ? objectChange(id, change, b, a) : { object: id, change, fields: [], config: [] };
    const retained = change === 'removed' ? retainedBy(b!.value) : [];
    objects.push(retained.length ? { ...object, retainedBy: retained } : object);
  }
  if (objects.length === 0 && !velero) return undefined;
  const configChanged = objects.some((o) => o.config.length > 0);
  return {
    change: !before ? 'added' : !after ? 'removed' : 'changed',
    velero,
    objects,
    rollouts,
    configNotRolled: !!before && !!after && configChanged && rollouts.some((r) => r.action === 'none'),
    ...(removal && { removal }),
  };
}

function objectChange(id: string, change: ObjectChange['change'], before: RenderedObject | undefined, after: RenderedObject | undefined): ObjectChange {
  const kind = (before ?? after)!.kind;
  let b = before?.value;
  let a = after?.value;
  const config: ObjectChange['config'][number][] = [];
  if (kind === 'DaemonSet') {
    b = withoutConfigHash(b);
    a = withoutConfigHash(a);
  } else if (kind === 'ConfigMap') {
    const split = [splitJsonData(b), splitJsonData(a)];
    for (const key of [...new Set([...split[0].json.keys(), ...split[1].json.keys()])].sort()) {
      const [jb, ja] = split.map((s) => s.json.get(key));
      // A key with JSON on one side and plain text on the other stays a field change.
      if ((jb === undefined && split[0].rest.has(key)) || (ja === undefined && split[1].rest.has(key))) continue;
      config.push({ key, changes: changes(jb ?? {}, ja ?? {}).map(fieldChange) });
      split.forEach((s) => s.rest.delete(key));
    }
    b = b === undefined ? undefined : withData(b, split[0].rest);
    a = a === undefined ? undefined : withData(a, split[1].rest);
  }
  // An object on one side only is listed by name; its fields would repeat all of it.
  const fields = change === 'changed' ? changes(b, a).map(fieldChange) : [];
  return { object: id, change, fields, config: config.filter((c) => c.changes.length > 0) };
}

function fieldChange(c: Change): FieldChange {
  return { path: formatKeyPath(c.path), change: c.kind, ...('before' in c && { before: c.before }), ...('after' in c && { after: c.after }) };
}

const dataOf = (configMap: unknown): Record<string, unknown> => (isMap(configMap) && isMap(configMap.data) ? configMap.data : {});

/** A ConfigMap's data values that hold a JSON object, parsed, and all its data values by key. */
function splitJsonData(configMap: unknown): { json: Map<string, unknown>; rest: Map<string, unknown> } {
  const json = new Map<string, unknown>();
  const rest = new Map(Object.entries(dataOf(configMap)));
  for (const [key, value] of rest) {
    if (typeof value !== 'string' || !/^\s*\{/.test(value)) continue;
    const parsed = new SourceFile(key, value).data;
    if (isMap(parsed)) json.set(key, parsed);
  }
  return { json, rest };
}

function withData(configMap: unknown, data: Map<string, unknown>): unknown {
  if (!isMap(configMap) || !isMap(configMap.data)) return configMap;
  return { ...configMap, data: Object.fromEntries(data) };
}
