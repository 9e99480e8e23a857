import { escapeText, Severity } from '../policies/problem';

/** A problem placed in a file, at its line and column. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Key path in the input, e.g. `config.backupPVC.gp3.readOnly`. */
  readonly path: string;
  /** Stable kebab-case id of the check that found it. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message);
}

/** `file:line:col  severity  rule-id  key.path  message (hint)`, on one line whatever the input held. */
export function formatFinding(f: Finding): string {
  const hint = f.hint ? ` (${f.hint})` : '';
  return escapeText(`${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.path || '-'}  ${f.message}${hint}`);
}

/** Findings of one rule in one file shown before the rest are summarised: output stays readable and bounded. */
export const SHOWN_PER_RULE = 20;

/**
 * Sorted, each once (a fragment shared by several environments reports its problems once), and
 * at most SHOWN_PER_RULE per rule, file and severity, the rest as one finding that counts them.
 */
export function summarise(findings: readonly Finding[]): Finding[] {
  const unique = [...new Map(findings.map((f) => [formatFinding(f), f])).values()].sort(compareFindings);
  const shown = new Map<string, { count: number; last: Finding }>();
  const out: Finding[] = [];
  for (const f of unique) {
    const group = `${f.file}\0${f.rule}\0${f.severity}`;
    const seen = shown.get(group) ?? { count: 0, last: f };
    seen.count++;
    shown.set(group, seen);
    if (seen.count <= SHOWN_PER_RULE) out.push(f);
  }
  for (const [, { count, last }] of shown) {
    if (count <= SHOWN_PER_RULE) continue;
    out.push({
      ...last, path: '', message: `${count - SHOWN_PER_RULE} more ${last.severity}s of ${last.rule} in this file (${count} in all; the first ${SHOWN_PER_RULE} are shown)`,
      hint: 'fix those shown, then run again',
    });
  }
  return out.sort(compareFindings);
}
