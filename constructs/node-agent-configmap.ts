import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { NodeAgentConfig } from '../velero/node-agent-config';
import { BEFORE_NODE_AGENT } from './delivery';

/** The single data key. Velero takes whichever key is there; from 1.18 more than one is a startup error (node_agent.go GetConfigs). */
const CONFIG_DATA_KEY = 'node-agent-config.json';

export interface NodeAgentConfigMapProps {
  readonly namespace: string;
  /** `node-agent-config` before Velero 1.15, else the name passed by `--node-agent-configmap`. */
  readonly name: string;
  /** The JSON Velero decodes, already validated for the environment's Velero version. */
  readonly config: NodeAgentConfig;
}

/** The node-agent ConfigMap: exactly one data key holding the JSON, keys sorted. */
export class NodeAgentConfigMap extends Construct {
  readonly name: string;
  /** sha256 of the data: the DaemonSet's pod template carries it, so a config change rolls node-agent. */
  readonly hash: string;

  constructor(scope: Construct, id: string, props: NodeAgentConfigMapProps) {
    super(scope, id);
    const json = JSON.stringify(sortKeys(props.config), null, 2) + '\n';
    this.name = props.name;
    this.hash = createHash('sha256').update(json).digest('hex');
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { component: 'velero' }, annotations: { ...BEFORE_NODE_AGENT } },
      data: { [CONFIG_DATA_KEY]: json },
    });
  }
}

/** A copy of `value` with every map's keys in sorted order, so equal configs serialise equally. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
