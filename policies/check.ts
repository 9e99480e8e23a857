import { isPlatformName, resolvePlatform } from '../velero/platforms';
import { hasErrors, Problem } from './problem';
import { RULES } from './rules';
import { InventoryNeed, Rule, ruleContext, RuleContext } from './rules/rule';
import type { NodeAgentSpec } from './spec';
import { didYouMean, validateConfigSchema, validateSpecSchema } from './validator';
import { copyData, isMap } from './data';

/** A `policyExceptions` entry in force: that rule's errors are warnings for this spec. */
export interface AppliedWaiver {
  readonly rule: string;
  readonly reason: string;
  /** Where the waiver is: `policyExceptions[i].rule`. */
  readonly path: readonly (string | number)[];
}

/** A rule that had something to check but could not, for want of part of the inventory. */
export interface SkippedRule {
  readonly rule: string;
  readonly needs: InventoryNeed;
}

export interface SpecCheck {
  /** Schema problems, `null` values, rule findings (waived errors as warnings), waiver problems; paths are spec paths. */
  readonly problems: readonly Problem[];
  /** The spec, `null`s dropped, when nothing is an error; undefined otherwise. */
  readonly valid?: NodeAgentSpec;
  readonly waivers: readonly AppliedWaiver[];
  readonly skipped: readonly SkippedRule[];
}

/** Only errors can be waived: a waiver turns them into warnings. */
const WAIVABLE = RULES.filter((r) => r.severity === 'error').map((r) => r.id);

/**
 * Every check of one spec: schema, then the rules on what the schema accepted, so that one run
 * reports both. Never throws on bad input: a spec of any shape gives problems.
 */
export function checkSpec(spec: unknown): SpecCheck {
  const problems: Problem[] = [];
  const data = withoutNulls(spec, [], problems);
  const schema = validateSpecSchema(data);
  problems.push(...schema);
  const accepted = acceptedPart(data, schema);
  if (!accepted) return { problems, waivers: [], skipped: [] };

  const platform = isPlatformName(accepted.platform ?? 'kubernetes') ? resolvePlatform(accepted.platform, accepted.kubeletRootDir) : undefined;
  const context = ruleContext(accepted, platform);
  const exceptions = waiversOf(accepted, problems);
  for (const { rule, violations } of runRules(context, schema.length > 0)) {
    const waiver = exceptions.get(rule.id);
    if (waiver && violations.length) waiver.used = true;
    for (const v of violations) {
      const waived = waiver && { severity: 'warning' as const, hint: `waived: ${waiver.applied.reason}`, waiver: waiver.applied.reason };
      problems.push({ ...v, rule: rule.id, severity: rule.severity, ...waived });
    }
  }
  for (const w of exceptions.values()) {
    if (!w.used) problems.push({ path: w.applied.path, rule: 'policy-exception', severity: 'warning', message: `the waiver for ${w.applied.rule} matches nothing in this environment`, hint: 'remove it' });
  }
  const skipped = RULES.filter((r) => r.needs && !accepted.inventory?.[r.needs] && (r.applies?.(context) ?? true)).map((r) => ({ rule: r.id, needs: r.needs! }));
  return {
    problems,
    valid: hasErrors(problems) ? undefined : accepted,
    waivers: [...exceptions.values()].map((w) => w.applied),
    skipped,
  };
}

/**
 * The ConfigMap's JSON on its own, as `lint-configmap` sees it: its schema for `version`, and
 * every rule that needs neither a platform nor an inventory. Paths are relative to the JSON.
 */
export function checkConfig(config: unknown, version: string): Problem[] {
  const schema = validateConfigSchema(config, version);
  const inSpec = (p: Problem) => ({ ...p, path: ['config', ...p.path] });
  const accepted = acceptedPart({ version, config }, schema.map(inSpec));
  const found: Problem[] = [...schema];
  for (const { rule, violations } of accepted ? runRules(ruleContext(accepted, undefined), schema.length > 0) : []) {
    if (rule.needs) continue;
    for (const v of violations) {
      if (v.path[0] === 'config') found.push({ ...v, path: v.path.slice(1), rule: rule.id, severity: rule.severity });
    }
  }
  return found;
}

/**
 * Every rule on the context. `partial`: the schema rejected parts of the spec and the context
 * holds what it accepted, so a rule that cannot read what is left is skipped (the schema
 * findings already say what to fix). On a valid spec a throw is a bug and is not hidden.
 */
function runRules(context: RuleContext, partial: boolean): { rule: Rule; violations: ReturnType<Rule['check']> }[] {
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
 * A copy of `value` in prototype-free objects, each map entry whose value is `null` left out
 * with a warning: Go's decoder treats such a null as "not set", and so do we everywhere.
 */
function withoutNulls(value: unknown, path: (string | number)[], problems: Problem[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => withoutNulls(v, [...path, i], problems));
  if (!isMap(value)) return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child === null) {
      problems.push({ path: [...path, key], rule: 'null-value', severity: 'warning', message: `"${key}" is null, which is the same as leaving it out`, hint: 'remove the key, or give it a value' });
    } else {
      copy[key] = withoutNulls(child, [...path, key], problems);
    }
  }
  return copy;
}

/**
 * `data` without the values the schema rejected (list entries become holes, so indexes hold),
 * or undefined when not even a version string is left: every rule needs it. Copies first.
 */
export function acceptedPart(data: unknown, problems: readonly Problem[]): NodeAgentSpec | undefined {
  const copy = problems.length ? copyData(data) : data;
  for (const { path } of problems) {
    if (path.length === 0) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (isMap(node) || Array.isArray(node) ? (node as any)[key] : undefined), copy);
    if (isMap(parent) || Array.isArray(parent)) delete (parent as any)[path[path.length - 1]];
  }
  return isMap(copy) && typeof copy.version === 'string' ? (copy as unknown as NodeAgentSpec) : undefined;
}

/**
 * The spec's policyExceptions by rule. An unknown rule, a second waiver for one rule, or a rule
 * that only warns, is itself a finding; an entry without a reason (the schema reports it) waives nothing.
 */
function waiversOf(spec: NodeAgentSpec, problems: Problem[]) {
  const byRule = new Map<string, { applied: AppliedWaiver; used: boolean }>();
  const report = (path: (string | number)[], severity: Problem['severity'], message: string, hint: string) =>
    problems.push({ path, rule: 'policy-exception', severity, message, hint });
  (spec.policyExceptions ?? []).forEach((entry, i) => {
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
      byRule.set(rule, { applied: { rule, reason, path }, used: false });
    }
  });
  return byRule;
}
