import * as fs from 'fs';
import * as path from 'path';
import { Finding } from './findings';
import { readWithin } from './input';
import { createReader } from './read-pool';
import { displayPath, locate, SourceFile } from './source';
import { isMap as isPlainMap } from '../policies/data';

/** An environment file with its fragments merged in, not yet validated. */
export interface LoadedEnvironment {
  /** The environment file itself. */
  readonly file: SourceFile;
  /** Every file that contributed, in merge order: fragments first, each once, the environment file last. */
  readonly sources: readonly SourceFile[];
  /** The merged data (prototype-free maps), `extends` removed. */
  readonly data: Record<string, unknown>;
}

export interface LoadResult {
  readonly environments: LoadedEnvironment[];
  readonly findings: Finding[];
}

const YAML_FILE = /\.ya?ml$/;
/** Longest chain of fragments extending fragments. */
export const MAX_EXTENDS_DEPTH = 16;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Deep merge: maps merge key by key, anything else (lists included) is replaced by `over`. */
export function merge(base: unknown, over: unknown): unknown {
  if (!isPlainMap(base) || !isPlainMap(over)) return over;
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(base)) out[key] = base[key];
  for (const key of Object.keys(over)) out[key] = hasOwn(base, key) ? merge(base[key], over[key]) : over[key];
  return out;
}

/** Every environment file in `dir` (fragments, named `_*.yaml`, are not environments), sorted; what cannot be one is a finding. */
export function listEnvironmentFiles(dir: string): { files: string[]; findings: Finding[] } {
  const files: string[] = [];
  const findings: Finding[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!YAML_FILE.test(entry.name) || entry.name.startsWith('_')) continue;
    const file = path.join(dir, entry.name);
    if (entry.isFile() || entry.isSymbolicLink()) files.push(file);
    else findings.push({ file: displayPath(file), line: 1, column: 1, path: '', rule: 'input-file', severity: 'error', message: 'is not a regular file: not read', hint: 'an environment is a YAML file' });
  }
  return { files: files.sort(), findings };
}

interface Resolved {
  readonly data?: Record<string, unknown>;
  /** Whether this file or one it extends has a problem: then no environment built on it renders. */
  readonly failed: boolean;
  /** Contributing files in merge order, each once. */
  readonly sources: readonly SourceFile[];
}

/** Environments loaded one at a time, for a caller that works on each as it comes (synth renders while it loads). */
export interface EnvironmentLoader {
  /** The environment files, sorted. */
  readonly files: readonly string[];
  /** Every problem found so far. */
  readonly findings: Finding[];
  /** One of `files`, with its fragments merged; undefined when it or a fragment has a problem. */
  load(file: string): LoadedEnvironment | undefined;
  /** Stops the thread reading ahead, if any: call when done, and on the way out of an error. */
  close(): void;
}

/**
 * Reads each environment in `dir` and merges the fragments it extends. Each fragment is read
 * and resolved once per run however often it is extended, chains are bounded, and `extends`
 * stays inside `dir`. Every problem found is returned.
 */
export function loadEnvironments(dir: string): LoadResult {
  const loader = environmentLoader(dir);
  const environments = loader.files.flatMap((file) => loader.load(file) ?? []);
  return { environments, findings: loader.findings };
}

export interface LoaderOptions {
  /**
   * Read and parse the environment files ahead, on a worker thread (read-pool.ts), for a caller
   * that loads them in order while it works on each.
   * @default false
   */
  readonly readAhead?: boolean;
}

/** loadEnvironments, one environment at a time. */
export function environmentLoader(dir: string, options: LoaderOptions = {}): EnvironmentLoader {
  const root = path.resolve(dir);
  const resolved = new Map<string, Resolved>();
  const listed = listEnvironmentFiles(dir);
  const findings: Finding[] = [...listed.findings];
  const reader = options.readAhead ? createReader(listed.files.map((file) => path.resolve(file)), root) : undefined;
  const read = reader?.read ?? readWithin;

  const resolve = (file: string, chain: readonly string[]): Resolved => {
    const done = resolved.get(file);
    if (done) return done;
    const source = read(file, root);
    if (!(source instanceof SourceFile)) {
      findings.push(source);
      return remember(file, { sources: [], failed: true });
    }
    const syntax = source.syntaxFindings();
    if (syntax.length) {
      findings.push(...syntax);
      return remember(file, { sources: [source], failed: true });
    }
    const data = source.data;
    if (!isPlainMap(data)) {
      findings.push({
        file: source.file, line: 1, column: 1, path: '', rule: 'schema', severity: 'error',
        message: data == null ? 'the file is empty' : 'expected a map of settings at the top level',
        hint: 'an environment needs at least velero.version; see README "The environment file"',
      });
      return remember(file, { sources: [source], failed: true });
    }

    const before = findings.length;
    let merged: unknown = Object.create(null);
    let sources: SourceFile[] = [];
    let failed = false;
    const parents = hasOwn(data, 'extends') ? data.extends : [];
    const at = (keyPath: (string | number)[], message: string, hint: string) =>
      findings.push(locate({ path: keyPath, rule: 'extends', severity: 'error', message, hint }, [source]));
    if (!Array.isArray(parents)) {
      at(['extends'], `expected a list of fragment paths, got ${JSON.stringify(parents)}`, 'write extends: [_fleet.yaml]');
    } else {
      parents.forEach((entry, i) => {
        const target = typeof entry === 'string' ? path.resolve(path.dirname(file), entry) : '';
        const rel = path.relative(root, target);
        if (typeof entry !== 'string' || !path.basename(entry).startsWith('_')) {
          at(['extends', i], `${JSON.stringify(entry)} is not a fragment: fragment file names start with "_"`,
            'environments are rendered on their own; move shared settings into a _fragment.yaml');
        } else if (path.isAbsolute(entry) || rel.startsWith('..') || path.isAbsolute(rel)) {
          at(['extends', i], `"${entry}" is outside the environments folder`, 'fragments live in the environments folder; paths are relative to the file that names them');
        } else if (chain.includes(target) || target === file) {
          at(['extends', i], `"${entry}" extends itself through ${[...chain, file].map(displayPath).join(' -> ')}`, 'remove the cycle');
        } else if (chain.length + 1 >= MAX_EXTENDS_DEPTH) {
          at(['extends', i], `fragments extend each other more than ${MAX_EXTENDS_DEPTH} levels deep`, 'flatten the chain of fragments');
        } else if (!fs.existsSync(target) && !isSymlink(target)) {
          at(['extends', i], `fragment "${entry}" not found (looked for ${displayPath(target)})`, 'paths in extends are relative to the file that names them');
        } else {
          const parent = resolve(target, [...chain, file]);
          failed ||= parent.failed;
          merged = merge(merged, parent.data ?? Object.create(null));
          sources = [...sources.filter((s) => !parent.sources.includes(s)), ...parent.sources];
        }
      });
    }
    const own: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(data)) if (key !== 'extends') own[key] = data[key];
    return remember(file, {
      data: merge(merged, own) as Record<string, unknown>,
      sources: [...sources.filter((s) => s !== source), source],
      failed: failed || findings.length > before,
    });
  };
  const remember = (file: string, result: Resolved) => {
    resolved.set(file, result);
    return result;
  };

  return {
    files: listed.files,
    findings,
    load: (file) => {
      const { data, sources, failed } = resolve(path.resolve(file), []);
      return data && !failed ? { file: sources[sources.length - 1], sources, data } : undefined;
    },
    close: () => reader?.close(),
  };
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
