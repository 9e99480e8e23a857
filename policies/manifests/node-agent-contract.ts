import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import {
  CREDENTIALS_DIR, CREDENTIALS_VOLUME, DAEMONSET_NAME, HOST_PLUGINS_VOLUME, HOST_PODS_MOUNT_PATH, HOST_PODS_VOLUME,
  installContract, LEGACY_CONFIGMAP_NAME, METRICS_PORT, OBJECT_LABELS, pluginsMountPath, SCRATCH_DIR, SCRATCH_VOLUME,
  WINDOWS_DAEMONSET_NAME,
} from '../../velero/daemonset';
import { PlatformProfile } from '../../velero/platforms';
import { Release } from '../../velero/releases';
import type { NodeAgentSpec } from '../spec';
import type { ManifestViolation } from './types';

/**
 * The rendered objects held against what `velero install` renders for the release
 * (velero/daemonset.ts, the facts sheet's section 2), independently of constructs/: a bug there
 * cannot pass its own check. Each violation names its rule and the object it is in.
 */
export type ContractViolation = ManifestViolation & {
  readonly rule: ContractRule;
  /** Key of the object in RenderedObjects. */
  readonly object: 'daemonSet' | 'windowsDaemonSet' | 'configMap';
};
export type ContractRule = 'daemonset-contract' | 'privileged-escalation' | 'privileged-only-when-needed' | 'host-path-allowed' | 'configmap-size';

export interface RenderedObjects {
  readonly daemonSet?: any;
  readonly windowsDaemonSet?: any;
  readonly configMap?: any;
}

/** Kubernetes refuses a ConfigMap whose data is over 1 MiB (core validation, MaxConfigMapSize…). */
const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
const OS_LABEL = 'kubernetes.io/os';

export function nodeAgentContractViolations(objects: RenderedObjects, spec: NodeAgentSpec, platform: PlatformProfile, release: Release): ContractViolation[] {
  const found: ContractViolation[] = [];
  const contract = installContract(release);
  const settings = spec.nodeAgent ?? {};
  const hostPaths = !settings.disableHostPath;

  for (const os of ['linux', 'windows'] as const) {
    const object = os === 'linux' ? 'daemonSet' : 'windowsDaemonSet';
    const ds = objects[object];
    const wanted = os === 'linux' || !!settings.windows;
    if (!ds) {
      if (wanted) found.push({ rule: 'daemonset-contract', object, path: [], message: `no ${os === 'linux' ? DAEMONSET_NAME : WINDOWS_DAEMONSET_NAME} DaemonSet was rendered` });
      continue;
    }
    const violation = (rule: ContractRule, path: (string | number)[], message: string) => found.push({ rule, object, path, message });
    const expect = (path: (string | number)[], actual: unknown, expected: unknown, rule: ContractRule = 'daemonset-contract') => {
      if (!isDeepStrictEqual(actual, expected)) violation(rule, path, `expected ${JSON.stringify(expected)}, rendered ${JSON.stringify(actual)}`);
    };
    const name = os === 'linux' ? DAEMONSET_NAME : WINDOWS_DAEMONSET_NAME;
    const pod = ds.spec?.template?.spec ?? {};
    const containers: any[] = pod.containers ?? [];
    const container = containers[0] ?? {};
    const templatePath = ['spec', 'template', 'spec'];
    const containerPath = [...templatePath, 'containers', 0];

    expect(['metadata', 'name'], ds.metadata?.name, name);
    expect(['metadata', 'labels', 'component'], ds.metadata?.labels?.component, OBJECT_LABELS.component);
    expect(['spec', 'selector'], ds.spec?.selector, { matchLabels: { name } });
    for (const [key, value] of Object.entries(contract.podLabels(name))) {
      expect(['spec', 'template', 'metadata', 'labels', key], ds.spec?.template?.metadata?.labels?.[key], value);
    }
    expect([...templatePath, 'containers'], containers.map((c) => c.name), [name]);
    expect([...containerPath, 'command'], container.command, ['/velero']);
    expect([...containerPath, 'args'], container.args?.slice(0, 2), ['node-agent', 'server']);
    expect([...containerPath, 'ports'], container.ports, [{ ...METRICS_PORT }]);
    expect([...containerPath, 'env'], container.env?.slice(0, 3), [
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'VELERO_SCRATCH_DIR', value: SCRATCH_DIR },
    ]);
    if (pod.automountServiceAccountToken === false) violation('daemonset-contract', [...templatePath, 'automountServiceAccountToken'], 'node-agent needs its service-account token');
    if (!settings.resources) expect([...containerPath, 'resources'], container.resources, contract.defaultResources);

    // Where it runs.
    const affinityOn = (operator: 'In' | 'NotIn') => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: OS_LABEL, operator, values: ['windows'] }] }] },
      },
    });
    if (contract.osScheduling === 'affinity') {
      expect([...templatePath, 'affinity'], pod.affinity, affinityOn(os === 'linux' ? 'NotIn' : 'In'));
      expect([...templatePath, 'os'], pod.os, os === 'windows' ? { name: 'windows' } : undefined);
    } else {
      expect([...templatePath, 'nodeSelector', OS_LABEL], pod.nodeSelector?.[OS_LABEL], os);
      expect([...templatePath, 'os'], pod.os, contract.osScheduling === 'node-selector' ? { name: os } : undefined);
    }
    if (os === 'windows') expect([...templatePath, 'tolerations'], pod.tolerations, contract.windows?.tolerations);

    // Volumes: the names Velero reads, HostToContainer, the kubelet's pods folder.
    const volumes: any[] = pod.volumes ?? [];
    const mounts: any[] = container.volumeMounts ?? [];
    const volume = (volumeName: string) => volumes.findIndex((v) => v.name === volumeName);
    const mount = (volumeName: string) => mounts.findIndex((m) => m.name === volumeName);
    const expectedHostPaths: Record<string, string> = hostPaths ? { [HOST_PODS_VOLUME]: platform.hostPodsPath, [HOST_PLUGINS_VOLUME]: platform.hostPluginsPath } : {};
    const expectedMounts: [string, string, string | undefined][] = [
      ...(hostPaths
        ? ([
            [HOST_PODS_VOLUME, HOST_PODS_MOUNT_PATH, 'HostToContainer'],
            [HOST_PLUGINS_VOLUME, pluginsMountPath(release, platform), 'HostToContainer'],
          ] as [string, string, string][])
        : []),
      [SCRATCH_VOLUME, SCRATCH_DIR, undefined],
    ];
    for (const [volumeName, mountPath, propagation] of expectedMounts) {
      const v = volume(volumeName);
      if (v < 0) violation('daemonset-contract', [...templatePath, 'volumes'], `volume "${volumeName}" is missing (Velero reads it by this name)`);
      else if (volumeName === SCRATCH_VOLUME) expect([...templatePath, 'volumes', v, 'emptyDir'], volumes[v].emptyDir, {});
      else expect([...templatePath, 'volumes', v, 'hostPath', 'path'], volumes[v].hostPath?.path, expectedHostPaths[volumeName], 'host-path-allowed');
      const m = mount(volumeName);
      if (m < 0) violation('daemonset-contract', [...containerPath, 'volumeMounts'], `volume mount "${volumeName}" is missing`);
      else expect([...containerPath, 'volumeMounts', m], [mounts[m].mountPath, mounts[m].mountPropagation], [mountPath, propagation]);
    }
    volumes.forEach((v, i) => {
      const at = [...templatePath, 'volumes', i, 'hostPath', 'path'];
      if (!v.hostPath) return;
      const allowed = Object.values(expectedHostPaths);
      if (expectedHostPaths[v.name] === undefined && !allowed.includes(v.hostPath.path)) {
        violation('host-path-allowed', at, `hostPath ${v.hostPath.path} is not one of the platform's kubelet paths (${allowed.join(', ') || 'none: disableHostPath'})`);
      }
      // node-agent exits at startup unless /host_pods holds one folder per pod UID (server.go validatePodVolumesHostPath).
      if (v.name === HOST_PODS_VOLUME && !/\/pods$/.test(v.hostPath.path)) violation('host-path-allowed', at, `host-pods must be the kubelet's pods folder (ending in /pods), rendered ${v.hostPath.path}`);
    });
    if (spec.credentialsSecret !== undefined) {
      const v = volume(CREDENTIALS_VOLUME);
      expect([...templatePath, 'volumes', v < 0 ? volumes.length : v, 'secret'], volumes[v]?.secret, {
        secretName: spec.credentialsSecret,
        ...(contract.credentialsDefaultMode !== undefined && { defaultMode: contract.credentialsDefaultMode }),
      });
      const m = mount(CREDENTIALS_VOLUME);
      expect([...containerPath, 'volumeMounts', m < 0 ? mounts.length : m, 'mountPath'], mounts[m]?.mountPath, CREDENTIALS_DIR);
    }

    // Privileges: Linux only (`velero install` sets no security context on Windows).
    const sc = container.securityContext;
    if (os === 'windows') {
      expect([...containerPath, 'securityContext'], sc, undefined);
      expect([...templatePath, 'securityContext'], pod.securityContext, undefined);
    } else {
      expect([...templatePath, 'securityContext', 'runAsUser'], pod.securityContext?.runAsUser, 0);
      if (sc?.privileged === true && sc.allowPrivilegeEscalation === false) {
        violation('privileged-escalation', [...containerPath, 'securityContext'], 'privileged: true with allowPrivilegeEscalation: false is rejected by Kubernetes');
      }
      expect([...containerPath, 'securityContext', 'privileged'], sc?.privileged, settings.privileged ?? (hostPaths && platform.privileged), 'privileged-only-when-needed');
      if (sc?.runAsNonRoot === true || pod.securityContext?.runAsNonRoot === true) {
        violation('daemonset-contract', [...containerPath, 'securityContext', 'runAsNonRoot'], 'node-agent runs as root (runAsUser: 0)');
      }
    }

    // ConfigMap wiring: the flag from 1.15, the hash that rolls node-agent.
    const cm = objects.configMap;
    const flags = (container.args ?? []).filter((a: string) => a.startsWith('--node-agent-configmap'));
    expect([...containerPath, 'args'], flags, cm && contract.configMapFlag ? [`--node-agent-configmap=${cm.metadata?.name}`] : []);
    const repositoryFlags = (container.args ?? []).filter((a: string) => a.startsWith('--backup-repository-configmap'));
    expect([...containerPath, 'args'], repositoryFlags, settings.backupRepositoryConfigMap ? [`--backup-repository-configmap=${settings.backupRepositoryConfigMap}`] : []);
    if (cm) {
      const values = Object.values(cm.data ?? {}) as string[];
      const hash = createHash('sha256').update(values[0] ?? '').digest('hex');
      expect(['spec', 'template', 'metadata', 'annotations', 'checksum/node-agent-config'], ds.spec?.template?.metadata?.annotations?.['checksum/node-agent-config'], hash);
    }
  }

  const cm = objects.configMap;
  if (cm) {
    const violation = (rule: ContractRule, path: (string | number)[], message: string) => found.push({ rule, object: 'configMap', path, message });
    if (!contract.configMapFlag && cm.metadata?.name !== LEGACY_CONFIGMAP_NAME) {
      violation('daemonset-contract', ['metadata', 'name'], `expected ${JSON.stringify(LEGACY_CONFIGMAP_NAME)}, rendered ${JSON.stringify(cm.metadata?.name)}`);
    }
    const entries = Object.entries(cm.data ?? {});
    if (entries.length !== 1) violation('daemonset-contract', ['data'], `expected exactly one data key, rendered ${entries.length}`);
    const size = entries.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (size > CONFIGMAP_LIMIT_BYTES) violation('configmap-size', ['data'], `the data is ${size} bytes; Kubernetes accepts at most ${CONFIGMAP_LIMIT_BYTES} (1 MiB) in a ConfigMap`);
  }
  return found;
}
