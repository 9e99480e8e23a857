import { labelKeyProblem, labelValueProblem } from '../kube';
import type { LabelSelector } from '../schema/node-agent-config';
import { Rule, Violation } from './rule';

function labels(path: (string | number)[], map: Record<string, string> = {}): Violation[] {
  return Object.entries(map).flatMap(([key, value]) => {
    const keyProblem = labelKeyProblem(key);
    const valueProblem = labelValueProblem(value);
    return [
      ...(keyProblem ? [{ path: [...path, key], atKey: true, message: `invalid label key "${key}": ${keyProblem}` }] : []),
      ...(valueProblem ? [{ path: [...path, key], message: `invalid label value: ${valueProblem}` }] : []),
    ];
  });
}

function selector(path: (string | number)[], s: LabelSelector): Violation[] {
  return [
    ...labels([...path, 'matchLabels'], s.matchLabels),
    ...(s.matchExpressions ?? []).flatMap(({ key, operator, values = [] }, i) => {
      const at = [...path, 'matchExpressions', i];
      const found: Violation[] = [];
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) found.push({ path: [...at, 'key'], message: `invalid label key "${key}": ${keyProblem}` });
      const needsValues = operator === 'In' || operator === 'NotIn';
      if (needsValues && values.length === 0) {
        found.push({ path: at, message: `operator ${operator} needs at least one value`, hint: 'add values, or use Exists / DoesNotExist' });
      }
      if (!needsValues && values.length > 0) {
        found.push({ path: [...at, 'values'], message: `operator ${operator} takes no values`, hint: 'remove values, or use In / NotIn' });
      }
      values.forEach((v, j) => {
        const problem = labelValueProblem(v);
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
  check: ({ env }) => [
    ...(env.config?.loadConcurrency?.perNodeConfig ?? []).flatMap((r, i) =>
      selector(['config', 'loadConcurrency', 'perNodeConfig', i, 'nodeSelector'], r.nodeSelector),
    ),
    ...(env.config?.loadAffinity ?? []).flatMap((a, i) => selector(['config', 'loadAffinity', i, 'nodeSelector'], a.nodeSelector)),
    ...labels(['nodeAgent', 'nodeSelector'], env.nodeAgent?.nodeSelector),
  ],
};
