export { formatPath } from '../policies/key-path';

/** A problem found in an input, placed at its file, line and column. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Key path in the environment, e.g. `config.backupPVC.gp3.readOnly`. */
  readonly path: string;
  /** Stable kebab-case id of the check that found it. */
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
}

/** A problem on a data path, before it is placed in a file. */
export interface Problem {
  /** Segments of the key path; numbers index lists. */
  readonly path: readonly (string | number)[];
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than its value (unknown keys, keys too new for the version). */
  readonly atKey?: boolean;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}

/** `file:line:col  severity  rule-id  key.path  message (hint)` */
export function formatFinding(f: Finding): string {
  const hint = f.hint ? ` (${f.hint})` : '';
  return `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.path || '-'}  ${f.message}${hint}`;
}

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.severity === 'error');
