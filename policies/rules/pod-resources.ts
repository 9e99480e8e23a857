import { compareQuantities, parseQuantity } from '../kube';
import { Rule, Violation } from './rule';

const PAIRS = [
  ['cpuRequest', 'cpuLimit'],
  ['memoryRequest', 'memoryLimit'],
  ['ephemeralStorageRequest', 'ephemeralStorageLimit'],
] as const;

export const podResources: Rule = {
  id: 'pod-resources',
  severity: 'error',
  summary:
    'podResources with one of the four cpu/memory fields missing, a value that is not a quantity, or a request above its limit: Velero ignores the whole section with only a log line.',
  check: ({ env }) => {
    const section = env.config?.podResources;
    if (!section) return [];
    const path = ['config', 'podResources'];
    const found: Violation[] = [];
    const required = PAIRS.slice(0, 2).flat();
    const missing = required.filter((k) => !section[k]);
    const set = Object.keys(section).filter((k) => section[k as keyof typeof section] !== undefined);
    if (missing.length && set.length) {
      found.push({
        path,
        message: `podResources sets ${set.join(', ')} but not ${missing.join(', ')}`,
        hint: 'Velero uses the section only when all four are set ("0" means unbounded)',
      });
    }
    for (const pair of PAIRS) {
      const [request, limit] = pair.map((k) => section[k]);
      const values = pair.map((k) => {
        const text = section[k];
        if (text === undefined) return undefined;
        const value = parseQuantity(text);
        if (value === undefined || value.num < 0n) {
          const problem = value === undefined ? 'is not a Kubernetes quantity' : 'is negative';
          found.push({ path: [...path, k], message: `"${text}" ${problem}`, hint: 'write e.g. "500m", "2", "512Mi", "1Gi"' });
          return undefined;
        }
        return value;
      });
      const [req, lim] = values;
      if (req && lim && lim.num !== 0n && compareQuantities(req, lim) > 0) {
        found.push({
          path: [...path, pair[0]],
          message: `${pair[0]} "${request}" is above ${pair[1]} "${limit}"`,
          hint: 'lower the request or raise the limit ("0" means unbounded)',
        });
      }
    }
    return found;
  },
};
