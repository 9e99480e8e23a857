import { escapeText } from '../policies/problem';
import { Finding, formatFinding } from '../pipeline/findings';
import type { Skipped, Waiver } from '../pipeline/synth';

export type Format = 'text' | 'json';

/**
 * Findings grouped by file (a blank line between files), then the waivers in force and the checks
 * that could not run; all on stderr, or JSON on stdout.
 */
export function report(findings: readonly Finding[], waivers: readonly Waiver[], format: Format, skipped: readonly Skipped[] = []): void {
  if (format === 'json') {
    const json = ({ file, line, column, path, rule, severity, message, hint }: Finding) =>
      ({ file, line, column, path, rule, severity, message, hint: hint ?? null });
    console.log(JSON.stringify({ findings: findings.map(json), waivers, skipped }, null, 2));
    return;
  }
  findings.forEach((f, i) => {
    if (i > 0 && findings[i - 1].file !== f.file) console.error('');
    console.error(formatFinding(f));
  });
  if (waivers.length) {
    console.error(`${findings.length ? '\n' : ''}Waivers in force:`);
    for (const w of waivers) console.error(escapeText(`${w.file}:${w.line}:${w.column}  waiver  ${w.rule}  ${w.environment}  ${w.reason}`));
  }
  if (skipped.length) {
    console.error(`${findings.length || waivers.length ? '\n' : ''}Not checked, for want of an inventory:`);
    for (const s of skipped) console.error(escapeText(`${s.environment}: ${s.rules.join(', ')} (add ${s.needs.join(' and ')} to check them)`));
  }
}

/** `2 errors, 1 warning; <outcome>`, after a blank line when findings were printed. */
export function summary(findings: readonly Finding[], outcome: string): string {
  return `${findings.length ? '\n' : ''}${count(findings, 'error')}, ${count(findings, 'warning')}; ${outcome}`;
}

export function count(findings: readonly Finding[], severity: Finding['severity']): string {
  const n = findings.filter((f) => f.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
}
