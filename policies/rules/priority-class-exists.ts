import { Rule, Violation } from './rule';

export const priorityClassExists: Rule = {
  id: 'priority-class-exists',
  severity: 'error',
  summary: 'nodeAgent.priorityClassName or config.priorityClassName that is not in the PriorityClass inventory: the API server refuses node-agent\'s pods, or Velero drops the class from data-mover pods.',
  needs: 'priorityClasses',
  applies: ({ spec }) => !!(spec.nodeAgent?.priorityClassName || spec.config?.priorityClassName),
  check: ({ spec }) => {
    const known = spec.inventory?.priorityClasses;
    if (!known) return [];
    const hint = `known classes: ${known.join(', ') || 'none'}; add it to priorityClasses if the cluster has it`;
    const found: Violation[] = [];
    const name = spec.nodeAgent?.priorityClassName;
    if (name && !known.includes(name)) {
      found.push({ path: ['nodeAgent', 'priorityClassName'], message: `PriorityClass "${name}" is not in priorityClasses: the API server refuses node-agent's pods`, hint });
    }
    const dataMover = spec.config?.priorityClassName;
    if (dataMover && !known.includes(dataMover)) {
      found.push({ path: ['config', 'priorityClassName'], message: `PriorityClass "${dataMover}" is not in priorityClasses: Velero drops it and data movers run at default priority`, hint });
    }
    return found;
  },
};
