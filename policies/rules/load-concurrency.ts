import { selectorsCanOverlap } from '../kube';
import { Rule, Violation } from './rule';

/** Pairs compared at most: beyond it the overlap check stops with one finding, so cost stays bounded. */
const MAX_PAIRS = 50_000;

export const loadConcurrencyMinimum: Rule = {
  id: 'load-concurrency-minimum',
  severity: 'error',
  summary: 'loadConcurrency globalConfig, perNodeConfig[].number or prepareQueueLength below 1: Velero turns globalConfig into 1, skips the rule, or ignores the queue length.',
  check: ({ spec }) => {
    const lc = spec.config?.loadConcurrency;
    if (!lc) return [];
    const found: Violation[] = [];
    const atLeastOne = (path: (string | number)[], value: number | undefined, effect: string) => {
      if (value !== undefined && value < 1) found.push({ path, message: `${path[path.length - 1]} is ${value}: ${effect}`, hint: 'use 1 or more' });
    };
    atLeastOne(['config', 'loadConcurrency', 'globalConfig'], lc.globalConfig, 'Velero uses 1 instead');
    atLeastOne(['config', 'loadConcurrency', 'prepareQueueLength'], lc.prepareQueueLength, 'Velero ignores it');
    (lc.perNodeConfig ?? []).forEach((rule, i) =>
      atLeastOne(['config', 'loadConcurrency', 'perNodeConfig', i, 'number'], rule?.number, 'Velero skips this rule'),
    );
    return found;
  },
};

export const loadConcurrencyOverlap: Rule = {
  id: 'load-concurrency-overlap',
  severity: 'warning',
  summary: 'Two loadConcurrency.perNodeConfig rules that can match the same node: the smallest number wins there, which is easy to miss.',
  check: ({ spec }) => {
    // Velero skips rules whose number is below 1; holes are entries the schema rejected.
    const rules = (spec.config?.loadConcurrency?.perNodeConfig ?? [])
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) => rule?.nodeSelector && rule.number >= 1);
    const found: Violation[] = [];
    let compared = 0;
    for (let j = 1; j < rules.length; j++) {
      for (let i = 0; i < j; i++) {
        if (++compared > MAX_PAIRS) {
          found.push({
            path: ['config', 'loadConcurrency', 'perNodeConfig'],
            message: `${rules.length} rules: overlaps were checked for the first ${MAX_PAIRS} pairs only`,
            hint: 'fewer, broader rules are easier to reason about',
          });
          return found;
        }
        const [a, b] = [rules[i], rules[j]];
        if (selectorsCanOverlap(a.rule.nodeSelector, b.rule.nodeSelector)) {
          found.push({
            path: ['config', 'loadConcurrency', 'perNodeConfig', b.index, 'nodeSelector'],
            message: `can match the same nodes as perNodeConfig[${a.index}]; on those nodes the smallest number (${Math.min(a.rule.number, b.rule.number)}) wins`,
            hint: 'make the selectors exclusive, or accept the smaller number',
          });
        }
      }
    }
    return found;
  },
};
