import * as fs from 'fs';
import * as path from 'path';
import { isMap } from 'yaml';
import { Finding } from './findings';
import { displayPath, locate, SourceFile } from './source';

/** An environment file with its fragments merged in, not yet validated. */
export interface LoadedEnvironment {
  /** The environment file itself. */
  readonly file: SourceFile;
  /** Every file that contributed, in merge order: fragments first, the environment file last. */
  readonly sources: readonly SourceFile[];
  /** The merged data, `extends` removed. */
  readonly data: Record<string, unknown>;
}

export interface LoadResult {
  readonly environments: LoadedEnvironment[];
  readonly findings: Finding[];
}

const YAML_FILE = /\.ya?ml$/;

/** Every environment file in `dir` (fragments, named `_*.yaml`, are not environments), sorted. */
export function listEnvironmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && YAML_FILE.test(e.name) && !e.name.startsWith('_'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Deep merge: maps merge key by key, anything else (lists included) is replaced by `over`. */
export function merge(base: unknown, over: unknown): unknown {
  if (!isPlainMap(base) || !isPlainMap(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? merge(base[key], value) : value;
  return out;
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads each environment in `dir` and merges its fragments; every problem found is returned. */
export function loadEnvironments(dir: string): LoadResult {
  const cache = new Map<string, SourceFile>();
  const read = (file: string) => {
    let source = cache.get(file);
    if (!source) cache.set(file, (source = SourceFile.read(file)));
    return source;
  };
  const environments: LoadedEnvironment[] = [];
  const findings: Finding[] = [];
  for (const file of listEnvironmentFiles(dir)) {
    const before = findings.length;
    const sources: SourceFile[] = [];
    const data = resolve(path.resolve(file), [], sources, findings, read);
    if (data && findings.length === before) environments.push({ file: sources[sources.length - 1], sources, data });
  }
  return { environments, findings };
}

/** Loads `file` (an absolute path) and, depth first, the fragments it extends; returns the merged data. */
function resolve(
  file: string,
  chain: string[],
  sources: SourceFile[],
  findings: Finding[],
  read: (file: string) => SourceFile,
): Record<string, unknown> | undefined {
  const source = read(file);
  const syntax = source.syntaxFindings();
  if (syntax.length) {
    findings.push(...syntax);
    return undefined;
  }
  const data = source.data;
  if (!isMap(source.document.contents) || !isPlainMap(data)) {
    findings.push({
      file: source.file, line: 1, column: 1, path: '', rule: 'schema', severity: 'error',
      message: data == null ? 'the file is empty' : 'expected a map of settings at the top level',
      hint: 'an environment needs at least velero.version; see README "Environment file"',
    });
    return undefined;
  }

  let merged: unknown = {};
  const parents = data.extends === undefined ? [] : data.extends;
  const at = (keyPath: (string | number)[], message: string, hint: string) =>
    findings.push(locate({ path: keyPath, rule: 'extends', severity: 'error', message, hint }, [source]));
  if (!Array.isArray(parents)) {
    at(['extends'], `expected a list of fragment paths, got ${JSON.stringify(parents)}`, 'write extends: [_fleet.yaml]');
  } else {
    parents.forEach((entry, i) => {
      const target = typeof entry === 'string' ? path.resolve(path.dirname(file), entry) : '';
      if (typeof entry !== 'string' || !path.basename(entry).startsWith('_')) {
        at(['extends', i], `${JSON.stringify(entry)} is not a fragment: fragment file names start with "_"`,
          'environments are rendered on their own; move shared settings into a _fragment.yaml');
      } else if (chain.includes(target) || target === file) {
        at(['extends', i], `"${entry}" extends itself through ${[...chain, file].map(displayPath).join(' -> ')}`, 'remove the cycle');
      } else if (!fs.existsSync(target)) {
        at(['extends', i], `fragment "${entry}" not found (looked for ${displayPath(target)})`, 'paths in extends are relative to the file that names them');
      } else {
        merged = merge(merged, resolve(target, [...chain, file], sources, findings, read) ?? {});
      }
    });
  }
  sources.push(source);
  const { extends: _resolved, ...own } = data;
  return merge(merged, own) as Record<string, unknown>;
}
