import { Rule } from './rule';

const OS_LABEL = 'kubernetes.io/os';

export const nodeSelectorOs: Rule = {
  id: 'node-selector-os',
  severity: 'error',
  summary: `nodeAgent.nodeSelector that sets ${OS_LABEL}: node-agent runs on Linux nodes, and this tool sets the OS scheduling of each release itself (a Windows value would be overwritten).`,
  check: ({ spec }) =>
    Object.prototype.hasOwnProperty.call(spec.nodeAgent?.nodeSelector ?? {}, OS_LABEL)
      ? [{
          path: ['nodeAgent', 'nodeSelector', OS_LABEL],
          atKey: true,
          message: `${OS_LABEL} is set by this tool: node-agent runs on Linux nodes (node-agent-windows, with nodeAgent.windows, on Windows ones)`,
          hint: `remove ${OS_LABEL} from nodeSelector`,
        }]
      : [],
};
