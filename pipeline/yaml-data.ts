import { Alias, Document, isAlias, isMap, isScalar, isSeq, Node, Scalar } from 'yaml';

/**
 * A YAML document as plain data, built by hand rather than with `toJS()` so that hostile input
 * cannot change what the pipeline sees:
 * - maps become prototype-free objects: `__proto__`, `constructor` and `prototype` are ordinary keys;
 * - only the YAML 1.2 core types are read: a tag such as `!!omap`, `!!set`, `!!timestamp` or
 *   `!!binary` would turn a value into something else (or drop it), so it is a problem;
 * - aliases are expanded as copies within a budget of values per document, and nesting is
 *   bounded, so a billion-laughs file or a deep one ends in a problem, not in exhaustion;
 * - numbers that JSON or Go would not read back as written are recorded by path (see NumberNote).
 */

/** What is special about a number as written: a float form, a non-finite value, or an integer beyond 2^53. */
export type NumberNote = 'float' | 'non-finite' | 'inexact';

export interface YamlProblem {
  /** Offset in the text. */
  readonly offset: number;
  readonly message: string;
}

export interface YamlData {
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];
  /** Numbers written as floats, non-finite, or as integers JavaScript cannot hold exactly, by JSON.stringify(path). */
  readonly numbers: ReadonlyMap<string, { readonly note: NumberNote; readonly source: string }>;
}

/** Values per document, aliases expanded: far above any real environment file or ConfigMap. */
export const MAX_VALUES = 200_000;
/** Nesting depth: environment files and ConfigMaps nest about eight levels. */
export const MAX_DEPTH = 100;

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));
const YAML_INT = /^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$/;

class Abort extends Error {}

export function yamlData(document: Document): YamlData {
  const problems: YamlProblem[] = [];
  const numbers = new Map<string, { note: NumberNote; source: string }>();
  let values = 0;
  const fail = (node: Node | undefined, message: string): never => {
    problems.push({ offset: node?.range?.[0] ?? 0, message });
    throw new Abort();
  };

  const convert = (node: unknown, path: (string | number)[], aliased: Set<Alias>): unknown => {
    if (++values > MAX_VALUES) fail(node as Node, `the document expands to more than ${MAX_VALUES} values (aliases repeated too often?)`);
    if (path.length > MAX_DEPTH) fail(node as Node, `the document nests more than ${MAX_DEPTH} levels deep`);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      if (aliased.has(node)) fail(node, `alias *${node.source} refers to itself`);
      const target = node.resolve(document);
      if (!target) fail(node, `alias *${node.source} refers to no anchor`);
      return convert(target, path, new Set([...aliased, node]));
    }
    const tag = (node as Node).tag;
    if (tag && !CORE_TAGS.has(tag)) fail(node as Node, `the YAML tag ${tag.replace('tag:yaml.org,2002:', '!!')} is not supported: it would change what the value means`);
    if (isMap(node)) {
      const map: Record<string, unknown> = Object.create(null);
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (key === undefined || (typeof key === 'object' && key !== null)) fail((pair.key ?? node) as Node, 'map keys must be plain scalars');
        const name = String(key);
        map[name] = convert(pair.value, [...path, name], aliased);
      }
      return map;
    }
    if (isSeq(node)) return node.items.map((item, i) => convert(item, [...path, i], aliased));
    if (isScalar(node)) return scalar(node, path);
    return fail(node as Node, 'unsupported YAML node');
  };

  const scalar = (node: Scalar, path: (string | number)[]): unknown => {
    const { value } = node;
    if (typeof value !== 'number') return value;
    const source = node.source ?? String(value);
    const note: NumberNote | undefined = !Number.isFinite(value)
      ? 'non-finite'
      : !YAML_INT.test(source) || node.tag === 'tag:yaml.org,2002:float'
        ? 'float'
        : Number.isSafeInteger(value)
          ? undefined
          : 'inexact';
    if (note) numbers.set(JSON.stringify(path), { note, source });
    return value;
  };

  try {
    return { data: convert(document.contents, [], new Set()), problems, numbers };
  } catch (e) {
    if (e instanceof Abort) return { data: undefined, problems, numbers };
    if (e instanceof RangeError) return { data: undefined, problems: [{ offset: 0, message: 'the document nests too deeply to read' }], numbers };
    throw e;
  }
}
