import { Type, TSchema, SchemaOptions } from '@sinclair/typebox';

/**
 * Annotation keywords our schemas carry besides standard JSON Schema. Ajv runs in strict mode,
 * so each is declared (see validator.ts); only `x-since` validates, the others feed error messages.
 */
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

/** Marks a field as introduced in the given Velero version. */
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

/** An object that rejects any key it does not declare. */
export function Strict<P extends Parameters<typeof Type.Object>[0]>(properties: P, options: SchemaOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A map with string keys; `keyPattern` constrains the keys. */
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

/** Kubernetes' resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource). */
const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';

/** A Kubernetes quantity; YAML numbers (`cpu: 1`) are accepted as Kubernetes accepts them. */
export const Quantity = Type.Unsafe<string | number>({
  type: ['string', 'number'],
  pattern: QUANTITY_PATTERN,
  [EXPECTED]: 'a Kubernetes quantity such as "500m", "1", "512Mi" or "2Gi"',
});

/** DNS-1123 label: object names such as namespaces, environment names. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DnsLabel = Type.String({
  pattern: DNS_LABEL_PATTERN,
  [EXPECTED]: 'a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
});

/** DNS-1123 subdomain: ConfigMap, Secret, ServiceAccount and PriorityClass names. */
export const DnsSubdomain = Type.String({
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  maxLength: 253,
  [EXPECTED]: 'a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
});
