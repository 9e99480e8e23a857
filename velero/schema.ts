import { SchemaOptions, TSchema, Type } from '@sinclair/typebox';

/**
 * The vocabulary the schemas of Velero's types are written in: TypeBox plus five annotation
 * keywords. Ajv runs in strict mode, so policies/validator.ts declares each; only `x-since`
 * validates, the others feed error messages and the model of Go's decoder.
 */

/** The Velero release that introduced a field. */
export const SINCE = 'x-since';
/** Plain-words description of a valid value, used when `pattern` or `format` fails. */
export const EXPECTED = 'x-expected';
/** A hint shown with any error on this node. */
export const HINT = 'x-hint';
/**
 * The Go type Velero decodes a node into, where JSON Schema cannot tell: a struct's name, a
 * pointer (`*` prefix), `int64` rather than `int`. policies/go-json.ts reads it.
 */
export const GO_TYPE = 'x-go';
/** Other names of an enum's values (`eks` for `kubernetes`), for the hint when one is written. */
export const ALIASES = 'x-aliases';

/** Marks a field as introduced in the given Velero release. */
export function since<T extends TSchema>(version: string, schema: T): T {
  return { ...schema, [SINCE]: version };
}

/** Names the Go type of a node (see GO_TYPE). */
export function goType<T extends TSchema>(name: string, schema: T): T {
  return { ...schema, [GO_TYPE]: name };
}

/** A struct that Velero holds through a pointer (`*LoadConcurrency`): JSON null sets it to nil. */
export function pointer<T extends TSchema>(schema: T): T {
  return goType(`*${schema[GO_TYPE] as string}`, schema);
}

/** An object that rejects any key it does not declare (a Go struct, to our validator). */
export function Strict<P extends Parameters<typeof Type.Object>[0]>(properties: P, options: SchemaOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A map with string keys (a Go `map[string]T`). */
export function StringMap<T extends TSchema>(value: T, options: SchemaOptions = {}) {
  return Type.Record(Type.String(), value, { additionalProperties: false, ...options });
}

/**
 * A string from a fixed list. Emitted as `enum` rather than TypeBox's union of literals
 * (`anyOf`), so a wrong value gives one clear error instead of one per alternative.
 */
export function Enum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
