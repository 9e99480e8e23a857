import type { PlatformProfile } from '../constructs/platforms';
import type { Problem } from '../pipeline/findings';
import { RULES } from './rules';
import { Rule, RuleContext, Violation } from './rules/rule';
import type { Environment } from './schema/environment';

export interface RuleResult {
  readonly rule: Rule;
  readonly violations: Violation[];
}

/**
 * Every rule on `env`. `partial`: the schema rejected parts of the data and `env` is what it
 * accepted (see acceptedPart), so one run reports both; a rule that cannot read what is left
 * is skipped, as the schema findings already say what to fix. On valid data a throw is a bug.
 */
export function runRules(env: Environment, platform: PlatformProfile | undefined, partial: boolean): RuleResult[] {
  const context: RuleContext = { env, platform };
  return RULES.map((rule) => {
    try {
      return { rule, violations: rule.check(context) };
    } catch (e) {
      if (partial) return { rule, violations: [] };
      throw e;
    }
  });
}

/**
 * `data` without the values the schema rejected (list entries become holes, so indexes hold),
 * or undefined when not even velero.version is left: every rule needs it.
 */
export function acceptedPart(data: unknown, problems: readonly Problem[]): Environment | undefined {
  const copy = problems.length ? structuredClone(data) : data;
  for (const { path } of problems) {
    if (path.length === 0) continue;
    const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], copy);
    if (parent && typeof parent === 'object') delete parent[path[path.length - 1]];
  }
  const env = copy as Environment | undefined;
  return typeof env?.velero?.version === 'string' ? env : undefined;
}
