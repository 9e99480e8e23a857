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
  const candidates: ValidEnvironment[] = [];

  for (const { file, sources, data } of loaded) {
    const schema = validateEnvironmentSchema(data).map((p) => locate(p, sources));
    findings.push(...schema);
    if (schema.length) continue;

    const env = data as Environment;
    const platform = resolvePlatform(env.platform, env.kubeletRootDir);
    const ruleFindings = RULES.flatMap((rule) =>
      rule.check({ env, platform }).map((v) => locate({ ...v, rule: rule.id, severity: rule.severity }, sources)),
    );
    findings.push(...ruleFindings);

    const name = env.name ?? path.basename(file.file).replace(/\.ya?ml$/, '');
    if (!env.name && !new RegExp(DNS_LABEL_PATTERN).test(name)) {
      findings.push({
        file: file.file, line: 1, column: 1, path: 'name', rule: 'environment-name', severity: 'error',
        message: `the file name "${name}" is not a valid environment name (a DNS-1123 label)`,
        hint: 'rename the file, or set name: to lower-case letters, digits and "-"',
      });
      continue;
    }
    if (!ruleFindings.some((f) => f.severity === 'error')) candidates.push({ name, env, platform, file, sources });
  }

  const byName = new Map<string, ValidEnvironment[]>();
  for (const c of candidates) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const c of same) {
      const others = same.filter((o) => o !== c).map((o) => o.file.file).join(', ');
      const at = c.file.position(['name']) ?? { line: 1, column: 1 };
      findings.push({
        file: c.file.file, ...at, path: 'name', rule: 'duplicate-name', severity: 'error',
        message: `environment name "${name}" is also used by ${others}`,
        hint: 'each environment renders into dist/<name>/: give each a distinct name',
      });
    }
  }
  return { environments: candidates.filter((c) => byName.get(c.name)!.length === 1), findings };
}
