/** A key path into a document: strings are keys, numbers index lists. */
export type KeyPath = readonly (string | number)[];

/** A problem on a key path of the data a policy looked at, before anything places it in a file. */
export interface Problem {
  readonly path: KeyPath;
  /** Stable kebab-case id of the check that found it: waivers and CI annotations name it. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than its value (unknown keys, keys too new for the version). */
  readonly atKey?: boolean;
  /** The reason of the waiver (`policyExceptions`) that made this error a warning. */
  readonly waiver?: string;
}

export type Severity = 'error' | 'warning';

export const hasErrors = (problems: readonly { readonly severity: Severity }[]) => problems.some((p) => p.severity === 'error');

/** `config.backupPVC["gp3.fast"].readOnly`, `nodeAgent.tolerations[0].key`. */
export function formatPath(path: KeyPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z0-9_-]+$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/**
 * Text safe to print on one line: control characters (newlines included) and the Unicode line
 * separators are escaped, so a key or value echoed in a finding cannot forge another line, a
 * terminal escape, or a CI workflow command.
 */
export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
