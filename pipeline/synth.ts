import { checkManifests } from './check';
import { compareFindings, Finding, formatFinding, hasErrors } from './findings';
import { loadEnvironments } from './load';
import { renderEnvironments, RenderedEnvironment } from './render';
import { validateEnvironments, Waiver } from './validate';

export interface SynthResult {
  /** Every finding, sorted by file and position, each once. */
  readonly findings: Finding[];
  /** The waivers in force, by environment. */
  readonly waivers: Waiver[];
  /** The rendered environments; empty when any finding is an error (all render or none). */
  readonly rendered: RenderedEnvironment[];
}

/**
 * load -> validate -> build constructs -> synth -> check. Writes nothing.
 * @param outputDir where the files will be written: manifest findings name it
 */
export function synthesize(environmentsDir: string, outputDir = 'dist'): SynthResult {
  const loaded = loadEnvironments(environmentsDir);
  const { environments, waivers, ...validated } = validateEnvironments(loaded.environments);
  const sorted = (f: Finding[]) => unique(f).sort(compareFindings);
  const findings = sorted([...loaded.findings, ...validated.findings]);
  if (hasErrors(findings)) return { findings, waivers, rendered: [] };

  const rendered = renderEnvironments(environments);
  const checked = sorted([...findings, ...environments.flatMap((env, i) => checkManifests(env, rendered[i], outputDir))]);
  return { findings: checked, waivers, rendered: hasErrors(checked) ? [] : rendered };
}

/** A fragment shared by several environments reports its own problems once. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Map(findings.map((f) => [formatFinding(f), f]));
  return [...seen.values()];
}
