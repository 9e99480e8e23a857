/**
 * A live dump: what `kubectl get ds,cm -n velero -o yaml` (or `-o json`) prints, a `kind: List`, or
 * one object. Read as untrusted input: through the project's YAML reader (no custom tags, bounded
 * aliases and nesting), every problem a sentence naming the file, never an exception.
 */
import { SourceFile } from '../pipeline/source';
import { DAEMONSET_NAME } from '../velero/daemonset';
import { Json } from './compare';
import { isMap } from '../policies/data';

/** A live object: apiVersion, kind and metadata.name are strings. */
export interface LiveObject extends Json {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Json & { readonly name: string; readonly namespace?: string };
}

export interface LiveDump {
  /** How messages name the input (`<stdin>` for standard input). */
  readonly file: string;
  readonly objects: readonly LiveObject[];
}

/** The dump cannot be used: exit 1, with this sentence. */
export class DumpError extends Error {}

const LIST_KINDS = /^(List|[A-Za-z]+List)$/;

/** The objects of a dump, or a DumpError saying why there are none to read. */
export function readLiveDump(file: string, text: string): LiveDump {
  let source: SourceFile;
  try {
    source = new SourceFile(file, text);
  } catch (e) {
    // The YAML parser recurses: input nested thousands of levels deep overflows the stack.
    if (e instanceof RangeError) throw new DumpError(`${file}: the input nests too deeply to be read`);
    throw e;
  }
  const syntax = source.syntaxFindings()[0];
  if (syntax) throw new DumpError(`${file}:${syntax.line}:${syntax.column}: ${syntax.message}`);
  const data = source.data;
  if (!isMap(data) || typeof data.kind !== 'string') {
    throw new DumpError(`${file}: not a Kubernetes object or List (kubectl get ds,cm -n velero -o yaml prints one)`);
  }
  if (!LIST_KINDS.test(data.kind)) return { file, objects: [object(file, data, '')] };
  if (!Array.isArray(data.items)) throw new DumpError(`${file}: the ${data.kind} has no items list`);
  return { file, objects: data.items.map((item, i) => object(file, item, `items[${i}]: `)) };
}

function object(file: string, value: unknown, at: string): LiveObject {
  const ok = isMap(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string'
    && isMap(value.metadata) && typeof value.metadata.name === 'string'
    && (value.metadata.namespace === undefined || typeof value.metadata.namespace === 'string');
  if (!ok) throw new DumpError(`${file}: ${at}not a Kubernetes object (apiVersion, kind and metadata.name are needed)`);
  return value as LiveObject;
}

/** `DaemonSet velero/node-agent`, `Namespace velero`. */
export const describeObject = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** The live object of that kind, name and namespace (a cluster-wide kind has none). */
export function findLive(dump: LiveDump, kind: string, name: string, namespace?: string): LiveObject | undefined {
  return dump.objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);
}

/** Every node-agent DaemonSet of the dump, or a DumpError when there is none. */
export function nodeAgentDaemonSets(dump: LiveDump): LiveObject[] {
  const found = dump.objects.filter((o) => o.kind === 'DaemonSet' && o.metadata.name === DAEMONSET_NAME);
  if (!found.length) {
    const kinds = [...new Set(dump.objects.map((o) => o.kind))].sort();
    const held = kinds.length ? `it holds ${kinds.join(', ')}` : 'it holds no object';
    throw new DumpError(`${dump.file}: no DaemonSet named ${DAEMONSET_NAME} (${held}): dump it with kubectl get ds,cm -n <velero namespace> -o yaml`);
  }
  return found;
}
