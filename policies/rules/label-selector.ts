import type { LabelSelector } from '../../velero/node-agent-config';
import { labelValueProblem, qualifiedNameProblem } from '../kube';
import { Rule, Violation } from './rule';

/** Key and value problems of a label map (`kind` names what the map is, for messages). */
export function labelMapProblems(path: (string | number)[], map: Readonly<Record<string, string>> = {}, kind = 'label'): Violation[] {
  return Object.entries(map).flatMap(([key, value]) => {
    const keyProblem = qualifiedNameProblem(key);
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    return [
      ...(keyProblem ? [{ path: [...path, key], atKey: true, message: `invalid ${kind} key "${key}": ${keyProblem}` }] : []),
      ...(valueProblem ? [{ path: [...path, key], message: `invalid ${kind} value: ${valueProblem}` }] : []),
    ];
  });
}

function selector(path: (string | number)[], s: LabelSelector | undefined): Violation[] {
  if (!s) return [];
  return [
    ...labelMapProblems([...path, 'matchLabels'], s.matchLabels),
    ...(s.matchExpressions ?? []).flatMap((expression, i) => {
      if (!expression) return [];
      const { key, operator, values = [] } = expression;
      const at = [...path, 'matchExpressions', i];
      const found: Violation[] = [];
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) found.push({ path: [...at, 'key'], message: `invalid label key "${key}": ${keyProblem}` });
      const needsValues = operator === 'In' || operator === 'NotIn';
      if (needsValues && values.length === 0) {
        found.push({ path: at, message: `operator ${operator} needs at least one value`, hint: 'add values, or use Exists / DoesNotExist' });
      }
      if (!needsValues && values.length > 0) {
        found.push({ path: [...at, 'values'], message: `operator ${operator} takes no values`, hint: 'remove values, or use In / NotIn' });
      }
      values.forEach((v, j) => {
        const problem = typeof v === 'string' ? labelValueProblem(v) : undefined;
        if (problem) found.push({ path: [...at, 'values', j], message: `invalid label value: ${problem}` });
      });
      return found;
    }),
  ];
}

export const labelSelector: Rule = {
  id: 'label-selector',
  severity: 'error',
  summary: 'Label selectors (loadConcurrency, loadAffinity) and nodeAgent.nodeSelector with invalid keys or values, or values given to Exists/DoesNotExist (or missing for In/NotIn): Kubernetes rejects them and Velero drops the rule.',
  check: ({ spec }) => [
    ...(spec.config?.loadConcurrency?.perNodeConfig ?? []).flatMap((r, i) =>
      selector(['config', 'loadConcurrency', 'perNodeConfig', i, 'nodeSelector'], r?.nodeSelector),
    ),
    ...(spec.config?.loadAffinity ?? []).flatMap((a, i) => selector(['config', 'loadAffinity', i, 'nodeSelector'], a?.nodeSelector)),
    ...labelMapProblems(['nodeAgent', 'nodeSelector'], spec.nodeAgent?.nodeSelector),
  ],
};
