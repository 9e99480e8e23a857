import { createHash } from 'crypto';
import * as semver from 'semver';
import { isDeepStrictEqual } from 'util';
import type { PlatformProfile } from '../../constructs/platforms';
import type { Environment } from '../schema/environment';
import type { ManifestViolation } from './types';

/**
 * The DaemonSet contract of `velero install` (v1.18.1), written out from
 * ../shared/velero-node-agent.md section 2 rather than imported from constructs/, so that a
 * bug there cannot pass its own check. Each check returns [rule id, violation].
 */
export type ContractViolation = ManifestViolation & {
  readonly rule: ContractRule;
  /** The object the path is in. */
  readonly object: 'daemonSet' | 'configMap';
};
export type ContractRule = 'daemonset-contract' | 'privileged-escalation' | 'privileged-only-when-needed' | 'host-path-allowed';

export interface RenderedObjects {
  readonly daemonSet: any;
  readonly configMap?: any;
}

export function nodeAgentContractViolations(objects: RenderedObjects, env: Environment, platform: PlatformProfile): ContractViolation[] {
  const found: ContractViolation[] = [];
  const ds = objects.daemonSet;
  const pod = ds?.spec?.template?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const container = containers[0] ?? {};
  const violation = (rule: ContractRule, path: (string | number)[], message: string, object: ContractViolation['object'] = 'daemonSet') =>
    found.push({ rule, path, message, object });
  const expect = (path: (string | number)[], actual: unknown, expected: unknown, rule: ContractRule = 'daemonset-contract', object?: ContractViolation['object']) => {
    if (!isDeepStrictEqual(actual, expected)) violation(rule, path, `expected ${JSON.stringify(expected)}, rendered ${JSON.stringify(actual)}`, object);
  };
  const volumeIndex = (name: string) => (pod.volumes ?? []).findIndex((v: any) => v.name === name);
  const mountIndex = (name: string) => (container.volumeMounts ?? []).findIndex((m: any) => m.name === name);
  const templatePath = ['spec', 'template', 'spec'];
  const containerPath = [...templatePath, 'containers', 0];

  expect(['metadata', 'name'], ds?.metadata?.name, 'node-agent');
  expect(['metadata', 'labels', 'component'], ds?.metadata?.labels?.component, 'velero');
  expect(['spec', 'selector'], ds?.spec?.selector, { matchLabels: { name: 'node-agent' } });
  for (const [key, value] of Object.entries({ component: 'velero', name: 'node-agent', role: 'node-agent' })) {
    expect(['spec', 'template', 'metadata', 'labels', key], ds?.spec?.template?.metadata?.labels?.[key], value);
  }
  expect([...templatePath, 'containers'], containers.map((c) => c.name), ['node-agent']);
  expect([...containerPath, 'command'], container.command, ['/velero']);
  expect([...containerPath, 'args'], container.args?.slice(0, 2), ['node-agent', 'server']);
  expect([...containerPath, 'ports'], container.ports, [{ name: 'metrics', containerPort: 8085 }]);
  expect([...containerPath, 'env'], container.env?.slice(0, 3), [
    { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
  ]);
  expect([...templatePath, 'securityContext', 'runAsUser'], pod.securityContext?.runAsUser, 0);
  if (pod.automountServiceAccountToken === false) {
    violation('daemonset-contract', [...templatePath, 'automountServiceAccountToken'], 'node-agent needs its service-account token');
  }
  expect([...templatePath, 'affinity', 'nodeAffinity'], pod.affinity?.nodeAffinity, {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] }],
    },
  });
  if (!env.nodeAgent?.resources) expect([...containerPath, 'resources'], container.resources, undefined);

  // Volumes: names Velero reads, HostToContainer propagation, plugins at the host's own path.
  const hostPaths: Record<string, string> = { 'host-pods': platform.hostPodsPath, 'host-plugins': platform.hostPluginsPath };
  for (const name of ['host-pods', 'host-plugins', 'scratch']) {
    const i = volumeIndex(name);
    const at = [...templatePath, 'volumes', ...(i < 0 ? [] : [i])];
    if (i < 0) violation('daemonset-contract', at, `volume "${name}" is missing (Velero reads it by this name)`);
    else if (name === 'scratch') expect([...at, 'emptyDir'], pod.volumes[i].emptyDir, {});
    else expect([...at, 'hostPath', 'path'], pod.volumes[i].hostPath?.path, hostPaths[name], 'host-path-allowed');
  }
  const pluginsPath = pod.volumes?.[volumeIndex('host-plugins')]?.hostPath?.path;
  const mounts: [string, string | undefined, string | undefined][] = [
    ['host-pods', '/host_pods', 'HostToContainer'],
    ['host-plugins', pluginsPath, 'HostToContainer'],
    ['scratch', '/scratch', undefined],
  ];
  for (const [name, mountPath, propagation] of mounts) {
    const i = mountIndex(name);
    const mount = container.volumeMounts?.[i];
    if (i < 0) violation('daemonset-contract', [...containerPath, 'volumeMounts'], `volume mount "${name}" is missing`);
    else expect([...containerPath, 'volumeMounts', i], [mount.mountPath, mount.mountPropagation], [mountPath, propagation]);
  }
  const allowedHostPaths = new Set([platform.hostPodsPath, platform.hostPluginsPath]);
  (pod.volumes ?? []).forEach((v: any, i: number) => {
    if (v.hostPath && !allowedHostPaths.has(v.hostPath.path) && !(v.name in hostPaths)) {
      violation('host-path-allowed', [...templatePath, 'volumes', i, 'hostPath', 'path'], `hostPath ${v.hostPath.path} is not one of the platform's kubelet paths (${[...allowedHostPaths].join(', ')})`);
    }
  });

  // Privileges.
  const sc = container.securityContext ?? {};
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    violation('privileged-escalation', [...containerPath, 'securityContext'], 'privileged: true with allowPrivilegeEscalation: false is rejected by Kubernetes');
  }
  const askedFor = env.nodeAgent?.privileged ?? platform.privileged;
  expect([...containerPath, 'securityContext', 'privileged'], sc.privileged, askedFor, 'privileged-only-when-needed');
  if (sc.runAsNonRoot === true || pod.securityContext?.runAsNonRoot === true) {
    violation('daemonset-contract', [...containerPath, 'securityContext', 'runAsNonRoot'], 'node-agent runs as root (runAsUser: 0)');
  }

  // ConfigMap wiring.
  const flag = (container.args ?? []).filter((a: string) => a.startsWith('--node-agent-configmap'));
  const cm = objects.configMap;
  const withFlag = semver.gte(env.velero.version, '1.15.0');
  expect([...containerPath, 'args'], flag, cm && withFlag ? [`--node-agent-configmap=${cm.metadata.name}`] : []);
  if (cm) {
    if (!withFlag) expect(['metadata', 'name'], cm.metadata.name, 'node-agent-config', 'daemonset-contract', 'configMap');
    const values = Object.values(cm.data ?? {}) as string[];
    if (values.length !== 1) violation('daemonset-contract', ['data'], `expected exactly one data key, rendered ${values.length}`, 'configMap');
    const hash = createHash('sha256').update(values[0] ?? '').digest('hex');
    expect(['spec', 'template', 'metadata', 'annotations', 'checksum/node-agent-config'], ds?.spec?.template?.metadata?.annotations?.['checksum/node-agent-config'], hash);
  }
  return found;
}
