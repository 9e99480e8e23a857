import * as semver from 'semver';
import { isScalar, Scalar } from 'yaml';
import { checkConfig } from '../policies/check';
import { formatPath, Problem } from '../policies/problem';
import { NodeAgentConfig } from '../velero/node-agent-config';
import { compareFindings, Finding } from './findings';
import { locate, SourceFile } from './source';

/** Where one ConfigMap JSON value sits in the file, to turn its own positions into the file's. */
interface EmbeddedJson {
  /** Key path of the value in the file (`data.<key>`), or [] for a bare JSON file. */
  readonly at: (string | number)[];
  readonly toFile: (line: number, column: number) => { line: number; column: number };
}

/**
 * Lints a ConfigMap as `kubectl get cm -o yaml|json` prints it, or the bare JSON value: the
 * schema for `veleroVersion` and every rule that needs no StorageClass inventory or platform.
 */
export function lintConfigMap(source: SourceFile, veleroVersion: string): Finding[] {
  const syntax = source.syntaxFindings();
  if (syntax.length) return syntax;
  const data = source.data as { kind?: unknown; data?: unknown } | null;
  if (data?.kind !== 'ConfigMap') {
    const bare: EmbeddedJson = { at: [], toFile: (line, column) => ({ line, column }) };
    return (jsonSyntax(source.text, bare, source.file) ?? lintJson(bare, source, veleroVersion)).sort(compareFindings);
  }
  if (data.data !== undefined && (typeof data.data !== 'object' || data.data === null || Array.isArray(data.data))) {
    return [locate({ path: ['data'], rule: 'configmap-data', severity: 'error', message: 'data must be a map of keys to strings', hint: 'the JSON goes in a string under one key' }, [source])];
  }

  const keys = Object.keys(data.data ?? {});
  const findings: Finding[] = [];
  if (keys.length === 0) {
    findings.push(locate({ path: ['data'], rule: 'configmap-data', severity: 'error', message: 'the ConfigMap has no data key', hint: 'node-agent reads the JSON from its one data key' }, [source]));
  }
  if (keys.length > 1) {
    const startupError = semver.gte(veleroVersion, '1.18.0');
    findings.push(
      locate({
        path: ['data'], rule: 'configmap-data', severity: startupError ? 'error' : 'warning',
        message: `the ConfigMap has ${keys.length} data keys (${keys.join(', ')})`,
        hint: startupError ? 'Velero 1.18+ refuses to start with more than one: keep one' : 'Velero reads a random one of them: keep one',
      }, [source]),
    );
  }
  for (const [key, value] of Object.entries((data.data ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      findings.push(locate({ path: ['data', key], rule: 'configmap-data', severity: 'error', message: `data["${key}"] is ${value === null ? 'null' : typeof value}, not a string`, hint: 'ConfigMap data values are strings: put the JSON in a block literal (|)' }, [source]));
      continue;
    }
    const node = source.document.getIn(['data', key], true);
    const embedded = embed(source, ['data', key], isScalar(node) ? node : undefined);
    findings.push(...(jsonSyntax(value, embedded, source.file) ?? lintJson(embedded, new SourceFile(source.file, value), veleroVersion)));
  }
  return findings.sort(compareFindings);
}

/**
 * Velero decodes the value with json.Unmarshal: YAML-only syntax (trailing commas, unquoted
 * keys, block style) is a parse error there, so it is checked as JSON, not as YAML.
 */
function jsonSyntax(text: string, embedded: EmbeddedJson, file: string): Finding[] | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const message = (e as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    const at = embedded.toFile(before.length, before[before.length - 1].length + 1);
    return [{
      file, ...at, path: formatPath(embedded.at), rule: 'json-syntax', severity: 'error',
      message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      hint: 'node-agent cannot parse it: from Velero 1.17 it does not start, before it runs without the config',
    }];
  }
}

/** Schema and rules for one JSON value; `json` holds it, positions are mapped by `embedded`. */
function lintJson(embedded: EmbeddedJson, json: SourceFile, veleroVersion: string): Finding[] {
  const problems: Problem[] = [];
  const canonical = canonicalKeys(json.data, NodeAgentConfig as SchemaNode, [], problems);
  problems.push(...checkConfig(canonical, veleroVersion));
  return problems.map((p) => {
    const f = locate({ ...p, path: spelledAsWritten(json.data, p.path) }, [json]);
    return { ...f, ...embedded.toFile(f.line, f.column), path: formatPath([...embedded.at, ...p.path]) };
  });
}

/** `path` with each key as the file spells it (`BackupPVC` for `backupPVC`), to find its line. */
function spelledAsWritten(data: unknown, path: readonly (string | number)[]): (string | number)[] {
  let node = data as Record<string, unknown> | undefined;
  return path.map((segment) => {
    const key =
      typeof segment === 'string' && node && !(segment in node)
        ? (Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase()) ?? segment)
        : segment;
    node = node?.[key] as Record<string, unknown> | undefined;
    return key;
  });
}

/**
 * Maps positions inside a data value to the file: a block scalar (`|`) keeps its lines, below
 * its header and indented; a quoted one-line value can only be pointed at as a whole.
 */
function embed(source: SourceFile, at: (string | number)[], node?: Scalar): EmbeddedJson {
  const start = source.position(at) ?? { line: 1, column: 1 };
  if (node?.type === Scalar.BLOCK_LITERAL || node?.type === Scalar.BLOCK_FOLDED) {
    const firstLine = source.text.split('\n')[start.line] ?? '';
    const indent = firstLine.length - firstLine.trimStart().length;
    return { at, toFile: (line, column) => ({ line: start.line + line, column: column + indent }) };
  }
  return { at, toFile: () => start };
}

type SchemaNode = { properties?: Record<string, SchemaNode>; patternProperties?: Record<string, SchemaNode>; items?: SchemaNode };

/**
 * Go's json.Unmarshal matches keys case-insensitively: `BackupPVC` works in a cluster. Each
 * such key is a warning naming the canonical spelling, and is read as that spelling.
 */
function canonicalKeys(value: unknown, schema: SchemaNode, path: (string | number)[], problems: Problem[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => (schema.items ? canonicalKeys(v, schema.items, [...path, i], problems) : v));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const known = Object.keys(schema.properties ?? {});
  for (const [key, v] of Object.entries(value)) {
    // Schema keys never differ only in case, so this finds `key` itself when it is spelled right.
    const canonical = known.find((k) => k.toLowerCase() === key.toLowerCase());
    const rename = canonical !== undefined && canonical !== key && !(canonical in value);
    if (rename) {
      problems.push({
        path: [...path, key], atKey: true, rule: 'case-insensitive-key', severity: 'warning',
        message: `"${key}" works only because Velero matches keys case-insensitively`,
        hint: `write "${canonical}"`,
      });
    }
    const name = rename ? canonical : key;
    const child = schema.properties?.[name] ?? Object.values(schema.patternProperties ?? {})[0];
    out[name] = child ? canonicalKeys(v, child, [...path, key], problems) : v;
  }
  return out;
}
