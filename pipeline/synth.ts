import { compareFindings, Finding, formatFinding, hasErrors } from './findings';
import { loadEnvironments } from './load';
import { renderEnvironments, RenderedEnvironment } from './render';
import { validateEnvironments } from './validate';

export interface SynthResult {
  /** Every finding, sorted by file and position, each once. */
  readonly findings: Finding[];
  /** The rendered environments; empty when any finding is an error (all render or none). */
  readonly rendered: RenderedEnvironment[];
}

/** load -> validate -> build constructs -> synth. Writes nothing. */
export function synthesize(environmentsDir: string): SynthResult {
  const loaded = loadEnvironments(environmentsDir);
  const validated = validateEnvironments(loaded.environments);
  const findings = unique([...loaded.findings, ...validated.findings]).sort(compareFindings);
  if (hasErrors(findings)) return { findings, rendered: [] };
  return { findings, rendered: renderEnvironments(validated.environments) };
}

/** A fragment shared by several environments reports its own problems once. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Map(findings.map((f) => [formatFinding(f), f]));
  return [...seen.values()];
}
