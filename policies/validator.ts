import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { MISPLACED_KEYS, NodeAgentConfig } from '../velero/node-agent-config';
import { atLeast, VERSION_PATTERN } from '../velero/releases';
import { ALIASES, EXPECTED, GO_TYPE, HINT, SINCE } from '../velero/schema';
import type { Problem } from './problem';
import { NodeAgentSpecSchema } from './schema/spec';

/** What `x-since` compares against; passed to each validation with `validate.call(context, data)`. */
interface VersionContext {
  readonly version?: string;
  /** Linting a ConfigMap for a Velero given on the command line, not an installation's own. */
  readonly lint?: boolean;
}

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, verbose: true, passContext: true });
  ajv.addVocabulary([EXPECTED, HINT, GO_TYPE, ALIASES]);
  ajv.addKeyword({
    keyword: SINCE,
    schemaType: 'string',
    errors: true,
    validate: function checkSince(this: VersionContext | undefined, introducedIn: string): boolean {
      const version = this?.version;
      if (!version || atLeast(version, introducedIn)) return true;
      // Ajv fills in instancePath and schemaPath when they are left out.
      const error = { keyword: SINCE, params: { introducedIn, version } };
      (checkSince as ValidateFunction).errors = [error as unknown as ErrorObject];
      return false;
    },
  });
  return ajv;
}

/** Compiles `schema` on first use, once per process: every validation shares the compiled function. */
export function compiled(schema: object): () => ValidateFunction {
  let validate: ValidateFunction | undefined;
  return () => (validate ??= createAjv().compile(schema));
}

const specValidator = compiled(NodeAgentSpecSchema);
const configValidator = compiled(NodeAgentConfig);

/** A version `x-since` can compare with: X.Y.Z, else none (the version's own problem is reported elsewhere). */
const comparable = (version: unknown) => (typeof version === 'string' && new RegExp(VERSION_PATTERN).test(version) ? version : undefined);

/** Schema problems of a spec; fields newer than its `version` included. */
export function validateSpecSchema(spec: unknown): Problem[] {
  const version = comparable((spec as { version?: unknown } | null)?.version);
  return validateWith(specValidator(), spec, { version }, ['config']);
}

/** Schema problems of a node-agent ConfigMap's JSON, for the given Velero version. */
export function validateConfigSchema(data: unknown, version?: string): Problem[] {
  return validateWith(configValidator(), data, { version: comparable(version), lint: true }, []);
}

/**
 * Problems of `data` against a compiled schema. `configAt`: where the ConfigMap JSON sits in
 * `data`, so that keys Velero's docs misplace get their right form as a hint.
 */
export function validateWith(validate: ValidateFunction, data: unknown, context: VersionContext = {}, configAt: readonly string[] = []): Problem[] {
  if (validate.call(context, data)) return [];
  const errors = validate.errors ?? [];
  // A value of the wrong type fails its enum or pattern too; the type error says it all.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword === 'type' || !wrongType.has(e.instancePath))
    .map((e) => toProblem(e, data, configAt, context));
}

function pointerToPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toPath(segments: string[], data: unknown): (string | number)[] {
  let node = data;
  return segments.map((s) => {
    const segment = Array.isArray(node) ? Number(s) : s;
    node = node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, s) ? (node as Record<string, unknown>)[s] : undefined;
    return segment;
  });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** The closest name when it is close enough to be a typo (or differs only in case). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const exact = candidates.find((c) => c.toLowerCase() === word.toLowerCase());
  if (exact) return exact;
  const best = closest(word, [...candidates]);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * Message and hint for a key the schema does not have. `configPath` is the key's path inside
 * the node-agent config (for the misplaced-key hints), undefined outside it.
 */
export function unknownKey(key: string, allowed: readonly string[], configPath?: readonly (string | number)[], schemaHint?: string) {
  const suggestion = didYouMean(key, allowed);
  const where = configPath && '/' + configPath.join('/');
  const misplaced = where && Object.prototype.hasOwnProperty.call(MISPLACED_KEYS, where) ? MISPLACED_KEYS[where] : undefined;
  const hint = misplaced || (suggestion && `did you mean "${suggestion}"?`) || (allowed.length ? `expected one of: ${allowed.join(', ')}` : schemaHint);
  return { message: `unknown key "${key}"`, hint };
}

/** Message and hint for a key newer than the Velero version: `lint` for a ConfigMap checked against a release. */
export function introducedLater(key: string | number, introducedIn: string, version: string, lint: boolean) {
  return {
    message: `"${key}" was introduced in Velero ${introducedIn}; ${lint ? 'checked against' : 'this environment runs'} Velero ${version}`,
    hint: lint
      ? `Velero ${version} ignores it: remove "${key}", or upgrade Velero to ${introducedIn} or later`
      : `raise the Velero version to ${introducedIn} or later, or remove "${key}"`,
  };
}

function toProblem(e: ErrorObject, root: unknown, configAt: readonly string[], context: VersionContext): Problem {
  const segments = pointerToPath(e.instancePath);
  const schema = (e.parentSchema ?? {}) as Record<string, unknown>;
  const schemaHint = schema[HINT] as string | undefined;
  const base = { rule: 'schema', severity: 'error' as const };
  const path = (extra: string[] = []) => toPath([...segments, ...extra], root);

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((schema.properties as object) ?? {});
      const inConfig = configAt.every((c, i) => segments[i] === c);
      const configPath = inConfig ? [...segments, key].slice(configAt.length) : undefined;
      return { ...base, path: path([key]), atKey: true, ...unknownKey(key, allowed, configPath, schemaHint) };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { ...base, path: path(), message: `missing required key "${key}"`, hint: schemaHint };
    }
    case 'type': {
      const expected = [(e.params as { type: string | string[] }).type].flat().map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      const quote = typeof e.data !== 'string' && expected.includes('string') ? 'quote the value' : undefined;
      return { ...base, path: path(), message: `expected ${expected}, got ${describe(e.data)}`, hint: schemaHint ?? quote };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: string[] }).allowedValues;
      const aliases = (schema[ALIASES] ?? {}) as Record<string, string>;
      const alias = typeof e.data === 'string' && Object.prototype.hasOwnProperty.call(aliases, e.data.toLowerCase()) ? aliases[e.data.toLowerCase()] : undefined;
      const suggestion = alias ?? (typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined);
      return {
        ...base,
        path: path(),
        message: `expected one of ${allowed.join(', ')}; got ${describe(e.data)}`,
        hint: suggestion ? `did you mean "${suggestion}"?` : schemaHint,
      };
    }
    case SINCE: {
      const { introducedIn, version } = e.params as { introducedIn: string; version: string };
      const key = segments[segments.length - 1];
      return { ...base, rule: 'velero-version', path: path(), atKey: true, ...introducedLater(key, introducedIn, version, !!context.lint) };
    }
    case 'pattern':
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'minProperties':
    case 'maxProperties': {
      const expected = (schema[EXPECTED] as string | undefined) ?? `a string that ${e.message}`;
      return { ...base, path: path(), message: `expected ${expected}; got ${describe(e.data)}`, hint: schemaHint };
    }
    default:
      return { ...base, path: path(), message: `${e.message}; got ${describe(e.data)}`, hint: schemaHint };
  }
}

/** The schema node that validates `path` in data of `schema`, or undefined when none does. */
export function schemaAt(schema: object, path: readonly (string | number)[]): Record<string, unknown> | undefined {
  let node = schema as Record<string, any> | undefined;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.items;
    else node = node.properties?.[segment] ?? (node.patternProperties && Object.values(node.patternProperties)[0]);
  }
  return node;
}

/** Whether the spec's schema wants an integer at `path` (a Go int in the ConfigMap, or a count). */
export const specWantsInteger = (path: readonly (string | number)[]) => schemaAt(NodeAgentSpecSchema, path)?.type === 'integer';
