/**
 * Whether a DaemonSet's pods are replaced, and why. Kubernetes rolls a DaemonSet when its pod
 * template (`spec.template`) changes and for nothing else; this tool puts the ConfigMap's hash on
 * the template (constructs/node-agent-daemonset.ts) because node-agent reads its ConfigMap only
 * at startup.
 */
import { CONFIG_HASH_ANNOTATION } from '../constructs/node-agent-daemonset';
import { Change, changes, formatKeyPath, isEqual, Segment } from './json-diff';
import { isMap } from '../policies/data';

/** In the order a report names them. */
export const RESTART_REASONS = ['config', 'image', 'args', 'env', 'volumes', 'other'] as const;
export type RestartReason = (typeof RESTART_REASONS)[number];

export interface Rollout {
  /** `DaemonSet velero/node-agent`. */
  readonly daemonSet: string;
  /** restart: every pod is replaced; start: a new DaemonSet's pods start; delete: its pods are deleted. */
  readonly action: 'restart' | 'start' | 'delete' | 'none';
  readonly reasons: readonly RestartReason[];
  /** With the reason `other`: the pod template fields, relative to the template (`spec.tolerations`). */
  readonly otherFields: readonly string[];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers']);
const CONTAINER_FIELDS: Readonly<Record<string, RestartReason>> = {
  image: 'image', args: 'args', command: 'args', env: 'env', envFrom: 'env', volumeMounts: 'volumes', volumeDevices: 'volumes',
};

export function rollout(daemonSet: string, before: unknown, after: unknown): Rollout {
  const none = { daemonSet, reasons: [], otherFields: [] };
  if (before === undefined) return { ...none, action: 'start' };
  if (after === undefined) return { ...none, action: 'delete' };
  if (isEqual(template(before), template(after))) return { ...none, action: 'none' };

  const reasons = new Set<RestartReason>();
  const otherFields = new Set<string>();
  if (!isEqual(configHash(before), configHash(after))) reasons.add('config');
  for (const change of templateChanges(before, after)) {
    const [part, field, , containerField] = change.path;
    const reason =
      part === 'spec' && field === 'volumes' ? 'volumes'
      : part === 'spec' && CONTAINER_LISTS.has(field as string) && typeof containerField === 'string' ? CONTAINER_FIELDS[containerField]
      : undefined;
    if (reason) reasons.add(reason);
    else {
      reasons.add('other');
      const depth = part === 'spec' && CONTAINER_LISTS.has(field as string) ? 4 : 2;
      otherFields.add(formatKeyPath(change.path.slice(0, depth)));
    }
  }
  return { daemonSet, action: 'restart', reasons: RESTART_REASONS.filter((r) => reasons.has(r)), otherFields: [...otherFields].sort() };
}

/** The pod template's changes but the config hash, by path relative to the template. */
function templateChanges(before: unknown, after: unknown): Change[] {
  const at: Segment[] = ['spec', 'template'];
  return changes(withoutConfigHash(before), withoutConfigHash(after))
    .filter((c) => at.every((segment, i) => c.path[i] === segment))
    .map((c) => ({ ...c, path: c.path.slice(at.length) }));
}

function template(daemonSet: unknown): unknown {
  return isMap(daemonSet) && isMap(daemonSet.spec) ? daemonSet.spec.template : undefined;
}

function configHash(daemonSet: unknown): unknown {
  const t = template(daemonSet);
  const annotations = isMap(t) && isMap(t.metadata) ? t.metadata.annotations : undefined;
  return isMap(annotations) ? annotations[CONFIG_HASH_ANNOTATION] : undefined;
}

/**
 * The DaemonSet without the config hash annotation (and without the annotations it leaves
 * empty): the hash says nothing a reviewer can read, and it differs per environment, so the
 * report says "the ConfigMap changed" instead and shows the ConfigMap's JSON.
 */
export function withoutConfigHash(daemonSet: unknown): unknown {
  const t = template(daemonSet);
  const metadata = isMap(t) ? t.metadata : undefined;
  const annotations = isMap(metadata) ? metadata.annotations : undefined;
  if (!isMap(daemonSet) || !isMap(daemonSet.spec) || !isMap(t) || !isMap(metadata) || !isMap(annotations)) return daemonSet;
  if (!Object.prototype.hasOwnProperty.call(annotations, CONFIG_HASH_ANNOTATION)) return daemonSet;
  const { [CONFIG_HASH_ANNOTATION]: _, ...others } = annotations;
  const { annotations: __, ...otherMetadata } = metadata;
  const newMetadata = Object.keys(others).length ? { ...otherMetadata, annotations: others } : otherMetadata;
  return { ...daemonSet, spec: { ...daemonSet.spec, template: { ...t, metadata: newMetadata } } };
}
