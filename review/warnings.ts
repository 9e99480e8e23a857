/**
 * The policy warnings a change adds: every environment synthesized before and after, and the
 * warnings after that were not there before. Lines move whenever a file is edited, so warnings
 * are matched by file (relative to its environments folder), rule, key path and message.
 */
import * as path from 'path';
import { Finding } from '../pipeline/findings';
import { synthesize } from '../pipeline/synth';

export interface NewWarnings {
  /** Warnings after the change that were not there before, as `validate` reports them. */
  readonly findings: readonly Finding[];
  /** Errors in the environments after the change: then the committed tree is not what they render. */
  readonly errors: number;
}

/**
 * @param before the environments folder before the change, or undefined when there was none
 * @param after the environments folder after the change
 * @param output the output folder, which findings on rendered manifests name
 */
export function newWarnings(before: string | undefined, after: string, output: string): NewWarnings {
  const key = (root: string) => (f: Finding) => [path.relative(path.resolve(root), path.resolve(f.file)), f.rule, f.path, f.message].join('\0');
  const known = new Set(before === undefined ? [] : synthesize(before, output).findings.filter(isWarning).map(key(before)));
  const { findings } = synthesize(after, output);
  return {
    findings: findings.filter((f) => isWarning(f) && !known.has(key(after)(f))),
    errors: findings.filter((f) => f.severity === 'error').length,
  };
}

const isWarning = (f: Finding) => f.severity === 'warning';
