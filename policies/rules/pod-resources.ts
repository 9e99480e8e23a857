import { compareQuantities, isQuantity, parseQuantity, Quantity } from '../kube';
import { Rule, Violation } from './rule';

const PAIRS = [
  ['cpuRequest', 'cpuLimit'],
  ['memoryRequest', 'memoryLimit'],
  ['ephemeralStorageRequest', 'ephemeralStorageLimit'],
] as const;

/** The quantity at `path`, or undefined with a violation when it is not one, or negative. */
export function quantityAt(path: readonly (string | number)[], text: string | number, found: Violation[]): Quantity | undefined {
  const value = parseQuantity(String(text));
  const problem = !isQuantity(value) ? value.problem : value.num < 0n ? 'is negative' : undefined;
  if (problem) {
    found.push({ path, message: `${JSON.stringify(text)} ${problem}`, hint: 'write e.g. "500m", "2", "512Mi", "1Gi"' });
    return undefined;
  }
  return value as Quantity;
}

export const podResources: Rule = {
  id: 'pod-resources',
  severity: 'error',
  summary:
    'podResources with one of the four cpu/memory fields missing, a value that is not a quantity, or a request above its limit: Velero ignores the whole section with only a log line.',
  check: ({ spec }) => {
    const section = spec.config?.podResources;
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
      const [req, lim] = pair.map((k) => (section[k] === undefined ? undefined : quantityAt([...path, k], section[k]!, found)));
      if (req && lim && lim.num !== 0n && compareQuantities(req, lim) > 0) {
        found.push({
          path: [...path, pair[0]],
          message: `${pair[0]} "${section[pair[0]]}" is above ${pair[1]} "${section[pair[1]]}"`,
          hint: 'lower the request or raise the limit ("0" means unbounded)',
        });
      }
    }
    return found;
  },
};

export const resourceQuantities: Rule = {
  id: 'resource-quantities',
  severity: 'error',
  summary: 'nodeAgent.resources with a value that is not a quantity, is negative or too large, or a request above its limit: the API server rejects the DaemonSet.',
  check: ({ spec }) => {
    const { requests = {}, limits = {} } = spec.nodeAgent?.resources ?? {};
    const path = ['nodeAgent', 'resources'];
    const found: Violation[] = [];
    const parsed = (kind: 'requests' | 'limits', list: Readonly<Record<string, string | number>>) =>
      new Map(Object.entries(list).map(([name, text]) => [name, quantityAt([...path, kind, name], text, found)]));
    const req = parsed('requests', requests);
    const lim = parsed('limits', limits);
    for (const [name, request] of req) {
      const limit = lim.get(name);
      if (request && limit && compareQuantities(request, limit) > 0) {
        found.push({
          path: [...path, 'requests', name],
          message: `the ${name} request ${JSON.stringify(requests[name])} is above its limit ${JSON.stringify(limits[name])}`,
          hint: 'Kubernetes requires requests <= limits: lower the request or raise the limit',
        });
      }
    }
    return found;
  },
};
