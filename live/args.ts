/**
 * node-agent's container arguments as its flag parser (spf13/pflag) reads them: `node-agent server`,
 * then `--flag=value` or `--flag value`, the last of a repeated flag winning.
 */
import { LEGACY_CONFIGMAP_NAME } from '../velero/daemonset';
import { atLeast } from '../velero/releases';
import { isMap } from '../policies/data';

/** The flags an environment file models, by flag name. */
export const MODELLED_FLAGS = [
  'features', 'node-agent-configmap', 'backup-repository-configmap', 'log-level', 'log-format', 'data-mover-prepare-timeout', 'resource-timeout',
] as const;
export type ModelledFlag = (typeof MODELLED_FLAGS)[number];

export interface NodeAgentArgs {
  /** Whether the arguments start with `node-agent server`. */
  readonly server: boolean;
  readonly flags: ReadonlyMap<ModelledFlag, string>;
  /** `node-agent server` and the modelled flags, as written, in their order. */
  readonly modelled: readonly string[];
  /** Every other argument (a flag with its separate value as one string), as written. */
  readonly others: readonly string[];
}

export function parseArgs(args: readonly string[]): NodeAgentArgs {
  const server = args[0] === 'node-agent' && args[1] === 'server';
  const flags = new Map<ModelledFlag, string>();
  const modelled: string[] = server ? args.slice(0, 2) : [];
  const others: string[] = [];
  for (let i = server ? 2 : 0; i < args.length; i++) {
    const arg = args[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const separate = m && m[2] === undefined && i + 1 < args.length && !args[i + 1].startsWith('-') ? args[i + 1] : undefined;
    if (m && (MODELLED_FLAGS as readonly string[]).includes(m[1]) && (m[2] !== undefined || separate !== undefined)) {
      flags.set(m[1] as ModelledFlag, m[2] ?? separate!);
      modelled.push(...(separate === undefined ? [arg] : [arg, separate]));
    } else {
      others.push(separate === undefined ? arg : `${arg} ${separate}`);
    }
    if (separate !== undefined) i++;
  }
  return { server, flags, modelled, others };
}

/** The node-agent container of a DaemonSet (the one named after it, else the first), if any. */
export function nodeAgentContainer(daemonSet: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = isMap(daemonSet.spec) && isMap(daemonSet.spec.template) && isMap(daemonSet.spec.template.spec) ? daemonSet.spec.template.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isMap) : [];
  const name = isMap(daemonSet.metadata) ? daemonSet.metadata.name : undefined;
  return containers.find((c) => c.name === name) ?? containers[0];
}

/** The container's arguments, strings only. */
export function containerArgs(container: Record<string, unknown> | undefined): string[] {
  return Array.isArray(container?.args) ? container.args.filter((a): a is string => typeof a === 'string') : [];
}

/** The ConfigMap a node-agent of this Velero release reads: the flag's from 1.15, `node-agent-config` before; none when 1.15+ has no flag. */
export function configMapRead(args: NodeAgentArgs, version: string): string | undefined {
  return atLeast(version, '1.15.0') ? args.flags.get('node-agent-configmap') : LEGACY_CONFIGMAP_NAME;
}
