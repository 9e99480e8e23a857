import { labelValueProblem, qualifiedNameProblem } from '../kube';
import { Rule, Violation } from './rule';

/** The API server's toleration rules (pkg/apis/core/validation ValidateTolerations). */
export const tolerations: Rule = {
  id: 'tolerations',
  severity: 'error',
  summary: 'nodeAgent.tolerations the API server rejects: an invalid key or value, a value with Exists, no key without Exists, tolerationSeconds without NoExecute.',
  check: ({ spec }) =>
    (spec.nodeAgent?.tolerations ?? []).flatMap((t, i): Violation[] => {
      if (!t) return [];
      const at = ['nodeAgent', 'tolerations', i];
      const found: Violation[] = [];
      const exists = t.operator === 'Exists';
      const keyProblem = t.key ? qualifiedNameProblem(t.key) : undefined;
      if (keyProblem) found.push({ path: [...at, 'key'], message: `invalid taint key "${t.key}": ${keyProblem}` });
      if (!t.key && !exists) {
        found.push({ path: at, message: 'a toleration without a key must have operator Exists (it then matches every taint)', hint: 'add a key, or operator: Exists' });
      }
      if (exists && t.value) found.push({ path: [...at, 'value'], message: 'operator Exists takes no value', hint: 'remove value, or use operator: Equal' });
      const valueProblem = !exists && t.value ? labelValueProblem(t.value) : undefined;
      if (valueProblem) found.push({ path: [...at, 'value'], message: `invalid taint value: ${valueProblem}` });
      if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
        found.push({ path: [...at, 'tolerationSeconds'], message: 'tolerationSeconds applies only to effect NoExecute', hint: 'set effect: NoExecute, or remove tolerationSeconds' });
      }
      return found;
    }),
};
