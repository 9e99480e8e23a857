import { CHECKS } from '../policies/checks';
import { escapeText } from '../policies/problem';
import { RULES } from '../policies/rules';
import { Finding, formatFinding } from '../pipeline/findings';
import type { Skipped, Waiver } from '../pipeline/synth';
import type { Format } from './options';
import { packageVersion } from './version';

/** What one run found, to be reported. */
export interface Report {
  readonly findings: readonly Finding[];
  readonly waivers?: readonly Waiver[];
  readonly skipped?: readonly Skipped[];
  /** Every input file read: JUnit gives each its suite. */
  readonly inputs?: readonly string[];
}

/**
 * `text`: findings grouped by file (a blank line between files), then the waivers in force and the
 * checks that could not run, all on stderr. `json`: all of it on stdout. `sarif`, `junit`,
 * `github`: the findings on stdout for a CI system, the waivers and skipped checks on stderr.
 */
export function report({ findings, waivers = [], skipped = [], inputs = [] }: Report, format: Format): void {
  const cwd = process.cwd();
  switch (format) {
    case 'json': {
      const json = ({ file, line, column, path, rule, severity, message, hint }: Finding) =>
        ({ file, line, column, path, rule, severity, message, hint: hint ?? null });
      console.log(JSON.stringify({ findings: findings.map(json), waivers, skipped }, null, 2));
      return;
    }
    // The CI formats are loaded when asked for: synth and check never need them.
    case 'sarif': {
      const { sarif } = require('./formats/sarif') as typeof import('./formats/sarif');
      console.log(sarif(findings, { version: packageVersion(), rules: [...RULES, ...CHECKS], cwd }));
      break;
    }
    case 'junit': {
      const { junit } = require('./formats/junit') as typeof import('./formats/junit');
      console.log(junit(findings, { version: packageVersion(), inputs, cwd }));
      break;
    }
    case 'github': {
      const { githubAnnotations } = require('./formats/github') as typeof import('./formats/github');
      for (const line of githubAnnotations(findings, cwd)) console.log(line);
      break;
    }
    case 'text':
      findings.forEach((f, i) => {
        if (i > 0 && findings[i - 1].file !== f.file) console.error('');
        console.error(formatFinding(f));
      });
  }
  let printed = format === 'text' && findings.length > 0;
  if (waivers.length) {
    console.error(`${printed ? '\n' : ''}Waivers in force:`);
    for (const w of waivers) console.error(escapeText(`${w.file}:${w.line}:${w.column}  waiver  ${w.rule}  ${w.environment}  ${w.reason}`));
    printed = true;
  }
  if (skipped.length) {
    console.error(`${printed ? '\n' : ''}Not checked, for want of an inventory:`);
    for (const s of skipped) console.error(escapeText(`${s.environment}: ${s.rules.join(', ')} (add ${s.needs.join(' and ')} to check them)`));
  }
}

/** `2 errors, 1 warning; <outcome>`, after a blank line when something was printed above it (by default: the findings). */
export function summary(findings: readonly Finding[], outcome: string, blankLineBefore = findings.length > 0): string {
  return `${blankLineBefore ? '\n' : ''}${count(findings, 'error')}, ${count(findings, 'warning')}; ${outcome}`;
}

export function count(findings: readonly Finding[], severity: Finding['severity']): string {
  const n = findings.filter((f) => f.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
}
