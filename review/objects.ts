/**
 * One environment folder as the objects it applies. Files are parsed by pipeline/source.ts,
 * which refuses what hostile YAML could do (deep nesting, alias bombs, exotic tags, `__proto__`
 * keys), and objects are known by kind, namespace and name: a namespace that changes is one
 * object deleted and another created, which is what the cluster sees.
 */
import { SourceFile } from '../pipeline/source';
import { DAEMONSET_NAME } from '../velero/daemonset';
import type { NotRead } from './tree';
import { isMap } from '../policies/data';

export interface RenderedObject {
  /** `DaemonSet velero/node-agent`, `Namespace velero`, `kustomization.yaml`. */
  readonly id: string;
  readonly kind?: string;
  /** The parsed document; the kustomization without its `resources`, which mirror the files. */
  readonly value: unknown;
}

export interface EnvironmentObjects {
  readonly objects: ReadonlyMap<string, RenderedObject>;
  /** The Velero release: the header's `for Velero X.Y.Z`, else node-agent's image tag. */
  readonly velero?: string;
  /** Files that are not a YAML object, by path in the tree. */
  readonly notRead: readonly NotRead[];
}

const KUSTOMIZATION = 'kustomization.yaml';
/** The kind of the kustomization.yaml entry, which lists the files and is applied by no one. */
export const KUSTOMIZATION_KIND = 'Kustomization';
const VERSION = /^\d+\.\d+\.\d+$/;
const HEADER_RELEASE = /^# Rendered from .+ for Velero (\S+)\. Do not edit\.\r?\n/;

/**
 * @param parsed texts already parsed, and what they parsed to: the two sides of a change share
 * most files (a fragment change rewrites the DaemonSet and the ConfigMap, not the rest), and
 * each is parsed once.
 */
export function environmentObjects(environment: string, files: ReadonlyMap<string, string>, parsed = new Map<string, unknown>()): EnvironmentObjects {
  const objects = new Map<string, RenderedObject>();
  const notRead: NotRead[] = [];
  for (const [file, text] of files) {
    const data = parsed.has(text) ? parsed.get(text) : new SourceFile(`${environment}/${file}`, text).data;
    parsed.set(text, data);
    if (!isMap(data)) {
      notRead.push({ path: `${environment}/${file}`, what: 'not a YAML object (not compared)' });
      continue;
    }
    let object: RenderedObject;
    if (file === KUSTOMIZATION) {
      const { resources: _, ...rest } = data;
      object = { id: KUSTOMIZATION, kind: KUSTOMIZATION_KIND, value: rest };
    } else {
      const kind = typeof data.kind === 'string' ? data.kind : undefined;
      const metadata = isMap(data.metadata) ? data.metadata : {};
      const name = typeof metadata.name === 'string' ? metadata.name : undefined;
      const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
      object = { id: kind && name ? `${kind} ${namespace}${name}` : file, kind, value: data };
    }
    // Two files with one object (a hand-made tree): both are kept, the second under its file name.
    objects.set(objects.has(object.id) ? `${object.id} (${file})` : object.id, object);
  }
  return { objects, velero: release(files.get(KUSTOMIZATION), objects), notRead };
}

function release(kustomization: string | undefined, objects: ReadonlyMap<string, RenderedObject>): string | undefined {
  const fromHeader = HEADER_RELEASE.exec(kustomization ?? '')?.[1];
  if (fromHeader && VERSION.test(fromHeader)) return fromHeader;
  for (const { kind, value } of objects.values()) {
    if (kind !== 'DaemonSet' || !isMap(value) || !isMap(value.metadata) || value.metadata.name !== DAEMONSET_NAME) continue;
    const image = podSpec(value)?.containers;
    const first = Array.isArray(image) && isMap(image[0]) ? image[0].image : undefined;
    const tag = typeof first === 'string' ? /:v?([^:/@]+)(@.*)?$/.exec(first)?.[1] : undefined;
    if (tag && VERSION.test(tag)) return tag;
  }
  return undefined;
}

/** A workload's `spec.template.spec`, when it has one. */
function podSpec(value: unknown): Record<string, unknown> | undefined {
  const template = isMap(value) && isMap(value.spec) ? value.spec.template : undefined;
  return isMap(template) && isMap(template.spec) ? template.spec : undefined;
}
