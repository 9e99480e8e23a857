/**
 * What Go's json.Unmarshal makes of a JSON text when it decodes it into the Go struct a schema
 * describes, as node-agent does with its ConfigMap (Velero v1.18.1 pkg/nodeagent/node_agent.go
 * GetConfigs; types in pkg/types/node_agent.go and pkg/util/kube/pod.go). The schema is the one
 * list of fields: `Strict` objects are structs (`x-go` names them and marks pointers), records
 * are map[string]T, arrays are slices, integers are Go int (int64 on the 64-bit platforms Velero
 * ships; `x-go: int64` where Velero says so), plus string and bool.
 * References to decode.go are to Go's encoding/json/decode.go (Go 1.21 to 1.25 build Velero
 * 1.13 to 1.18; the parts used here are the same in all of them).
 */
import { ArrayNode, MemberNode, ObjectNode, parse, StringNode, ValueNode } from '@humanwhocodes/momoa';
import type { TSchema } from '@sinclair/typebox';
import { atLeast, VERSION_PATTERN } from '../velero/releases';
import { GO_TYPE, HINT, SINCE } from '../velero/schema';
import { checkGoJsonSyntax } from './go-json-syntax';
import { formatPath, KeyPath } from './problem';
import { introducedLater, unknownKey } from './validator';

/** Nesting the decoder follows; Go allows 10000, nothing Velero reads nests more than 7. */
export const MAX_DEPTH = 512;

/** Offsets into the decoded text: [start, end). */
export type Range = readonly [start: number, end: number];

export interface GoJsonProblem {
  /** Key path with the schema's key names, and the last key as written where it is about a key. */
  readonly path: KeyPath;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
  /** What the problem is about, in the text. */
  readonly range: Range;
}

export interface GoJson {
  /**
   * What json.Unmarshal leaves in the struct, as plain data under the schema's key names: a
   * field Go never set (or set to nil) is absent, ints are bigint, objects have no prototype.
   * Undefined when the text is not JSON (then `problems` says why and nothing was decoded).
   */
  readonly value: unknown;
  readonly problems: readonly GoJsonProblem[];
  /**
   * Where the value at `path` (the schema's key names) was last set: the JSON value, or its key
   * with `atKey`. For a path Go did not set, where its deepest set ancestor was.
   */
  sourceOf(path: KeyPath, atKey?: boolean): Range;
}

/** What Velero does when json.Unmarshal fails (pkg/cmd/cli/nodeagent/server.go getDataPathConfigs). */
const ON_ERROR = 'node-agent exits at startup from Velero 1.17; before 1.17 it ignores the whole ConfigMap';

/** Decodes `text` into the Go struct `schema` describes, for the Velero release `veleroVersion` when given. */
export function decodeGoJson(text: string, schema: TSchema, options: { veleroVersion?: string } = {}): GoJson {
  const syntax = checkGoJsonSyntax(text, MAX_DEPTH);
  const notDecoded = (problem: GoJsonProblem): GoJson => ({ value: undefined, problems: [problem], sourceOf: () => problem.range });
  if (syntax.fault) {
    const { offset, message } = syntax.fault;
    return notDecoded({
      path: [], rule: 'json-syntax', severity: 'error', range: [offset, offset + 1], message: `invalid JSON: ${message}`,
      hint: `json.Unmarshal decodes nothing then: ${ON_ERROR}`,
    });
  }
  if (syntax.tooDeepAt !== undefined) {
    return notDecoded({
      path: [], rule: 'nesting-depth', severity: 'error', range: [syntax.tooDeepAt, syntax.tooDeepAt + 1],
      message: `the JSON nests deeper than ${MAX_DEPTH} levels here: not decoded`,
      hint: 'nothing in the node-agent configuration nests more than 7 levels: look for a runaway [ or {',
    });
  }
  const body = parse(text, { ranges: true }).body;
  const version = options.veleroVersion;
  const decoder = new Decoder(text, version && new RegExp(VERSION_PATTERN).test(version) ? version : undefined);
  const type = goTypeOf(schema);
  const root = decoder.decode(body, type, zero(type), []).value ?? null;
  if (body.type === 'Null') {
    decoder.problems.push({ path: [], range: range(body), rule: 'null-value', severity: 'warning', message: 'the whole value is null: Go decodes nothing from it, as from {}' });
  }
  const bodySource: Source = { value: range(body) };
  return {
    value: plain(root),
    problems: decoder.problems,
    sourceOf: (path, atKey = false) => sourceOf(root, bodySource, path, atKey),
  };
}

// ---------------------------------------------------------------------------------------------
// Go types, from the schema

type GoType =
  | { readonly kind: 'string' | 'bool' | 'int'; readonly name: string; readonly hint?: string }
  | GoStructType
  | { readonly kind: 'map' | 'slice'; readonly name: string; readonly hint?: string; readonly elem: GoType };

interface GoStructType {
  readonly kind: 'struct';
  /** Velero's name for it, `*` first when Velero holds it through a pointer. */
  readonly name: string;
  readonly hint?: string;
  readonly pointer: boolean;
  readonly fields: readonly Field[];
  readonly byName: ReadonlyMap<string, Field>;
  /** By goFold(name): decode.go matches a key exactly first, then case-insensitively. */
  readonly byFold: ReadonlyMap<string, Field>;
}

interface Field {
  readonly name: string;
  readonly type: GoType;
  /** The Velero release whose struct first has the field (`x-since`). */
  readonly since?: string;
}

const compiled = new WeakMap<object, GoType>();

function goTypeOf(schema: TSchema): GoType {
  let type = compiled.get(schema);
  if (type) return type;
  const declared = schema[GO_TYPE] as string | undefined;
  const hint = schema[HINT] as string | undefined;
  switch (schema.type) {
    case 'string':
      type = { kind: 'string', name: 'string', hint };
      break;
    case 'boolean':
      type = { kind: 'bool', name: 'bool', hint };
      break;
    case 'integer':
      type = { kind: 'int', name: declared ?? 'int', hint };
      break;
    case 'array': {
      const elem = goTypeOf(schema.items);
      type = { kind: 'slice', name: `[]${elem.name}`, hint, elem };
      break;
    }
    case 'object': {
      if (schema.patternProperties) {
        const elem = goTypeOf(Object.values(schema.patternProperties)[0] as TSchema);
        type = { kind: 'map', name: `map[string]${elem.name}`, hint, elem };
        break;
      }
      const fields = Object.entries(schema.properties as Record<string, TSchema>).map(
        ([name, s]): Field => ({ name, type: goTypeOf(s), since: s[SINCE] as string | undefined }),
      );
      type = {
        kind: 'struct', name: declared ?? 'struct', hint, pointer: !!declared?.startsWith('*'), fields,
        byName: new Map(fields.map((f) => [f.name, f])),
        byFold: new Map(fields.map((f) => [goFold(f.name), f])),
      };
      break;
    }
    default:
      throw new Error(`go-json: no Go type for the schema type ${JSON.stringify(schema.type)}`);
  }
  compiled.set(schema, type);
  return type;
}

/**
 * Go's foldName (encoding/json fold.go): ASCII letters to upper case, any other rune to the
 * smallest rune of its Unicode simple-folding orbit. Only two non-ASCII runes fold onto ASCII:
 * U+212A KELVIN SIGN onto K and U+017F LONG S onto S; field names are ASCII, so no other rune
 * can make a key match one.
 */
function goFold(name: string): string {
  return name.replace(/[a-z\u212a\u017f]/g, (c) => (c === '\u212a' ? 'K' : c === '\u017f' ? 'S' : c.toUpperCase()));
}

/** JSON null sets these to nil; into anything else it is ignored (decode.go literalStore). */
const nullable = (type: GoType) => type.kind === 'map' || type.kind === 'slice' || (type.kind === 'struct' && type.pointer);

// ---------------------------------------------------------------------------------------------
// Go values

/** A struct (its fields Go has set) or a map (its entries), with where each was set. */
class GoFields {
  readonly values = new Map<string, GoValue>();
  readonly sources = new Map<string, Source>();
}

class GoSlice {
  readonly elements: GoValue[] = [];
  readonly sources: Source[] = [];
  /** The most elements any copy of the list had since the slice was made. */
  longest = 0;
}

/** null is a nil pointer, map or slice. */
type GoValue = string | boolean | bigint | GoFields | GoSlice | null;

interface Source {
  readonly key?: Range;
  readonly value: Range;
}

/** Go's zero value of `type`: a struct is one with no field set, a nil pointer, map or slice is null. */
function zero(type: GoType): GoValue {
  switch (type.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0n;
    case 'struct':
      return type.pointer ? null : new GoFields();
    default:
      return null;
  }
}

function zeroText(type: GoType): string {
  const value = zero(type);
  if (value instanceof GoFields) return '{} (an empty object)';
  return value === null ? 'nil' : JSON.stringify(typeof value === 'bigint' ? Number(value) : value);
}

function plain(value: GoValue): unknown {
  if (value instanceof GoSlice) return value.elements.map(plain);
  if (!(value instanceof GoFields)) return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, v] of value.values) out[key] = plain(v);
  return out;
}

function sourceOf(root: GoValue, rootSource: Source, path: KeyPath, atKey: boolean): Range {
  let value: GoValue | undefined = root;
  let source = rootSource;
  for (const segment of path) {
    const next: Source | undefined =
      value instanceof GoFields && typeof segment === 'string' ? value.sources.get(segment)
      : value instanceof GoSlice && typeof segment === 'number' ? value.sources[segment]
      : undefined;
    if (!next) return source.value;
    value = value instanceof GoFields ? value.values.get(segment as string) : (value as GoSlice).elements[segment as number];
    source = next;
  }
  return (atKey && source.key) || source.value;
}

const range = (node: { range?: readonly [number, number] }): Range => node.range as Range;

// ---------------------------------------------------------------------------------------------
// Decoding

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Decoded {
  /** The value Go leaves there; undefined only where it was unset and still is. */
  readonly value: GoValue | undefined;
  /** Whether this JSON value set it (false: a type error, or a null Go ignores). */
  readonly took: boolean;
}

class Decoder {
  readonly problems: GoJsonProblem[] = [];

  constructor(
    private readonly text: string,
    private readonly veleroVersion: string | undefined,
  ) {}

  /** decode.go value(): `node` decoded into `current`, a value of Go type `type` at `path`. */
  decode(node: ValueNode, type: GoType, current: GoValue | undefined, path: KeyPath): Decoded {
    if (node.type === 'Null') return nullable(type) ? { value: null, took: true } : { value: current, took: false };
    const took = (value: GoValue): Decoded => ({ value, took: true });
    switch (type.kind) {
      case 'string':
        if (node.type === 'String') return took(this.string(node));
        break;
      case 'bool':
        if (node.type === 'Boolean') return took(node.value);
        break;
      case 'int':
        if (node.type === 'Number') {
          const n = this.int(node, type, path);
          return n === undefined ? { value: current, took: false } : took(n);
        }
        break;
      case 'struct':
        if (node.type === 'Object') {
          const target = current instanceof GoFields ? current : new GoFields();
          this.struct(node, type, target, path);
          return took(target);
        }
        this.typeError(node, type, path);
        // decode.go indirect() allocates a nil pointer before the value turns out to be of the wrong kind.
        return { value: type.pointer ? (current ?? new GoFields()) : current, took: false };
      case 'map':
        if (node.type === 'Object') {
          const target = current instanceof GoFields ? current : new GoFields();
          this.map(node, type, target, path);
          return took(target);
        }
        break;
      case 'slice':
        if (node.type === 'Array') return took(this.slice(node, type, current instanceof GoSlice ? current : new GoSlice(), path));
        break;
    }
    this.typeError(node, type, path);
    return { value: current, took: false };
  }

  /** decode.go object() into a struct: fields by exact name, else case-insensitively; other keys are skipped. */
  private struct(node: ObjectNode, type: GoStructType, target: GoFields, path: KeyPath): void {
    const seen = new Set<string>();
    for (const member of node.members) {
      const key = this.key(member);
      const asWritten = [...path, key];
      const field = type.byName.get(key) ?? type.byFold.get(goFold(key));
      if (!field) {
        const { message, hint } = unknownKey(key, type.fields.map((f) => f.name), asWritten, type.hint);
        this.report(asWritten, range(member.name), 'schema', 'error', message, hint);
        continue;
      }
      if (field.since && this.veleroVersion && !atLeast(this.veleroVersion, field.since)) {
        // The struct of that release has no such field: Go skips the key like any unknown one.
        const { message, hint } = introducedLater(key, field.since, this.veleroVersion, true);
        this.report(asWritten, range(member.name), 'velero-version', 'error', message, hint);
        continue;
      }
      if (key !== field.name) {
        this.report(asWritten, range(member.name), 'case-insensitive-key', 'warning', `"${key}" works only because Velero matches keys case-insensitively`, `write "${field.name}"`);
      }
      const before = target.values.get(field.name);
      const { value, took } = this.decode(member.value, field.type, before, [...path, field.name]);
      if (value === undefined || value === null) target.values.delete(field.name);
      else target.values.set(field.name, value);
      if (took) target.sources.set(field.name, { key: range(member.name), value: range(member.value) });
      if (seen.has(field.name)) this.duplicate(member, asWritten, duplicateEffect(field.type, member.value, took, before));
      seen.add(field.name);
      if (member.value.type === 'Null') {
        this.report([...path, field.name], range(member.value), 'null-value', 'warning', 'null is the same as leaving it out here; remove it');
      }
    }
  }

  /**
   * decode.go object() into a map: the map is kept (entries add up); each entry's value is
   * decoded into a zero value and then stored, whatever it decoded to.
   */
  private map(node: ObjectNode, type: { elem: GoType }, target: GoFields, path: KeyPath): void {
    const seen = new Set<string>();
    for (const member of node.members) {
      const key = this.key(member);
      const entry = [...path, key];
      const empty = zero(type.elem);
      const { value, took } = this.decode(member.value, type.elem, empty, entry);
      target.values.set(key, value ?? empty);
      target.sources.set(key, { key: range(member.name), value: range(member.value) });
      if (seen.has(key)) {
        const scalar = !(empty instanceof GoFields) && empty !== null;
        const effect = !scalar ? 'replaces the earlier entry' : took ? 'the last value wins' : `replaces the earlier entry with ${zeroText(type.elem)}, as this copy does not decode`;
        this.duplicate(member, entry, effect);
      }
      seen.add(key);
      if (member.value.type === 'Null') {
        this.report(entry, range(member.value), 'null-value', 'warning', `null stores ${zeroText(type.elem)} under "${key}"`, 'write the value, or remove the entry');
      }
    }
  }

  /**
   * decode.go array() into a slice: element i is decoded into the slice's element i when there
   * is one (kept from an earlier copy of the list: structs and pointers merge), then the slice
   * is cut to the array's length; an empty array makes a new empty slice.
   * Simplified: Go grows a slice with spare capacity, and a later, longer copy of the list is
   * decoded into whatever an earlier copy left in it; this model starts those elements anew and
   * says so with a warning, as the capacity depends on Go's allocator.
   */
  private slice(node: ArrayNode, type: { elem: GoType }, slice: GoSlice, path: KeyPath): GoSlice {
    if (node.elements.length === 0) return new GoSlice();
    const before = slice.elements.length;
    node.elements.forEach((element, i) => {
      const current = i < before ? slice.elements[i] : zero(type.elem);
      const { value, took } = this.decode(element.value, type.elem, current, [...path, i]);
      slice.elements[i] = value ?? null;
      if (took || i >= before) slice.sources[i] = { value: range(element.value) };
      if (element.value.type === 'Null' && !nullable(type.elem)) {
        this.report([...path, i], range(element.value), 'null-value', 'warning', `null leaves this element ${zeroText(type.elem)}`, 'write the element, or remove it');
      }
    });
    const length = node.elements.length;
    if (length > before && slice.longest > before) {
      this.report(path, range(node), 'duplicate-key', 'warning',
        `this copy of the list is longer than the one before it, which cut off elements ${before} to ${slice.longest - 1}: Go may decode elements ${before} to ${Math.min(length, slice.longest) - 1} into what is left of them; lint-configmap reads them as new`,
        'write the list once');
    }
    slice.elements.length = length;
    slice.sources.length = length;
    slice.longest = Math.max(slice.longest, length);
    return slice;
  }

  /** decode.go literalStore() into an int: strconv.ParseInt(literal, 10, 64), then the range of the type. */
  private int(node: ValueNode, type: GoType, path: KeyPath): bigint | undefined {
    const literal = this.raw(node);
    if (!/^-?(0|[1-9][0-9]*)$/.test(literal)) {
      this.typeError(node, type, path, `only integer literals decode into an ${type.name}`);
      return undefined;
    }
    const n = BigInt(literal);
    if (n < INT64_MIN || n > INT64_MAX) {
      this.typeError(node, type, path, `it is outside the range of an ${type.name}, ${INT64_MIN} to ${INT64_MAX}`);
      return undefined;
    }
    return n;
  }

  /**
   * decode.go unquoteBytes(): escapes as JSON has them, a UTF-16 surrogate pair as one rune, and
   * any other surrogate (escaped or not) as U+FFFD.
   */
  private string(node: StringNode): string {
    const body = this.raw(node).slice(1, -1);
    const decoded = body.includes('\\') ? body.replace(/\\(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, unescape) : body;
    return decoded.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  }

  private key(member: MemberNode): string {
    return this.string(member.name as StringNode);
  }

  private raw(node: ValueNode): string {
    return this.text.slice(node.range![0], node.range![1]);
  }

  private typeError(node: ValueNode, type: GoType, path: KeyPath, why = expectation(type, node, this.raw(node))): void {
    const where = path.length ? formatPath(path) : 'the top level';
    const goType = type.kind === 'string' || type.kind === 'bool' || type.kind === 'int' ? `a Go ${type.name}` : `Go type ${type.name}`;
    this.report(path, range(node), 'go-decode', 'error', `cannot decode ${describe(node, this.raw(node))} into ${where} (${goType}): ${why}`, type.hint ? `${type.hint}. ${ON_ERROR}` : ON_ERROR);
  }

  private duplicate(member: MemberNode, path: KeyPath, effect: string): void {
    const key = path[path.length - 1];
    this.report(path, range(member.name), 'duplicate-key', 'warning', `duplicate key "${key}": ${effect}`, `write "${key}" once`);
  }

  private report(path: KeyPath, at: Range, rule: string, severity: 'error' | 'warning', message: string, hint?: string): void {
    this.problems.push({ path, range: at, rule, severity, message, hint });
  }
}

const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function unescape(_match: string, escape: string): string {
  if (escape[0] !== 'u') return ESCAPED[escape];
  if (escape.length > 5) return String.fromCharCode(parseInt(escape.slice(1, 5), 16), parseInt(escape.slice(7), 16));
  return String.fromCharCode(parseInt(escape.slice(1), 16));
}

/** What a later copy of a key does to the earlier one, as decode.go applies members in order. */
function duplicateEffect(type: GoType, node: ValueNode, took: boolean, before: GoValue | undefined): string {
  if (node.type === 'Null') return took ? 'null clears the earlier value' : 'null is ignored here, the earlier value stays';
  if (!took) return 'this copy does not decode (see the go-decode error), the earlier value stays';
  if (before === undefined || before === null) return 'the last value wins';
  switch (type.kind) {
    case 'struct':
      return "merged into the earlier object (a field set in both takes this copy's value)";
    case 'map':
      return "its entries are added to the earlier map (a key in both takes this copy's value)";
    case 'slice':
      return "decoded into the earlier list element by element (elements merge), then cut to this copy's length";
    default:
      return 'the last value wins';
  }
}

function describe(node: ValueNode, raw: string): string {
  switch (node.type) {
    case 'String':
      return `the string ${raw.length > 42 ? `${raw.slice(0, 40)}…"` : raw}`;
    case 'Number':
      return `the number ${raw}`;
    case 'Boolean':
      return `the boolean ${raw}`;
    case 'Object':
      return 'an object';
    case 'Array':
      return 'an array';
    default:
      return raw;
  }
}

/** What Go would have taken, for a value of the wrong kind. */
function expectation(type: GoType, node: ValueNode, raw: string): string {
  switch (type.kind) {
    case 'string':
      return 'only a JSON string decodes into a string: quote the value';
    case 'bool':
      return raw === '"true"' || raw === '"false"' ? `only true and false decode into a bool: write ${raw.slice(1, -1)} without quotes` : 'only true and false decode into a bool';
    case 'int':
      return node.type === 'String' && /^"-?[0-9]+"$/.test(raw) ? `only integer literals decode into an ${type.name}: write ${raw.slice(1, -1)} without quotes` : `only integer literals decode into an ${type.name}`;
    case 'struct':
      return 'only a JSON object decodes into a struct';
    case 'map':
      return 'only a JSON object decodes into a map';
    case 'slice':
      return 'only a JSON array decodes into a slice';
  }
}
