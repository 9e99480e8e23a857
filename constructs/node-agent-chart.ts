import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../policies/schema/environment';
import { hasConfigMapFlag, LEGACY_CONFIGMAP_NAME } from '../policies/versions';
import { NodeAgentConfigMap } from './node-agent-configmap';
import { NodeAgentDaemonSet } from './node-agent-daemonset';
import { OpenShiftSccBinding } from './openshift-scc-binding';
import { PlatformProfile } from './platforms';
import { VeleroNamespace } from './velero-namespace';

export interface NodeAgentChartProps {
  /** A validated environment. */
  readonly env: Environment;
  /** Its platform profile, `kubeletRootDir` applied. */
  readonly platform: PlatformProfile;
}

/**
 * Everything one environment renders. Construct ids (`namespace`, `config`, `node-agent`,
 * `scc-privileged`) are part of the contract: tests and tools find objects by them.
 */
export class NodeAgentChart extends Chart {
  constructor(scope: Construct, id: string, props: NodeAgentChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { env, platform } = props;
    const { version } = env.velero;
    const namespace = env.velero.namespace ?? 'velero';
    const serviceAccountName = env.velero.serviceAccountName ?? 'velero';
    const { privileged = platform.privileged, configMapName, ...settings } = env.nodeAgent ?? {};

    if (env.velero.createNamespace) new VeleroNamespace(this, 'namespace', { name: namespace, openshift: platform.openshift });
    if (platform.openshift) new OpenShiftSccBinding(this, 'scc-privileged', { namespace, serviceAccountName });

    const flag = hasConfigMapFlag(version);
    const config =
      env.config &&
      new NodeAgentConfigMap(this, 'config', {
        namespace,
        name: flag ? (configMapName ?? LEGACY_CONFIGMAP_NAME) : LEGACY_CONFIGMAP_NAME,
        config: env.config,
      });

    new NodeAgentDaemonSet(this, 'node-agent', {
      namespace,
      image: env.velero.image ?? `velero/velero:v${version}`,
      serviceAccountName,
      platform,
      privileged,
      features: env.velero.features,
      credentialsSecret: env.velero.credentialsSecret,
      configMap: config && { name: config.name, hash: config.hash, flag },
      settings,
    });
  }
}
