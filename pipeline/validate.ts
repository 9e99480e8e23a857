import * as path from 'path';
import { PlatformProfile, resolvePlatform } from '../constructs/platforms';
import { RULES } from '../policies/rules';
import { acceptedPart, runRules } from '../policies/run-rules';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';
import type { Environment } from '../policies/schema/environment';
import { didYouMean, validateEnvironmentSchema } from '../policies/validator';
import { Finding } from './findings';
import { LoadedEnvironment } from './load';
import { locate, SourceFile } from './source';

/** An environment that passed every check: safe to render. */
export interface ValidEnvironment {
  readonly name: string;
  readonly env: Environment;
  readonly platform: PlatformProfile;
  /** The environment file. */
  readonly file: SourceFile;
  /** Every file that contributed, fragments first. */
  readonly sources: readonly SourceFile[];
}

/** A `policyExceptions` entry in force: that rule's errors are warnings in that environment. */
export interface Waiver {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly environment: string;
  readonly rule: string;
  readonly reason: string;
}

export interface ValidationResult {
  readonly environments: ValidEnvironment[];
  readonly findings: Finding[];
  readonly waivers: Waiver[];
}

/** Only errors can be waived: a waiver turns them into warnings. */
const WAIVABLE = RULES.filter((r) => r.severity === 'error').map((r) => r.id);

/** Schema, then rules, then names across environments. Environments with errors are left out. */
export function validateEnvironments(loaded: readonly LoadedEnvironment[]): ValidationResult {
  const findings: Finding[] = [];
  const waivers: Waiver[] = [];
  const named: { name: string; file: SourceFile; valid?: ValidEnvironment }[] = [];

  for (const { file, sources, data } of loaded) {
    const name = environmentName(file, data, findings);
    const schema = validateEnvironmentSchema(data);
    findings.push(...schema.map((p) => locate(p, sources)));
    const env = acceptedPart(data, schema);
    if (!env) {
      if (name) named.push({ name, file });
      continue;
    }
    const platform = resolvePlatform(env.platform, env.kubeletRootDir);
    const exceptions = waiversOf(env, sources, name ?? file.file, findings);
    const ruleFindings = runRules(env, platform, schema.length > 0).flatMap(({ rule, violations }) => {
      const waiver = exceptions.get(rule.id);
      if (waiver && violations.length) waiver.used = true;
      const severity = waiver ? 'warning' : rule.severity;
      return violations.map((v) => locate({ ...v, rule: rule.id, severity, hint: waiver ? `waived: ${waiver.reason}` : v.hint }, sources));
    });
    findings.push(...ruleFindings);
    for (const w of exceptions.values()) {
      waivers.push(w.waiver);
      if (!w.used) findings.push(locate({ path: w.path, rule: 'policy-exception', severity: 'warning', message: `the waiver for ${w.waiver.rule} matches nothing in this environment`, hint: 'remove it' }, sources));
    }
    const ok = name !== undefined && schema.length === 0 && !ruleFindings.some((f) => f.severity === 'error');
    if (name) named.push({ name, file, valid: ok ? { name, env, platform, file, sources } : undefined });
  }

  const byName = new Map<string, typeof named>();
  for (const n of named) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const n of same) {
      const others = same.filter((o) => o !== n).map((o) => o.file.file).join(', ');
      findings.push({
        file: n.file.file, ...(n.file.position(['name']) ?? { line: 1, column: 1 }), path: 'name', rule: 'duplicate-name', severity: 'error',
        message: `environment name "${name}" is also used by ${others}`,
        hint: 'each environment renders into dist/<name>/: give each a distinct name',
      });
    }
  }
  const environments = named.filter((n) => n.valid && byName.get(n.name)!.length === 1).map((n) => n.valid!);
  return { environments, findings, waivers };
}

/**
 * The environment's policyExceptions by rule. An unknown rule, a second waiver for one rule,
 * or a rule that is only a warning, is itself a finding; an entry without a reason (the
 * schema reports it) waives nothing.
 */
function waiversOf(env: Environment, sources: readonly SourceFile[], environment: string, findings: Finding[]) {
  const byRule = new Map<string, { waiver: Waiver; reason: string; path: (string | number)[]; used: boolean }>();
  const report = (path: (string | number)[], severity: Finding['severity'], message: string, hint: string) =>
    findings.push(locate({ path, rule: 'policy-exception', severity, message, hint }, sources));
  (env.policyExceptions ?? []).forEach((entry, i) => {
    if (!entry?.rule || !entry.reason?.trim()) return;
    const { rule, reason } = entry;
    const path = ['policyExceptions', i, 'rule'];
    const known = RULES.find((r) => r.id === rule);
    if (!known) {
      const suggestion = didYouMean(rule, WAIVABLE);
      report(path, 'error', `unknown rule "${rule}"`, suggestion ? `did you mean "${suggestion}"?` : `rules that can be waived: ${WAIVABLE.join(', ')}`);
    } else if (byRule.has(rule)) {
      report(path, 'error', `${rule} is already waived by an earlier entry`, 'keep one waiver per rule');
    } else if (known.severity !== 'error') {
      report(path, 'warning', `${rule} only warns: there is nothing to waive`, 'remove this waiver');
    } else {
      const at = locate({ path, rule: 'policy-exception', severity: 'warning', message: '' }, sources);
      byRule.set(rule, { waiver: { file: at.file, line: at.line, column: at.column, environment, rule, reason }, reason, path, used: false });
    }
  });
  return byRule;
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
