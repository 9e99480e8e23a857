import { selectorsCanOverlap } from '../kube';
import { Rule, Violation } from './rule';

export const loadConcurrencyMinimum: Rule = {
  id: 'load-concurrency-minimum',
  severity: 'error',
  summary: 'loadConcurrency globalConfig, perNodeConfig[].number or prepareQueueLength below 1: Velero turns globalConfig into 1, skips the rule, or ignores the queue length.',
  check: ({ env }) => {
    const lc = env.config?.loadConcurrency;
    if (!lc) return [];
    const found: Violation[] = [];
    const atLeastOne = (path: (string | number)[], value: number | undefined, effect: string) => {
      if (value !== undefined && value < 1) found.push({ path, message: `${path[path.length - 1]} is ${value}: ${effect}`, hint: 'use 1 or more' });
    };
    atLeastOne(['config', 'loadConcurrency', 'globalConfig'], lc.globalConfig, 'Velero uses 1 instead');
    atLeastOne(['config', 'loadConcurrency', 'prepareQueueLength'], lc.prepareQueueLength, 'Velero ignores it');
    (lc.perNodeConfig ?? []).forEach((rule, i) =>
      atLeastOne(['config', 'loadConcurrency', 'perNodeConfig', i, 'number'], rule.number, 'Velero skips this rule'),
    );
    return found;
  },
};

export const loadConcurrencyOverlap: Rule = {
  id: 'load-concurrency-overlap',
  severity: 'warning',
  summary: 'Two loadConcurrency.perNodeConfig rules that can match the same node: the smallest number wins there, which is easy to miss.',
  check: ({ env }) => {
    const rules = env.config?.loadConcurrency?.perNodeConfig ?? [];
    const applied = (r: (typeof rules)[number]) => r.number >= 1; // Velero skips the others
    return rules.flatMap((later, j) =>
      rules.slice(0, j).flatMap((earlier, i) =>
        applied(earlier) && applied(later) && selectorsCanOverlap(earlier.nodeSelector, later.nodeSelector)
          ? [{
              path: ['config', 'loadConcurrency', 'perNodeConfig', j, 'nodeSelector'],
              message: `can match the same nodes as perNodeConfig[${i}]; on those nodes the smallest number (${Math.min(earlier.number, later.number)}) wins`,
              hint: 'make the selectors exclusive, or accept the smaller number',
            }]
          : [],
      ),
    );
  },
};
