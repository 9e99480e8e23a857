import { RESERVED_ENV } from '../../velero/daemonset';
import { DURATION_FLAGS, parseGoDuration } from '../../velero/server-flags';
import { Rule, Violation } from './rule';

export const serverFlagDuration: Rule = {
  id: 'server-flag-duration',
  severity: 'error',
  summary: 'nodeAgent.dataMoverPrepareTimeout or resourceTimeout that is not a positive Go duration: node-agent refuses to start, or every wait times out at once.',
  check: ({ spec }) =>
    (Object.keys(DURATION_FLAGS) as (keyof typeof DURATION_FLAGS)[]).flatMap((setting): Violation[] => {
      const text = spec.nodeAgent?.[setting];
      if (text === undefined) return [];
      const parsed = parseGoDuration(text);
      const problem = 'problem' in parsed ? `is not a Go duration: ${parsed.problem}` : parsed.nanoseconds <= 0n ? 'is not positive' : undefined;
      return problem
        ? [{ path: ['nodeAgent', setting], message: `${JSON.stringify(text)} ${problem}`, hint: `write e.g. "45m" or "1h30m" (${DURATION_FLAGS[setting].flag}, node-agent's default ${DURATION_FLAGS[setting].default})` }]
        : [];
    }),
};

export const reservedEnv: Rule = {
  id: 'reserved-env',
  severity: 'error',
  summary: `nodeAgent.env that sets a variable velero install sets itself (${RESERVED_ENV.join(', ')}): node-agent and the data-mover pods would see a second, conflicting value.`,
  check: ({ spec }) =>
    (spec.nodeAgent?.env ?? []).flatMap((variable, i): Violation[] =>
      variable && (RESERVED_ENV as readonly string[]).includes(variable.name)
        ? [{ path: ['nodeAgent', 'env', i, 'name'], message: `${variable.name} is set by Velero's DaemonSet itself`, hint: 'remove it; credentials come from credentialsSecret' }]
        : [],
    ),
};
