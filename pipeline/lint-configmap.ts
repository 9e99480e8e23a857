import { isScalar, Scalar } from 'yaml';
import { checkConfig } from '../policies/check';
import { decodeGoJson, GoJson, Range } from '../policies/go-json';
import { escapeText, formatPath, KeyPath, Problem } from '../policies/problem';
import { installContract } from '../velero/daemonset';
import { NodeAgentConfig } from '../velero/node-agent-config';
import { contractRelease } from '../velero/releases';
import { compareFindings, Finding } from './findings';
import { locate, SourceFile } from './source';
import { isMap } from '../policies/data';

/** Where one ConfigMap JSON value sits in the file, to turn its own positions into the file's. */
interface EmbeddedJson {
  /** Key path of the value in the file (`data.<key>`), or [] for a bare JSON file. */
  readonly at: KeyPath;
  readonly toFile: (line: number, column: number) => { line: number; column: number };
}

type Json = Record<string, unknown>;
const kindOf = (value: unknown) => (isMap(value) && Object.hasOwn(value, 'kind') ? value.kind : undefined);
const LIST_KINDS = ['List', 'ConfigMapList'];

/**
 * Lints a ConfigMap as `kubectl get cm -o yaml|json` prints it, a List of them (`kubectl get
 * cm -l … -o yaml`), or the bare JSON value: what Go's json.Unmarshal makes of the value, then
 * the schema for `veleroVersion` and every rule that needs no StorageClass inventory or platform.
 */
export function lintConfigMap(source: SourceFile, veleroVersion: string): Finding[] {
  try {
    return lintFile(source, veleroVersion).sort(compareFindings);
  } catch (e) {
    // The YAML parser recurses: input nested thousands of levels deep overflows the stack.
    if (!(e instanceof RangeError)) throw e;
    return [{ file: source.file, line: 1, column: 1, path: '', rule: 'nesting-depth', severity: 'error', message: 'the input nests too deeply to be checked', hint: 'a node-agent ConfigMap nests about ten levels: look for a runaway [ or {' }];
  }
}

function lintFile(source: SourceFile, veleroVersion: string): Finding[] {
  // Problems the YAML parser does not see (tags, aliases, depth) stop here; a JSON text is Go's to judge.
  if (!source.document.errors.length && source.syntaxFindings().length) return source.syntaxFindings();
  const data = source.data;
  const kind = kindOf(data);
  if (kind === 'ConfigMap' || LIST_KINDS.includes(kind as string)) {
    const syntax = source.syntaxFindings();
    if (syntax.length) return syntax;
    return kind === 'ConfigMap' ? lintObject(source, [], data as Json, veleroVersion) : lintList(source, data as Json, veleroVersion);
  }
  // A bare JSON value. Duplicate keys are Go's to judge (json.Unmarshal applies them in order),
  // not YAML's; any other YAML error means it is not JSON either.
  if (source.document.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return source.syntaxFindings();
  return lintJson(source.text, { at: [], toFile: (line, column) => ({ line, column }) }, source.file, veleroVersion);
}

function lintList(source: SourceFile, list: Json, veleroVersion: string): Finding[] {
  const items = Array.isArray(list.items) ? list.items : [];
  const findings: Finding[] = [];
  items.forEach((item, i) => {
    const kind = kindOf(item);
    if (kind === 'ConfigMap') {
      findings.push(...lintObject(source, ['items', i], item as Json, veleroVersion));
      return;
    }
    const what = typeof kind === 'string' ? `a ${kind}` : 'not a Kubernetes object';
    findings.push(locate({ path: ['items', i], rule: 'list-item', severity: 'warning', message: `skipped: items[${i}] is ${what}, not a ConfigMap`, hint: 'lint-configmap checks the ConfigMaps of a List' }, [source]));
  });
  if (items.length === 0) {
    findings.push(locate({ path: ['items'], rule: 'list-item', severity: 'warning', message: 'the List has no items: nothing was checked', hint: 'check the label selector of kubectl get' }, [source]));
  }
  return findings;
}

/** One ConfigMap object at `at` in the file. */
function lintObject(source: SourceFile, at: KeyPath, configMap: Json, veleroVersion: string): Finding[] {
  const dataPath = [...at, 'data'];
  const here = (problem: Problem) => locate(problem, [source]);
  if (configMap.data !== undefined && !isMap(configMap.data)) {
    return [here({ path: dataPath, rule: 'configmap-data', severity: 'error', message: 'data must be a map of keys to strings', hint: 'the JSON goes in a string under one key' })];
  }
  const entries = Object.entries(configMap.data ?? {});
  const findings: Finding[] = [];
  if (entries.length === 0) {
    findings.push(here({ path: dataPath, rule: 'configmap-data', severity: 'error', message: 'the ConfigMap has no data key', hint: 'node-agent reads the JSON from its one data key' }));
  }
  if (entries.length > 1) {
    const startupError = installContract(contractRelease(veleroVersion)!).configMapOneKey;
    findings.push(
      here({
        path: dataPath, rule: 'configmap-data', severity: startupError ? 'error' : 'warning',
        message: `the ConfigMap has ${entries.length} data keys (${entries.map(([key]) => key).join(', ')})`,
        hint: startupError ? 'Velero 1.18+ refuses to start with more than one: keep one' : 'Velero reads a random one of them: keep one',
      }),
    );
  }
  for (const [key, value] of entries) {
    const valuePath = [...dataPath, key];
    if (typeof value !== 'string') {
      findings.push(here({ path: valuePath, rule: 'configmap-data', severity: 'error', message: `data["${key}"] is ${value === null ? 'null' : typeof value}, not a string`, hint: 'ConfigMap data values are strings: put the JSON in a block literal (|)' }));
      continue;
    }
    const node = source.document.getIn(valuePath, true);
    findings.push(...lintJson(value, embed(source, valuePath, isScalar(node) ? node : undefined), source.file, veleroVersion));
  }
  return findings;
}

/**
 * One JSON value as node-agent reads it: Go's decoding first (syntax, types, duplicates, case,
 * null, unknown keys), then the schema and the rules on what Go decoded, each finding at the
 * JSON that set the value. Positions inside `text` are mapped to the file by `embedded`.
 */
function lintJson(text: string, embedded: EmbeddedJson, file: string, veleroVersion: string): Finding[] {
  const decoded = decodeGoJson(text, NodeAgentConfig, { veleroVersion });
  const position = positions(text);
  const finding = (problem: Omit<Problem, 'atKey'>, at: Range): Finding => {
    const { line, column } = position(at[0]);
    const { path, rule, severity, message, hint } = problem;
    return { file, ...embedded.toFile(line, column), path: escapeText(formatPath([...embedded.at, ...path])), rule, severity, message, hint };
  };
  const findings = decoded.problems.map((p) => finding(p, p.range));
  if (decoded.value === undefined) return findings;
  for (const p of policyProblems(decoded, veleroVersion)) findings.push(finding(p, decoded.sourceOf(p.path, p.atKey)));
  return findings;
}

/** The schema and the rules on the decoded value, as in an environment that has nothing else: no inventory, no platform. */
function policyProblems(decoded: GoJson, veleroVersion: string): Problem[] {
  return checkConfig(forPolicies(decoded.value), veleroVersion);
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The decoded value as the schema and the rules read it: ints as numbers. A Go int goes past
 * 2^53, where numbers lose digits; such an int reaches them clamped to ±(2^53 - 1), which keeps
 * every comparison they make (with 0 and 1), though a message quoting it shows the bound.
 */
function forPolicies(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value > SAFE ? SAFE : value < -SAFE ? -SAFE : value);
  if (Array.isArray(value)) return value.map(forPolicies);
  if (!isMap(value)) return value;
  const out: Json = Object.create(null);
  for (const [key, v] of Object.entries(value)) out[key] = forPolicies(v);
  return out;
}

/** Line and column (1-based; columns in UTF-16 units, as the YAML positions) of offsets in `text`. */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}

/**
 * Maps positions inside a data value to the file: a block scalar (`|`) keeps its lines, below
 * its header and indented; a quoted one-line value can only be pointed at as a whole.
 */
function embed(source: SourceFile, at: KeyPath, node?: Scalar): EmbeddedJson {
  const start = source.position(at) ?? { line: 1, column: 1 };
  if (node?.type !== Scalar.BLOCK_LITERAL && node?.type !== Scalar.BLOCK_FOLDED) return { at, toFile: () => start };
  const lines = source.text.split('\n');
  const indentOf = (line: string) => line.length - line.trimStart().length;
  // An indentation indicator (`|2`) counts from the header line's indentation; else the first non-blank line sets it.
  const indicator = /^[|>][+-]?([1-9])/.exec(lines[start.line - 1].slice(start.column - 1))?.[1];
  const indent = indicator
    ? indentOf(lines[start.line - 1]) + Number(indicator)
    : indentOf(lines.slice(start.line).find((l) => l.trim() !== '') ?? '');
  return { at, toFile: (line, column) => ({ line: start.line + line, column: column + indent }) };
}
