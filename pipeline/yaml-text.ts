import { stringify } from 'yaml';

/**
 * Keys sorted and no line folding: the same object always gives the same bytes. The last two
 * options only skip work that cannot change these bytes: `directives: false` a walk of the whole
 * tree for `%TAG` lines, which plain data never needs, and `aliasDuplicateObjects: false` the
 * tracking of objects met twice, which rendered objects never are (cdk8s's toJson and JSON.parse
 * build every object anew).
 */
const OPTIONS = { sortMapEntries: true, lineWidth: 0, directives: false, aliasDuplicateObjects: false } as const;

/** The `yaml` library's text for `value`: what toYaml must equal, byte for byte. */
export function libraryYaml(value: unknown): string {
  return stringify(value, OPTIONS);
}

/**
 * A map as YAML, byte for byte what `yaml` writes (libraryYaml), about six times faster on
 * rendered manifests. `yaml` spends most of a manifest's time building and walking a node per
 * value and testing each scalar against every tag of the schema, while a fleet's manifests repeat
 * the same keys and scalars thousands of times. So `yaml` still writes every key and scalar, once
 * per distinct one (cached), and only the block layout it puts them in is composed here: a pair
 * per line as `key: scalar` or `key:` above its collection indented by two spaces, `- ` before a
 * sequence item with an item's map or sequence starting on that line, `{}` and `[]` for empty
 * ones. That layout depends on nothing but nesting for the scalars admitted (SIMPLE_VALUE,
 * SIMPLE_KEY); a value holding anything else (a multi-line string, a string `yaml` treats
 * differently at the top of a document, a class instance, undefined) is written by `yaml` whole.
 * test/yaml-text.test.ts holds the two equal on generated values.
 */
export function toYaml(value: unknown): string {
  return composedYaml(value) ?? libraryYaml(value);
}

/** toYaml's composed text, or undefined when `value` needs `yaml` whole (not a non-empty map, or holding a scalar not admitted). */
export function composedYaml(value: unknown): string | undefined {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return undefined;
  const out = { text: '' };
  return writeMap(value, '', false, out) ? out.text : undefined;
}

/** Output is appended to `text`; each writer returns false when the value needs `yaml` whole. */
interface Out {
  text: string;
}

/** Pairs at `indent`; `inline`: the first goes on the current line, after a sequence's `- `. */
function writeMap(map: Record<string, unknown>, indent: string, inline: boolean, out: Out): boolean {
  const keys = Object.keys(map).sort(byKey);
  for (let i = 0; i < keys.length; i++) {
    const key = keyText(keys[i]);
    if (key === undefined) return false;
    out.text += i === 0 && inline ? key : indent + key;
    if (!writeValue(map[keys[i]], indent, ': ', PAIR, out)) return false;
  }
  return true;
}

/** Items at `indent`, each after `- `; `inline`: the first goes on the current line. */
function writeSeq(seq: readonly unknown[], indent: string, inline: boolean, out: Out): boolean {
  for (let i = 0; i < seq.length; i++) {
    out.text += i === 0 && inline ? '- ' : `${indent}- `;
    if (!writeValue(seq[i], indent, '', ITEM, out)) return false;
  }
  return true;
}

/**
 * A pair's value (after `key` and `separator`) or an item (after `- `): a non-empty collection
 * goes below the key, or on the item's line, two spaces deeper; anything else on the line.
 */
function writeValue(value: unknown, indent: string, separator: string, scalars: Map<unknown, string>, out: Out): boolean {
  const deeper = `${indent}  `;
  const inline = separator === '';
  if (Array.isArray(value) && value.length > 0) {
    out.text += inline ? '' : ':\n';
    return writeSeq(value, deeper, inline, out);
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    out.text += inline ? '' : ':\n';
    return writeMap(value, deeper, inline, out);
  }
  const text = scalarText(value, scalars);
  if (text === undefined) return false;
  out.text += `${separator}${text}\n`;
  return true;
}

/** yaml's sortMapEntries: keys compared as strings with < (yaml/dist/schema/Schema.js). */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const KEYS = new Map<string, string>();
/** Scalars as a pair's value, and as a sequence's item (cached apart: the two are written by different code in `yaml`). */
const PAIR = new Map<unknown, string>();
const ITEM = new Map<unknown, string>();
/** Entries cached before a cache is emptied: a fleet's distinct scalars are far fewer. */
const MAX_CACHED = 100_000;

/**
 * Strings whose text `yaml` writes on one line and the same at any depth: no line break or other
 * control character (`yaml` may write such a string as a block scalar), and no `---` or `...` at
 * the start (a document marker: `yaml` quotes it or not depending on the depth). A key also has
 * at most 1,000 characters (a longer one becomes an explicit `? key`).
 */
const SIMPLE_VALUE = /^(?!---|\.\.\.)[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*$/u;
const SIMPLE_KEY = /^(?!---|\.\.\.)[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]{0,1000}$/u;

function keyText(key: string): string | undefined {
  const cached = KEYS.get(key);
  if (cached !== undefined) return cached;
  if (!SIMPLE_KEY.test(key)) return undefined;
  // yaml's text of the key, cut from a one-pair map: `<key>: null\n`.
  const text = oneLine(libraryYaml({ [key]: null }), '', ': null');
  if (text !== undefined) remember(KEYS, key, text);
  return text;
}

/** A scalar's text, or an empty collection's (writeValue writes the others). */
function scalarText(value: unknown, cache: Map<unknown, string>): string | undefined {
  if (Array.isArray(value)) return '[]';
  if (isPlainObject(value)) return '{}';
  if (Object.is(value, -0)) return undefined; // a Map holds -0 and 0 as one key; yaml writes them apart
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const admitted = value === null || typeof value === 'boolean' || typeof value === 'number' || (typeof value === 'string' && SIMPLE_VALUE.test(value));
  if (!admitted) return undefined;
  // yaml's text of the scalar, cut from a one-pair map (`k: <scalar>\n`) or a one-item sequence (`- <scalar>\n`).
  const text = cache === PAIR ? oneLine(libraryYaml({ k: value }), 'k: ', '') : oneLine(libraryYaml([value]), '- ', '');
  if (text !== undefined) remember(cache, value, text);
  return text;
}

/** The single line of `text` between `prefix` and `suffix`, or undefined when `text` is not that one line. */
function oneLine(text: string, prefix: string, suffix: string): string | undefined {
  const newline = text.length - 1;
  if (!text.startsWith(prefix) || !text.endsWith(`${suffix}\n`) || text.indexOf('\n') !== newline) return undefined;
  return text.slice(prefix.length, newline - suffix.length);
}

function remember<K>(cache: Map<K, string>, key: K, text: string): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
