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
  /** The reason of the waiver that made this error a warning (SARIF records it as a suppression). */
  readonly waiver?: string;
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
 * at most SHOWN_PER_RULE per rule, file and severity: the rest is one finding, placed after the
 * last one shown, that counts them.
 */
export function summarise(findings: readonly Finding[]): Finding[] {
  const unique = [...new Map(findings.map((f) => [formatFinding(f), f])).values()].sort(compareFindings);
  const groups = new Map<string, { count: number; summary?: { index: number; last: Finding } }>();
  const out: Finding[] = [];
  for (const f of unique) {
    const key = `${f.file}\0${f.rule}\0${f.severity}`;
    const group = groups.get(key) ?? { count: 0 };
    groups.set(key, group);
    group.count++;
    if (group.count <= SHOWN_PER_RULE) out.push(f);
    else if (!group.summary) group.summary = { index: out.push(f) - 1, last: out[out.length - 2] };
  }
  for (const { count, summary } of groups.values()) {
    if (!summary) continue;
    out[summary.index] = {
      ...summary.last, path: '', hint: 'fix those shown, then run again',
      message: `${count - SHOWN_PER_RULE} more ${summary.last.severity}s of ${summary.last.rule} in this file (${count} in all; the first ${SHOWN_PER_RULE} are shown)`,
    };
  }
  return out;
}
