import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { VeleroNodeAgent } from '../constructs/velero-node-agent';
import { hasErrors } from '../policies/problem';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';
import { checkManifests } from './check';
import { filePath, inFile, specOf, validateEnvironmentFile } from './environment';
import { DAEMONSET_NAME, WINDOWS_DAEMONSET_NAME } from '../velero/daemonset';
import { Finding, summarise } from './findings';
import { checkGitOps, DeliveredEnvironment, renderGitOps } from './gitops';
import { LoadedEnvironment, loadEnvironments } from './load';
import { numberFindings } from './numbers';
import { renderChart, RenderedEnvironment } from './render';
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

interface Built {
  readonly name?: string;
  readonly loaded: LoadedEnvironment;
  readonly chart: Chart;
  readonly agent: VeleroNodeAgent;
  readonly valid: boolean;
}

/**
 * load -> validate (the environment file's own layer, then every policy on its spec, inside the
 * VeleroNodeAgent construct, then the fleet's GitOps wiring) -> build constructs -> synth ->
 * check. Writes nothing.
 * @param outputDir where the files will be written: manifest findings name it
 */
export function synthesize(environmentsDir: string, outputDir = 'dist'): SynthResult {
  const loaded = loadEnvironments(environmentsDir);
  const findings: Finding[] = [...loaded.findings];
  const waivers: Waiver[] = [];
  const skipped: Skipped[] = [];
  const built = loaded.environments.map((env) => build(env, findings, waivers, skipped));
  const inputs = [...new Set(loaded.environments.flatMap((env) => env.sources.map((s) => s.file)))];

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
  const delivered = built.filter((b) => b.valid).map(delivery);
  findings.push(...checkGitOps(delivered));
  if (hasErrors(findings)) return { findings: summarise(findings), waivers, skipped, inputs, rendered: [] };

  const rendered = built.map((b) => {
    const out = renderChart(b.name!, b.chart, b.loaded.sources.map((s) => s.file), b.agent.spec!.version);
    findings.push(...checkManifests(b.agent.spec!, b.agent.release!, out, outputDir, b.loaded.file.file));
    return out;
  });
  const { wiring, findings: wiringFindings } = renderGitOps(delivered, environmentsDir, outputDir);
  findings.push(...wiringFindings);
  const checked = summarise(findings);
  return hasErrors(checked) ? { findings: checked, waivers, skipped, inputs, rendered: [] } : { findings: checked, waivers, skipped, inputs, rendered, wiring };
}

/** What the wiring needs of a valid environment. */
function delivery(b: Built): DeliveredEnvironment {
  const daemonSets = b.agent.windowsDaemonSet ? [DAEMONSET_NAME, WINDOWS_DAEMONSET_NAME] : [DAEMONSET_NAME];
  return { name: b.name!, loaded: b.loaded, namespace: b.agent.spec!.namespace ?? 'velero', daemonSets };
}

/** One environment: its name, its file layer, and the construct that checks and builds its spec. */
function build(loaded: LoadedEnvironment, findings: Finding[], waivers: Waiver[], skipped: Skipped[]): Built {
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
  return { name, loaded, chart, agent, valid };
}

/** `name:`, else the file name; undefined when neither is usable (an invalid `name:` is the schema's to report). */
function environmentName(file: SourceFile, data: Record<string, unknown>, findings: Finding[]): string | undefined {
  const valid = (n: unknown): n is string => typeof n === 'string' && new RegExp(DNS_LABEL_PATTERN).test(n);
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
