import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { VeleroNodeAgent } from '../constructs/velero-node-agent';
import { hasErrors } from '../policies/problem';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';
import { filePath, inFile, specOf, validateEnvironmentFile } from './environment';
import { DAEMONSET_NAME, WINDOWS_DAEMONSET_NAME } from '../velero/daemonset';
import { Finding, summarise } from './findings';
import { checkGitOps, DeliveredEnvironment, renderGitOps } from './gitops';
import { EnvironmentLoader, environmentLoader, LoadedEnvironment } from './load';
import { numberFindings } from './numbers';
import { createRenderer, Renderer } from './render-pool';
import { chartJob, Manifest, RenderedEnvironment } from './render';
import { locate, SourceFile } from './source';

/** A `policyExceptions` entry in force: that rule's errors are warnings in that environment. */
export interface Waiver {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly environment: string;
  readonly rule: string;
  readonly reason: string;
}

/** Rules an environment gave something to check but that could not run for want of its inventory. */
export interface Skipped {
  readonly environment: string;
  readonly rules: readonly string[];
  /** The inventory lists that would let them run, as the environment file names them. */
  readonly needs: readonly string[];
}

export interface SynthResult {
  /** Every finding, sorted by file and position, each once, long runs of one rule summarised. */
  readonly findings: Finding[];
  readonly waivers: Waiver[];
  readonly skipped: Skipped[];
  /** Every environment file and fragment read, each once. */
  readonly inputs: string[];
  /** The rendered environments; empty when any finding is an error (all render or none). */
  readonly rendered: RenderedEnvironment[];
  /** dist/_gitops/, when an environment has `gitops:` and nothing is an error. */
  readonly wiring?: RenderedEnvironment;
}

/** Every folder a synth writes: the environments and the wiring. */
export const outputFolders = (result: SynthResult): RenderedEnvironment[] => (result.wiring ? [...result.rendered, result.wiring] : result.rendered);

/**
 * One environment once built. A valid one is rendered and checked at once and its construct
 * tree let go: a fleet's trees never sit in memory together.
 */
interface Built {
  readonly name?: string;
  readonly loaded: LoadedEnvironment;
  /** What it renders, the findings of its manifest checks, and what its wiring needs; undefined when invalid. */
  readonly output?: {
    /** Its manifests, when asked (Renderer.submit). */
    readonly manifests: () => ReadonlyMap<string, Manifest>;
    readonly veleroVersion: string;
    readonly delivery: DeliveredEnvironment;
  };
}

export interface SynthOptions {
  /**
   * A staging folder to write each environment's folder into as soon as it is rendered (the
   * output folder's files that stay the same are linked from it). Whatever the outcome, the
   * caller removes or swaps it.
   * @default - nothing is written
   */
  readonly staging?: string;
}

/**
 * load -> validate (the environment file's own layer, then every policy on its spec, inside the
 * VeleroNodeAgent construct, then the fleet's GitOps wiring) -> build constructs -> synth ->
 * check. Writes nothing.
 * @param outputDir where the files will be written: manifest findings name it
 */
export function synthesize(environmentsDir: string, outputDir = 'dist', options: SynthOptions = {}): SynthResult {
  const loader = environmentLoader(environmentsDir, { readAhead: true });
  try {
    return synthesizeWith(loader, environmentsDir, outputDir, options);
  } finally {
    loader.close();
  }
}

function synthesizeWith(loader: EnvironmentLoader, environmentsDir: string, outputDir: string, options: SynthOptions): SynthResult {
  const findings: Finding[] = [];
  const waivers: Waiver[] = [];
  const skipped: Skipped[] = [];
  const renderer = createRenderer(loader.files.length, options.staging === undefined ? {} : { staging: options.staging, reuseFrom: outputDir });
  // Each environment is built as soon as it is loaded, so the workers render the first while this
  // thread reads the rest; its file's parsed document is let go once its findings are placed.
  const built = loader.files.flatMap((file) => {
    const env = loader.load(file);
    if (!env) return [];
    const done = build(env, outputDir, renderer, findings, waivers, skipped);
    env.file.release();
    return [done];
  });
  findings.push(...loader.findings);
  // Every folder is waited for, even when there are errors: none may still be written when the caller removes the staging folder.
  const folders = renderer.finish();
  const inputs = [...new Set(built.flatMap((b) => b.loaded.sources.map((s) => s.file)))];

  const byName = new Map<string, Built[]>();
  for (const b of built) if (b.name) byName.set(b.name, [...(byName.get(b.name) ?? []), b]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const b of same) {
      const others = same.filter((o) => o !== b).map((o) => o.loaded.file.file).join(', ');
      findings.push({
        file: b.loaded.file.file, ...(b.loaded.file.position(['name']) ?? { line: 1, column: 1 }), path: 'name', rule: 'duplicate-name', severity: 'error',
        message: `environment name "${name}" is also used by ${others}`,
        hint: 'each environment renders into dist/<name>/: give each a distinct name',
      });
    }
  }
  const delivered = built.flatMap((b) => (b.output ? [b.output.delivery] : []));
  findings.push(...checkGitOps(delivered));
  // The manifest checks count only when every input is valid, as if rendering waited for that.
  if (hasErrors(findings)) return { findings: summarise(findings), waivers, skipped, inputs, rendered: [] };

  const rendered = built.map(({ name, output }): RenderedEnvironment => {
    let manifests: ReadonlyMap<string, Manifest> | undefined;
    const folder = { name: name!, files: folders.get(name!)!.files, veleroVersion: output!.veleroVersion };
    return Object.defineProperty(folder, 'manifests', { enumerable: true, get: () => (manifests ??= output!.manifests()) }) as RenderedEnvironment;
  });
  for (const { findings: checked } of folders.values()) findings.push(...checked);
  const { wiring, findings: wiringFindings } = renderGitOps(delivered, environmentsDir, outputDir);
  findings.push(...wiringFindings);
  const checked = summarise(findings);
  return hasErrors(checked) ? { findings: checked, waivers, skipped, inputs, rendered: [] } : { findings: checked, waivers, skipped, inputs, rendered, wiring };
}

/** One environment: its name, its file layer, and the construct that checks and builds its spec. */
function build(loaded: LoadedEnvironment, outputDir: string, renderer: Renderer, findings: Finding[], waivers: Waiver[], skipped: Skipped[]): Built {
  const { file, sources, data } = loaded;
  const before = findings.length;
  const name = environmentName(file, data, findings);
  findings.push(...validateEnvironmentFile(data).map((p) => locate(p, sources)));
  const numbers = numberFindings(loaded);
  findings.push(...numbers.findings);
  const chart = new Chart(new App(), name ?? 'environment', { disableResourceNameHashes: true });
  const agent = new VeleroNodeAgent(chart, 'node-agent', specOf(data));
  // A number already reported as written (say, beyond 2^53) is not reported again by the schema.
  const problems = inFile(agent.problems).filter((p) => !(p.rule === 'schema' && numbers.reported.has(JSON.stringify(p.path))));
  findings.push(...problems.map((p) => locate(p, sources)));
  const environment = name ?? file.file;
  for (const w of agent.waivers) {
    const at = locate({ path: filePath(w.path), rule: w.rule, severity: 'warning', message: '' }, sources);
    waivers.push({ file: at.file, line: at.line, column: at.column, environment, rule: w.rule, reason: w.reason });
  }
  if (agent.skipped.length) {
    skipped.push({
      environment,
      rules: agent.skipped.map((s) => s.rule),
      needs: [...new Set(agent.skipped.map((s) => s.needs))].sort(),
    });
  }
  const valid = name !== undefined && !hasErrors(findings.slice(before)) && agent.daemonSet !== undefined;
  if (!valid) return { name, loaded };
  const spec = agent.spec!;
  const job = chartJob(name, chart, sources.map((s) => s.file), spec.version);
  const manifests = renderer.submit({ folder: job, check: { spec, release: agent.release!, inputFile: file.file, outputDir } });
  const daemonSets = agent.windowsDaemonSet ? [DAEMONSET_NAME, WINDOWS_DAEMONSET_NAME] : [DAEMONSET_NAME];
  return {
    name,
    loaded,
    output: {
      manifests,
      veleroVersion: spec.version,
      delivery: { name, loaded, namespace: spec.namespace ?? 'velero', daemonSets },
    },
  };
}

const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);

/** `name:`, else the file name; undefined when neither is usable (an invalid `name:` is the schema's to report). */
function environmentName(file: SourceFile, data: Record<string, unknown>, findings: Finding[]): string | undefined {
  const valid = (n: unknown): n is string => typeof n === 'string' && DNS_LABEL.test(n);
  if (data.name !== undefined) return valid(data.name) ? data.name : undefined;
  const fromFile = path.basename(file.file).replace(/\.ya?ml$/, '');
  if (valid(fromFile)) return fromFile;
  findings.push({
    file: file.file, line: 1, column: 1, path: 'name', rule: 'environment-name', severity: 'error',
    message: `the file name "${fromFile}" is not a valid environment name (a DNS-1123 label)`,
    hint: 'rename the file, or set name: to lower-case letters, digits and "-"',
  });
  return undefined;
}
