/**
 * What the first sync of a rendered environment does to the node-agent that runs today: object by
 * object, field by field, and whether node-agent's pods restart. Offline: the live objects come
 * from a dump (dump.ts), the rendered ones from the pipeline.
 */
import type { Manifest, RenderedEnvironment } from '../pipeline/render';
import { decodeGoJson } from '../policies/go-json';
import { formatPath, KeyPath } from '../policies/problem';
import { DAEMONSET_NAME, installContract, WINDOWS_DAEMONSET_NAME } from '../velero/daemonset';
import { NodeAgentConfig } from '../velero/node-agent-config';
import { contractRelease, NEWEST_RELEASE } from '../velero/releases';
import { configMapRead, containerArgs, nodeAgentContainer, parseArgs } from './args';
import { Change, compareObjects, Json, LAST_APPLIED_NOTE, lastApplied } from './compare';
import { isMap } from '../policies/data';
import { isEqual } from '../review/json-diff';
import { Described, isHelmManaged } from './describe';
import { describeObject, findLive, LiveDump, LiveObject, nodeAgentDaemonSets } from './dump';

/** What the sync does with one object. */
export type Action =
  | 'create'
  | 'update'
  | 'none'
  /** Live, not rendered: the sync leaves it alone. */
  | 'not-rendered'
  /** Rendered, of a kind the dump does not hold: it cannot be compared. */
  | 'not-in-dump';

export interface ObjectPlan {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly action: Action;
  readonly changes: readonly Change[];
  /** Sentences about the object as a whole. */
  readonly notes: readonly string[];
  /** Whether Helm installed the live object (its labels and annotations are named as Helm's). */
  readonly helm: boolean;
}

export interface Restart {
  /** `node-agent` or `node-agent-windows`. */
  readonly daemonSet: string;
  readonly restarts: boolean;
  /** The pod template's fields the sync changes, each `path (kind)`. */
  readonly fields: readonly string[];
  /** The verdict as a sentence. */
  readonly message: string;
}

export interface Plan {
  readonly environment: string;
  readonly veleroVersion: string;
  /** The dump, as messages name it. */
  readonly live: string;
  readonly objects: readonly ObjectPlan[];
  readonly restarts: readonly Restart[];
  /** Why the apply itself fails, if it does. */
  readonly applyFails: readonly string[];
}

/** Kinds `kubectl get ds,cm` prints: an object of these missing from the dump does not exist. */
const DUMPED_KINDS = ['DaemonSet', 'ConfigMap'];
const KIND_ORDER = ['DaemonSet', 'ConfigMap', 'Namespace'];

const byKind = (a: { kind: string; name: string }, b: { kind: string; name: string }) => {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
};

/** The plan of applying `rendered` onto the objects of `dump`; the dump must hold a node-agent DaemonSet (else DumpError). */
export function planTakeover(rendered: RenderedEnvironment, dump: LiveDump): Plan {
  nodeAgentDaemonSets(dump);
  const version = rendered.veleroVersion ?? NEWEST_RELEASE;
  const release = contractRelease(version) ?? NEWEST_RELEASE;
  const manifests = [...rendered.manifests.values()];
  const dumpedKinds = new Set([...DUMPED_KINDS, ...dump.objects.map((o) => o.kind)]);
  const namespace = manifests.find((m) => m.kind === 'DaemonSet')?.metadata.namespace;
  const objects: ObjectPlan[] = [];
  const applyFails: string[] = [];

  for (const manifest of manifests) {
    const live = findLive(dump, manifest.kind, manifest.metadata.name, manifest.metadata.namespace);
    const base = { kind: manifest.kind, name: manifest.metadata.name, namespace: manifest.metadata.namespace, helm: !!live && isHelmManaged(live) };
    if (!live) {
      const known = dumpedKinds.has(manifest.kind);
      const notes = known ? createNotes(manifest, release) : [`not in ${dump.file}: created if it does not exist; to compare, add it to the dump (kubectl get ${manifest.kind.toLowerCase()} ${manifest.metadata.name} -o yaml)`];
      objects.push({ ...base, action: known ? 'create' : 'not-in-dump', changes: [], notes });
      continue;
    }
    const compared = manifest.kind === 'ConfigMap' ? compareConfigMap(manifest, live, version) : { changes: compareObjects(manifest as Json, live), notes: [], rewritten: false };
    if (manifest.kind === 'DaemonSet') {
      const selector = compared.changes.filter((c) => c.kind !== 'stays' && c.path[0] === 'spec' && c.path[1] === 'selector');
      if (selector.length) {
        applyFails.push(`${describeObject(live)}: spec.selector is immutable and the render's ${asJson(selectorOf(manifest))} is not the live ${asJson(selectorOf(live))}: the apply fails; a takeover needs the same selector`);
      }
    }
    const changed = compared.rewritten || compared.changes.some((c) => c.kind !== 'stays');
    objects.push({ ...base, action: changed ? 'update' : 'none', changes: compared.changes, notes: compared.notes });
  }

  // Live node-agent objects the render does not own: the sync leaves them, and node-agent may stop reading one.
  for (const live of dump.objects.filter((o) => o.metadata.namespace === namespace)) {
    const rendersIt = manifests.some((m) => m.kind === live.kind && m.metadata.name === live.metadata.name);
    if (rendersIt) continue;
    const notes = liveOnlyNotes(live, dump, manifests, version);
    if (notes.length) objects.push({ kind: live.kind, name: live.metadata.name, namespace, action: 'not-rendered', changes: [], notes, helm: isHelmManaged(live) });
  }
  objects.sort(byKind);

  const configChanged = objects.some((o) => o.kind === 'ConfigMap' && o.changes.some((c) => c.kind !== 'stays' && c.path[0] === 'data'));
  const restarts = manifests
    .filter((m) => m.kind === 'DaemonSet')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((m) => restartOf(m, objects.find((o) => o.kind === 'DaemonSet' && o.name === m.metadata.name)!, findLive(dump, 'DaemonSet', m.metadata.name, m.metadata.namespace), configChanged));
  return { environment: rendered.name, veleroVersion: version, live: dump.file, objects, restarts, applyFails };
}

const selectorOf = (o: Json) => (isMap(o.spec) ? o.spec.selector : undefined);
const asJson = (v: unknown) => JSON.stringify(v ?? null);

function createNotes(manifest: Manifest, release: Parameters<typeof installContract>[0]): string[] {
  if (manifest.kind === 'ConfigMap' && installContract(release).configMapRequired) {
    return ['node-agent exits at startup without its ConfigMap from Velero 1.17: a pod that starts before this sync creates it restarts until it exists'];
  }
  return [];
}

/** What a live node-agent object the render does not own means after the sync. */
function liveOnlyNotes(live: LiveObject, dump: LiveDump, manifests: readonly Manifest[], version: string): string[] {
  if (live.kind === 'DaemonSet' && live.metadata.name === WINDOWS_DAEMONSET_NAME) {
    return ['live, not rendered: the sync leaves it as it is; set nodeAgent.windows: true to take it over'];
  }
  if (live.kind !== 'ConfigMap') return [];
  const daemonSet = findLive(dump, 'DaemonSet', DAEMONSET_NAME, live.metadata.namespace);
  const readToday = daemonSet && configMapRead(parseArgs(containerArgs(nodeAgentContainer(daemonSet))), version);
  if (readToday !== live.metadata.name) return [];
  const rendered = manifests.find((m) => m.kind === 'ConfigMap');
  const after = rendered ? `reads ${rendered.metadata.name} instead` : 'is given no ConfigMap';
  return [`node-agent reads it today; after the sync it ${after}. The sync leaves this ConfigMap in place`];
}

/** A ConfigMap: metadata field by field, the data value as node-agent's Go decoder reads it. */
function compareConfigMap(manifest: Manifest, live: LiveObject, version: string): { changes: Change[]; notes: string[]; rewritten: boolean } {
  const changes = compareObjects(manifest as Json, live, ['data', 'binaryData']);
  const notes: string[] = [];
  let rewritten = false;
  const renderedData = (isMap(manifest.data) ? manifest.data : {}) as Record<string, string>;
  const liveData = isMap(live.data) ? live.data : {};
  const [key] = Object.keys(renderedData);
  const liveKeys = Object.keys(liveData);
  // The value node-agent reads today: the same key, else the only one there is.
  const before = key in liveData ? key : liveKeys.length === 1 ? liveKeys[0] : undefined;
  if (key !== undefined && !(key in liveData)) {
    changes.push({ kind: 'added', path: ['data', key], value: new Described(before ? `the rendered JSON, compared with data["${before}"] below` : 'the rendered JSON') });
  }
  if (key !== undefined && before !== undefined) {
    const text = liveData[before];
    const json = jsonChanges(typeof text === 'string' ? text : JSON.stringify(text), renderedData[key], version, ['data', key]);
    changes.push(...json.changes);
    notes.push(...json.notes);
    rewritten = json.rewritten;
  }
  const applied = lastAppliedData(live);
  for (const other of liveKeys.filter((k) => k !== key)) {
    const value = new Described(`${String(liveData[other]).length} characters`);
    if (applied.has(other)) changes.push({ kind: 'removed', path: ['data', other], value, note: LAST_APPLIED_NOTE });
    else changes.push({ kind: 'stays', path: ['data', other], value });
  }
  if (key !== undefined && liveKeys.some((k) => k !== key && !applied.has(k))) {
    notes.push(`after the sync the ConfigMap holds more than one data key: node-agent ${installContract(contractRelease(version) ?? NEWEST_RELEASE).configMapOneKey ? 'refuses to start (Velero 1.18+)' : 'reads an arbitrary one of them'}; remove the old key by hand, or sync with Replace=true`);
  }
  if (isMap(live.binaryData)) for (const k of Object.keys(live.binaryData)) changes.push({ kind: 'stays', path: ['binaryData', k], value: new Described('binary data: node-agent reads data only') });
  return { changes, notes, rewritten };
}

/** The data keys kubectl's last-applied-configuration lists. */
function lastAppliedData(live: LiveObject): Set<string> {
  const data = lastApplied(live)?.data;
  return new Set(isMap(data) ? Object.keys(data) : []);
}

/** Two node-agent config values compared as node-agent reads them: decoded by Go's rules, key by key. */
function jsonChanges(liveText: string, renderedText: string, version: string, at: KeyPath): { changes: Change[]; notes: string[]; rewritten: boolean } {
  const before = decodeGoJson(liveText, NodeAgentConfig, { veleroVersion: version });
  const after = decodeGoJson(renderedText, NodeAgentConfig, { veleroVersion: version });
  if (before.value === undefined) {
    const problem = before.problems[0]?.message ?? 'not JSON';
    return { changes: [{ kind: 'changed', path: at, from: new Described(`not decoded: ${problem}`), to: new Described('the rendered JSON') }], notes: [], rewritten: false };
  }
  const changes: Change[] = [];
  walkJson(before.value, after.value, at, changes);
  const notes: string[] = [];
  if (before.problems.length) {
    const n = before.problems.length;
    notes.push(`node-agent decodes the live data["${at[1]}"] with ${n} finding${n === 1 ? '' : 's'} (lint-configmap shows them); it is compared as node-agent decodes it`);
  }
  const rewritten = !changes.length && liveText !== renderedText;
  if (rewritten) notes.push(`data["${at[1]}"] is rewritten as the render writes it: the text changes, node-agent reads the same settings`);
  return { changes, notes, rewritten };
}

function walkJson(before: unknown, after: unknown, path: KeyPath, out: Change[]): void {
  if (after === undefined) {
    out.push({ kind: 'removed', path, value: before, note: 'the rendered JSON does not set it' });
    return;
  }
  if (before === undefined) {
    out.push({ kind: 'added', path, value: after });
    return;
  }
  if (isMap(before) && isMap(after)) {
    for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) walkJson(before[k], after[k], [...path, k], out);
    return;
  }
  if (!isEqual(before, after)) out.push({ kind: 'changed', path, from: before, to: after });
}

/** Whether the sync rolls a DaemonSet's pods, and why. */
function restartOf(manifest: Manifest, plan: ObjectPlan, live: LiveObject | undefined, configChanged: boolean): Restart {
  const daemonSet = manifest.metadata.name;
  if (!live) return { daemonSet, restarts: true, fields: [], message: `${daemonSet} starts: the sync creates its DaemonSet.` };
  const template = plan.changes.filter((c) => c.kind !== 'stays' && c.path[0] === 'spec' && c.path[1] === 'template');
  const fields = template.map((c) => `${formatPath(c.path)} (${c.kind})`);
  const strategy = isMap(live.spec) && isMap(live.spec.updateStrategy) ? live.spec.updateStrategy : {};
  if (!fields.length) {
    const config = configChanged && daemonSet === DAEMONSET_NAME
      ? ' Its ConfigMap changes, but node-agent reads it only at startup: the new settings apply when its pods next restart.'
      : '';
    return { daemonSet, restarts: false, fields, message: `${daemonSet} does not restart: its pod template does not change.${config}` };
  }
  if (strategy.type === 'OnDelete') {
    return {
      daemonSet, restarts: false, fields,
      message: `${daemonSet} does not restart by itself: its pod template changes, but its updateStrategy OnDelete (which stays) replaces a pod only when it is deleted:`,
    };
  }
  const rolling = isMap(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const pace = `maxUnavailable ${String(rolling.maxUnavailable ?? 1)}, maxSurge ${String(rolling.maxSurge ?? 0)}`;
  return { daemonSet, restarts: true, fields, message: `${daemonSet} restarts: its pod template changes, so the DaemonSet rolls its pods (RollingUpdate, ${pace}):` };
}

/** Whether the plan changes nothing at all. */
export const changesNothing = (plan: Plan) => plan.objects.every((o) => o.action === 'none' || o.action === 'not-rendered') && !plan.applyFails.length;
