import * as path from 'path';
import { PlatformProfile, resolvePlatform } from '../constructs/platforms';
import { RULES } from '../policies/rules';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';
import type { Environment } from '../policies/schema/environment';
import { validateEnvironmentSchema } from '../policies/validator';
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

export interface ValidationResult {
  readonly environments: ValidEnvironment[];
  readonly findings: Finding[];
}

/** Schema, then rules, then names across environments. Environments with errors are left out. */
export function validateEnvironments(loaded: readonly LoadedEnvironment[]): ValidationResult {
  const findings: Finding[] = [];
  const named: { name: string; file: SourceFile; valid?: ValidEnvironment }[] = [];

  for (const { file, sources, data } of loaded) {
    const name = environmentName(file, data, findings);
    const schema = validateEnvironmentSchema(data).map((p) => locate(p, sources));
    findings.push(...schema);
    if (schema.length) {
      if (name) named.push({ name, file });
      continue;
    }
    const env = data as Environment;
    const platform = resolvePlatform(env.platform, env.kubeletRootDir);
    const ruleFindings = RULES.flatMap((rule) =>
      rule.check({ env, platform }).map((v) => locate({ ...v, rule: rule.id, severity: rule.severity }, sources)),
    );
    findings.push(...ruleFindings);
    const ok = name !== undefined && !ruleFindings.some((f) => f.severity === 'error');
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
  return { environments, findings };
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
