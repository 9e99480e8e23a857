/**
 * Host paths and privileges per platform: ../shared/velero-node-agent.md section 3, written
 * out here literally (not imported from constructs/platforms.ts) so a wrong row in the code
 * fails a test. Plus the OpenShift SCC RoleBinding and the optional Velero Namespace.
 */
import { stringify } from 'yaml';
import { render } from './helpers';

/** An environment file for Velero 1.18.1; `velero` settings are merged into the version. */
function envYaml(env: { velero?: Record<string, unknown>; [key: string]: unknown } = {}): string {
  const { velero, ...rest } = env;
  return stringify({ velero: { version: '1.18.1', ...velero }, ...rest });
}

/** Every rendered object by file name; fails with the findings when nothing rendered. */
function objectsFor(env: Parameters<typeof envYaml>[0] = {}): Record<string, any> {
  const { objects, findings } = render(envYaml(env));
  if (!objects['daemonset-node-agent.yaml']) throw new Error(`nothing rendered: ${JSON.stringify(findings, null, 2)}`);
  return objects;
}

/** What a platform row asserts about the rendered DaemonSet. */
interface HostPaths {
  hostPods: string;
  hostPlugins: string;
  pluginsMountPath: string;
  hostPodsMountPath: string;
  privileged: boolean;
}

function hostPathsOf(objects: Record<string, any>): HostPaths {
  const pod = objects['daemonset-node-agent.yaml'].spec.template.spec;
  const [container] = pod.containers;
  const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);
  const mount = (name: string) => container.volumeMounts.find((m: any) => m.name === name);
  return {
    hostPods: volume('host-pods').hostPath.path,
    hostPlugins: volume('host-plugins').hostPath.path,
    pluginsMountPath: mount('host-plugins').mountPath,
    hostPodsMountPath: mount('host-pods').mountPath,
    privileged: container.securityContext.privileged,
  };
}

const files = (objects: Record<string, any>, prefix: string) => Object.keys(objects).filter((f) => f.startsWith(prefix));

// Section 3 of the facts sheet, row by row.
const PLATFORM_TABLE: [platform: string, expected: HostPaths][] = [
  ['kubernetes', { hostPods: '/var/lib/kubelet/pods', hostPlugins: '/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
  ['rancheros', { hostPods: '/opt/rke/var/lib/kubelet/pods', hostPlugins: '/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
  ['nutanix', { hostPods: '/var/nutanix/var/lib/kubelet/pods', hostPlugins: '/var/nutanix/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
  ['openshift', { hostPods: '/var/lib/kubelet/pods', hostPlugins: '/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: true }],
  ['openshift-ibm-cloud', { hostPods: '/var/lib/kubelet/pods', hostPlugins: '/var/data/kubelet/plugins', pluginsMountPath: '/var/data/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: true }],
  ['tkgi', { hostPods: '/var/vcap/data/kubelet/pods', hostPlugins: '/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: true }],
  ['azure', { hostPods: '/var/lib/kubelet/pods', hostPlugins: '/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
  ['microk8s', { hostPods: '/var/snap/microk8s/common/var/lib/kubelet/pods', hostPlugins: '/var/snap/microk8s/common/var/lib/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
  ['k0s', { hostPods: '/var/lib/k0s/kubelet/pods', hostPlugins: '/var/lib/k0s/kubelet/plugins', pluginsMountPath: '/var/lib/kubelet/plugins', hostPodsMountPath: '/host_pods', privileged: false }],
];

const OPENSHIFT_PLATFORMS = ['openshift', 'openshift-ibm-cloud'];
const OTHER_PLATFORMS = PLATFORM_TABLE.map(([p]) => p).filter((p) => !OPENSHIFT_PLATFORMS.includes(p));

describe('host paths per platform', () => {
  it.each(PLATFORM_TABLE)('%s', (platform, expected) => {
    expect(hostPathsOf(objectsFor({ platform }))).toEqual(expected);
  });

  it.each(PLATFORM_TABLE)('%s on 1.14.1 mounts host-plugins at the same path as on the host (the 1.13/1.14 block data path)', (platform) => {
    const paths = hostPathsOf(objectsFor({ platform, velero: { version: '1.14.1' } }));
    expect(paths.pluginsMountPath).toBe(paths.hostPlugins);
  });

  it.each(PLATFORM_TABLE)('%s: host-pods ends in /pods, which node-agent checks at startup', (platform) => {
    expect(hostPathsOf(objectsFor({ platform })).hostPods).toMatch(/\/pods$/);
  });

  it.each(PLATFORM_TABLE)('%s keeps HostToContainer propagation on both host mounts', (platform) => {
    const mounts = objectsFor({ platform })['daemonset-node-agent.yaml'].spec.template.spec.containers[0].volumeMounts;
    for (const name of ['host-pods', 'host-plugins']) {
      expect(mounts.find((m: any) => m.name === name).mountPropagation).toBe('HostToContainer');
    }
  });

  it('no platform renders as kubernetes', () => {
    expect(hostPathsOf(objectsFor({}))).toEqual(PLATFORM_TABLE[0][1]);
  });

  it('privileged platforms set exactly {privileged: true}, as velero install --privileged-node-agent', () => {
    for (const platform of ['openshift', 'openshift-ibm-cloud', 'tkgi']) {
      const container = objectsFor({ platform })['daemonset-node-agent.yaml'].spec.template.spec.containers[0];
      expect(container.securityContext).toEqual({ privileged: true });
    }
  });
});

describe('kubeletRootDir', () => {
  it('alone: both host paths from the root, not privileged', () => {
    expect(hostPathsOf(objectsFor({ kubeletRootDir: '/data/kubelet' }))).toEqual({
      hostPods: '/data/kubelet/pods',
      hostPlugins: '/data/kubelet/plugins',
      pluginsMountPath: '/var/lib/kubelet/plugins',
      hostPodsMountPath: '/host_pods',
      privileged: false,
    });
  });

  it('with platform openshift: both host paths from the root, still privileged', () => {
    expect(hostPathsOf(objectsFor({ platform: 'openshift', kubeletRootDir: '/data/kubelet' }))).toEqual({
      hostPods: '/data/kubelet/pods',
      hostPlugins: '/data/kubelet/plugins',
      pluginsMountPath: '/var/lib/kubelet/plugins',
      hostPodsMountPath: '/host_pods',
      privileged: true,
    });
  });

  it('with platform openshift: still renders the SCC RoleBinding', () => {
    expect(files(objectsFor({ platform: 'openshift', kubeletRootDir: '/data/kubelet' }), 'rolebinding-')).toHaveLength(1);
  });

  it('replaces a platform that moves only one path (rancheros)', () => {
    expect(hostPathsOf(objectsFor({ platform: 'rancheros', kubeletRootDir: '/srv/kubelet' }))).toEqual({
      hostPods: '/srv/kubelet/pods',
      hostPlugins: '/srv/kubelet/plugins',
      pluginsMountPath: '/var/lib/kubelet/plugins',
      hostPodsMountPath: '/host_pods',
      privileged: false,
    });
  });
});

describe('OpenShift SCC RoleBinding', () => {
  it.each(OPENSHIFT_PLATFORMS)('%s: one RoleBinding to ClusterRole system:openshift:scc:privileged for SA velero in velero', (platform) => {
    const objects = objectsFor({ platform });
    const names = files(objects, 'rolebinding-');
    expect(names).toHaveLength(1);
    const binding = objects[names[0]];
    expect(binding.kind).toBe('RoleBinding');
    expect(binding.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(binding.metadata.namespace).toBe('velero');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:openshift:scc:privileged' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'velero', namespace: 'velero' }]);
  });

  it.each(OPENSHIFT_PLATFORMS)('%s: binds a custom service account in a custom namespace', (platform) => {
    const objects = objectsFor({ platform, velero: { namespace: 'oadp', serviceAccountName: 'velero-node' } });
    const names = files(objects, 'rolebinding-');
    expect(names).toHaveLength(1);
    const binding = objects[names[0]];
    expect(binding.metadata.namespace).toBe('oadp');
    expect(binding.roleRef.name).toBe('system:openshift:scc:privileged');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'velero-node', namespace: 'oadp' }]);
  });

  it.each(OTHER_PLATFORMS)('%s: no RoleBinding', (platform) => {
    expect(files(objectsFor({ platform }), 'rolebinding-')).toEqual([]);
  });

  it('no platform: no RoleBinding', () => {
    expect(files(objectsFor({}), 'rolebinding-')).toEqual([]);
  });
});

describe('Velero Namespace', () => {
  const namespaceOf = (env: Parameters<typeof envYaml>[0]) => {
    const objects = objectsFor(env);
    const names = files(objects, 'namespace-');
    expect(names).toHaveLength(1);
    return objects[names[0]];
  };

  it('createNamespace renders the Namespace velero', () => {
    const ns = namespaceOf({ velero: { createNamespace: true } });
    expect(ns.kind).toBe('Namespace');
    expect(ns.apiVersion).toBe('v1');
    expect(ns.metadata.name).toBe('velero');
  });

  it('createNamespace renders the custom velero.namespace', () => {
    expect(namespaceOf({ velero: { createNamespace: true, namespace: 'backup-system' } }).metadata.name).toBe('backup-system');
  });

  it.each(['enforce', 'audit', 'warn'])('sets pod-security.kubernetes.io/%s=privileged', (mode) => {
    expect(namespaceOf({ velero: { createNamespace: true } }).metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('privileged');
  });

  it('has no pod-security level other than privileged', () => {
    const labels: Record<string, string> = namespaceOf({ velero: { createNamespace: true } }).metadata.labels;
    const levels = Object.entries(labels).filter(([k]) => /^pod-security\.kubernetes\.io\/(enforce|audit|warn)$/.test(k));
    expect(levels).toHaveLength(3);
    expect(levels.every(([, v]) => v === 'privileged')).toBe(true);
  });

  it('openshift: annotation openshift.io/node-selector: ""', () => {
    const ns = namespaceOf({ platform: 'openshift', velero: { createNamespace: true } });
    expect(ns.metadata.annotations).toEqual({
      'openshift.io/node-selector': '',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  it('openshift-ibm-cloud: annotation openshift.io/node-selector: "" as well', () => {
    const ns = namespaceOf({ platform: 'openshift-ibm-cloud', velero: { createNamespace: true } });
    expect(ns.metadata.annotations['openshift.io/node-selector']).toBe('');
  });

  it.each(OTHER_PLATFORMS)('%s: no openshift.io/node-selector annotation', (platform) => {
    const ns = namespaceOf({ platform, velero: { createNamespace: true } });
    expect(ns.metadata.annotations?.['openshift.io/node-selector']).toBeUndefined();
  });

  it('is not rendered without createNamespace', () => {
    expect(files(objectsFor({}), 'namespace-')).toEqual([]);
    expect(files(objectsFor({ platform: 'openshift' }), 'namespace-')).toEqual([]);
  });

  it('is not rendered with createNamespace: false', () => {
    expect(files(objectsFor({ velero: { createNamespace: false } }), 'namespace-')).toEqual([]);
  });
});
