/**
 * The node-agent DaemonSet contract: ../shared/velero-node-agent.md section 2.
 * Every test renders YAML text through the real pipeline and asserts concrete values.
 */
import { stringify } from 'yaml';
import { synthesize } from '../pipeline/synth';
import { daemonSet, environmentsDir } from './helpers';

const VERSION = '1.18.1';

/** An environment file: `velero.version` defaults to 1.18.1, everything else is as given. */
function envYaml(env: { velero?: Record<string, unknown>; [key: string]: unknown } = {}): string {
  const { velero, ...rest } = env;
  return stringify({ velero: { version: VERSION, ...velero }, ...rest });
}

/** The rendered DaemonSet, its pod spec and its one container for an environment given as data. */
const render = (env: Parameters<typeof envYaml>[0] = {}) => daemonSet(envYaml(env));

const volume = (pod: any, name: string) => pod.volumes.find((v: any) => v.name === name);
const mount = (container: any, name: string) => container.volumeMounts.find((m: any) => m.name === name);
const mountAt = (container: any, mountPath: string) => container.volumeMounts.find((m: any) => m.mountPath === mountPath);
const envVar = (container: any, name: string) => container.env.find((e: any) => e.name === name);
const configHash = (env: Parameters<typeof envYaml>[0]) => render(env).ds.spec.template.metadata.annotations?.['checksum/node-agent-config'];

/** Every value of `key` anywhere in `value`, at any depth. */
function valuesOfKey(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesOfKey(v, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOfKey(v, key)]);
}

/** Raw rendered file texts (all environments) for one environment file. */
function renderedTexts(yamlText: string): string[] {
  const { rendered, findings } = synthesize(environmentsDir({ 'test-env.yaml': yamlText }));
  if (!rendered.length) throw new Error(`nothing rendered: ${JSON.stringify(findings, null, 2)}`);
  return rendered.flatMap((env) => [...env.files.values()]);
}

const CREDENTIAL_ENV = ['GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SHARED_CREDENTIALS_FILE', 'AZURE_CREDENTIALS_FILE', 'ALIBABA_CLOUD_CREDENTIALS_FILE'];

const CONFIG = {
  loadConcurrency: { globalConfig: 2, perNodeConfig: [{ nodeSelector: { matchLabels: { pool: 'big' } }, number: 4 }] },
  podResources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  backupPVC: { gp3: { storageClass: 'gp3-backup', readOnly: false } },
};

describe('metadata and selector', () => {
  it('is named node-agent', () => {
    expect(render().ds.metadata.name).toBe('node-agent');
  });

  it('is a DaemonSet of apps/v1', () => {
    const { ds } = render();
    expect(ds.kind).toBe('DaemonSet');
    expect(ds.apiVersion).toBe('apps/v1');
  });

  it('has exactly the labels {component: velero}', () => {
    expect(render().ds.metadata.labels).toEqual({ component: 'velero' });
  });

  it('lives in namespace velero by default', () => {
    expect(render().ds.metadata.namespace).toBe('velero');
  });

  it('lives in velero.namespace when set', () => {
    expect(render({ velero: { namespace: 'backup-system' } }).ds.metadata.namespace).toBe('backup-system');
  });

  it('has exactly the selector of velero install: {matchLabels: {name: node-agent}}', () => {
    expect(render().ds.spec.selector).toEqual({ matchLabels: { name: 'node-agent' } });
  });

  it('keeps the selector when podLabels are added', () => {
    expect(render({ nodeAgent: { podLabels: { team: 'storage' } } }).ds.spec.selector).toEqual({ matchLabels: { name: 'node-agent' } });
  });
});

describe('pod labels', () => {
  it('are component=velero, name=node-agent, role=node-agent by default', () => {
    expect(render().ds.spec.template.metadata.labels).toEqual({ component: 'velero', name: 'node-agent', role: 'node-agent' });
  });

  it('carry role=node-agent, by which the Velero server finds the pods', () => {
    expect(render().ds.spec.template.metadata.labels.role).toBe('node-agent');
  });

  it('match the selector', () => {
    const { ds } = render();
    expect(ds.spec.template.metadata.labels).toMatchObject(ds.spec.selector.matchLabels);
  });

  it('merge nodeAgent.podLabels with the contract labels', () => {
    const { ds } = render({ nodeAgent: { podLabels: { team: 'storage', 'example.com/tier': 'infra' } } });
    expect(ds.spec.template.metadata.labels).toEqual({
      component: 'velero',
      name: 'node-agent',
      role: 'node-agent',
      team: 'storage',
      'example.com/tier': 'infra',
    });
  });

  it('are not put on the DaemonSet object itself', () => {
    expect(render({ nodeAgent: { podLabels: { team: 'storage' } } }).ds.metadata.labels).toEqual({ component: 'velero' });
  });
});

describe('container', () => {
  it('is exactly one container', () => {
    expect(render().pod.containers).toHaveLength(1);
  });

  it('is named node-agent', () => {
    expect(render().container.name).toBe('node-agent');
  });

  it('has no init containers', () => {
    expect(render().pod.initContainers).toBeUndefined();
  });

  it('runs command ["/velero"]', () => {
    expect(render().container.command).toEqual(['/velero']);
  });

  it('exposes port {name: metrics, containerPort: 8085} and nothing else', () => {
    expect(render().container.ports).toEqual([{ name: 'metrics', containerPort: 8085 }]);
  });
});

describe('args', () => {
  it('are exactly ["node-agent", "server"] without features, config or logging settings', () => {
    expect(render().container.args).toEqual(['node-agent', 'server']);
  });

  it('add --features=A,B when velero.features is set', () => {
    expect(render({ velero: { features: ['EnableCSI', 'EnableAPIGroupVersions'] } }).container.args).toEqual([
      'node-agent',
      'server',
      '--features=EnableCSI,EnableAPIGroupVersions',
    ]);
  });

  it('add --features=A for a single feature', () => {
    expect(render({ velero: { features: ['EnableCSI'] } }).container.args).toEqual(['node-agent', 'server', '--features=EnableCSI']);
  });

  it('have no --features for an empty feature list', () => {
    const { container } = render({ velero: { features: [] } });
    expect(container.args.some((a: string) => a.startsWith('--features'))).toBe(false);
  });

  it('add --node-agent-configmap=node-agent-config for Velero 1.15+ with a config', () => {
    expect(render({ velero: { version: '1.15.0' }, config: { loadConcurrency: { globalConfig: 1 } } }).container.args).toEqual([
      'node-agent',
      'server',
      '--node-agent-configmap=node-agent-config',
    ]);
  });

  it('add --node-agent-configmap=<nodeAgent.configMapName>', () => {
    const { container } = render({ nodeAgent: { configMapName: 'node-agent-tuning' }, config: { loadConcurrency: { globalConfig: 1 } } });
    expect(container.args).toEqual(['node-agent', 'server', '--node-agent-configmap=node-agent-tuning']);
  });

  it.each(['1.13.0', '1.14.1'])('have no --node-agent-configmap for Velero %s (the ConfigMap is node-agent-config)', (version) => {
    const { container, objects } = render({ velero: { version }, config: { loadConcurrency: { globalConfig: 1 } } });
    expect(container.args).toEqual(['node-agent', 'server']);
    expect(objects['configmap-node-agent-config.yaml'].metadata.name).toBe('node-agent-config');
  });

  it('have no --node-agent-configmap without a config', () => {
    expect(render({ nodeAgent: { configMapName: 'node-agent-tuning' } }).container.args).toEqual(['node-agent', 'server']);
  });

  it('add --log-level= when nodeAgent.logLevel is set', () => {
    expect(render({ nodeAgent: { logLevel: 'debug' } }).container.args).toEqual(['node-agent', 'server', '--log-level=debug']);
  });

  it('add --log-format= when nodeAgent.logFormat is set', () => {
    expect(render({ nodeAgent: { logFormat: 'json' } }).container.args).toEqual(['node-agent', 'server', '--log-format=json']);
  });

  it('combine every flag', () => {
    const { container } = render({
      velero: { features: ['EnableCSI'] },
      nodeAgent: { logLevel: 'warning', logFormat: 'text', configMapName: 'na' },
      config: { loadConcurrency: { globalConfig: 1 } },
    });
    expect(container.args).toEqual([
      'node-agent',
      'server',
      '--features=EnableCSI',
      '--node-agent-configmap=na',
      '--log-level=warning',
      '--log-format=text',
    ]);
  });
});

describe('env', () => {
  it('is NODE_NAME, VELERO_NAMESPACE, VELERO_SCRATCH_DIR, in that order, without credentials', () => {
    expect(render().container.env).toEqual([
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
    ]);
  });

  it('takes NODE_NAME from fieldRef spec.nodeName', () => {
    expect(envVar(render().container, 'NODE_NAME').valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
  });

  it('takes VELERO_NAMESPACE from fieldRef metadata.namespace', () => {
    expect(envVar(render().container, 'VELERO_NAMESPACE').valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
  });

  it('sets VELERO_SCRATCH_DIR=/scratch', () => {
    expect(envVar(render().container, 'VELERO_SCRATCH_DIR')).toEqual({ name: 'VELERO_SCRATCH_DIR', value: '/scratch' });
  });

  it('has no envFrom', () => {
    expect(render().container.envFrom).toBeUndefined();
  });
});

describe('cloud credentials', () => {
  const withCredentials = () => render({ velero: { credentialsSecret: 'bsl-credentials' } });

  it('add volume cloud-credentials from velero.credentialsSecret, read-only for all (defaultMode 0444, as velero install from 1.16.2)', () => {
    expect(volume(withCredentials().pod, 'cloud-credentials')).toEqual({ name: 'cloud-credentials', secret: { secretName: 'bsl-credentials', defaultMode: 0o444 } });
  });

  it('mount cloud-credentials at /credentials', () => {
    expect(mount(withCredentials().container, 'cloud-credentials')).toEqual({ name: 'cloud-credentials', mountPath: '/credentials' });
  });

  it.each(CREDENTIAL_ENV)('set %s=/credentials/cloud', (name) => {
    expect(envVar(withCredentials().container, name)).toEqual({ name, value: '/credentials/cloud' });
  });

  it('keep the three base env vars first, then the four credential variables', () => {
    expect(withCredentials().container.env.map((e: any) => e.name)).toEqual(['NODE_NAME', 'VELERO_NAMESPACE', 'VELERO_SCRATCH_DIR', ...CREDENTIAL_ENV]);
  });

  it('are absent without velero.credentialsSecret: no volume, no mount, no env vars', () => {
    const { pod, container } = render();
    expect(volume(pod, 'cloud-credentials')).toBeUndefined();
    expect(mount(container, 'cloud-credentials')).toBeUndefined();
    expect(mountAt(container, '/credentials')).toBeUndefined();
    for (const name of CREDENTIAL_ENV) expect(envVar(container, name)).toBeUndefined();
    expect(pod.volumes.some((v: any) => v.secret)).toBe(false);
  });
});

describe('volumes and mounts', () => {
  it('are exactly host-pods, host-plugins and scratch by default', () => {
    const { pod, container } = render();
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['host-pods', 'host-plugins', 'scratch']);
    expect(container.volumeMounts.map((m: any) => m.name)).toEqual(['host-pods', 'host-plugins', 'scratch']);
  });

  it('host-pods is hostPath /var/lib/kubelet/pods on kubernetes', () => {
    expect(volume(render().pod, 'host-pods')).toEqual({ name: 'host-pods', hostPath: { path: '/var/lib/kubelet/pods' } });
  });

  it('host-pods is mounted at /host_pods with HostToContainer propagation', () => {
    expect(mount(render().container, 'host-pods')).toEqual({ name: 'host-pods', mountPath: '/host_pods', mountPropagation: 'HostToContainer' });
  });

  it('host-plugins is hostPath /var/lib/kubelet/plugins on kubernetes', () => {
    expect(volume(render().pod, 'host-plugins')).toEqual({ name: 'host-plugins', hostPath: { path: '/var/lib/kubelet/plugins' } });
  });

  it('host-plugins is mounted at /var/lib/kubelet/plugins, with HostToContainer propagation', () => {
    expect(mount(render().container, 'host-plugins')).toEqual({
      name: 'host-plugins',
      mountPath: '/var/lib/kubelet/plugins',
      mountPropagation: 'HostToContainer',
    });
  });

  it('from 1.15, host-plugins stays mounted at /var/lib/kubelet/plugins whatever kubeletRootDir, as velero install --kubelet-root-dir', () => {
    const { pod, container } = render({ kubeletRootDir: '/data/kubelet' });
    expect(volume(pod, 'host-plugins').hostPath.path).toBe('/data/kubelet/plugins');
    expect(mount(container, 'host-plugins').mountPath).toBe('/var/lib/kubelet/plugins');
  });

  it.each(['1.13.2', '1.14.1'])('on %s, host-plugins is mounted at its host path (the block data path follows symlinks into it)', (version) => {
    const { pod, container } = render({ velero: { version }, kubeletRootDir: '/data/kubelet' });
    expect(volume(pod, 'host-plugins').hostPath.path).toBe('/data/kubelet/plugins');
    expect(mount(container, 'host-plugins').mountPath).toBe('/data/kubelet/plugins');
  });

  it('scratch is an emptyDir mounted at /scratch', () => {
    const { pod, container } = render();
    expect(volume(pod, 'scratch')).toEqual({ name: 'scratch', emptyDir: {} });
    expect(mount(container, 'scratch')).toEqual({ name: 'scratch', mountPath: '/scratch' });
  });
});

describe('security', () => {
  it('pod securityContext is exactly {runAsUser: 0}', () => {
    expect(render().pod.securityContext).toEqual({ runAsUser: 0 });
  });

  it('container securityContext is exactly {privileged: false} on kubernetes', () => {
    expect(render({ platform: 'kubernetes' }).container.securityContext).toEqual({ privileged: false });
  });

  it('container securityContext is exactly {privileged: false} without a platform', () => {
    expect(render().container.securityContext).toEqual({ privileged: false });
  });

  it.each(['openshift', 'tkgi'])('container securityContext is exactly {privileged: true} on %s, as velero install --privileged-node-agent', (platform) => {
    expect(render({ platform }).container.securityContext).toEqual({ privileged: true });
  });

  it('nodeAgent.privileged: true makes kubernetes privileged', () => {
    expect(render({ platform: 'kubernetes', nodeAgent: { privileged: true } }).container.securityContext).toEqual({ privileged: true });
  });

  it.each(['openshift', 'tkgi'])('nodeAgent.privileged: false overrides %s', (platform) => {
    expect(render({ platform, nodeAgent: { privileged: false } }).container.securityContext).toEqual({ privileged: false });
  });

  it('never sets allowPrivilegeEscalation: false', () => {
    const variants = [
      {},
      { platform: 'openshift' },
      { platform: 'tkgi' },
      { nodeAgent: { privileged: true } },
      { nodeAgent: { privileged: false } },
      { platform: 'openshift', nodeAgent: { privileged: false } },
      { nodeAgent: { readOnlyRootFilesystem: true } },
      { platform: 'openshift', nodeAgent: { readOnlyRootFilesystem: true } },
    ];
    for (const variant of variants) expect(valuesOfKey(render(variant).ds, 'allowPrivilegeEscalation')).not.toContain(false);
  });

  it('has no runAsNonRoot anywhere', () => {
    for (const variant of [{}, { platform: 'openshift' }, { nodeAgent: { readOnlyRootFilesystem: true } }]) {
      expect(valuesOfKey(render(variant).ds, 'runAsNonRoot')).toEqual([]);
    }
  });

  it('automountServiceAccountToken is true (node-agent is a controller)', () => {
    expect(render().pod.automountServiceAccountToken).toBe(true);
  });

  it('serviceAccountName is velero by default', () => {
    expect(render().pod.serviceAccountName).toBe('velero');
  });

  it('serviceAccountName is velero.serviceAccountName when set', () => {
    expect(render({ velero: { serviceAccountName: 'velero-server' } }).pod.serviceAccountName).toBe('velero-server');
  });
});

describe('image', () => {
  it('is velero/velero:v<version> by default', () => {
    expect(render().container.image).toBe('velero/velero:v1.18.1');
    expect(render({ velero: { version: '1.16.2' } }).container.image).toBe('velero/velero:v1.16.2');
  });

  it('is velero.image when set', () => {
    expect(render({ velero: { image: 'registry.example.com/mirror/velero/velero:v1.18.1' } }).container.image).toBe(
      'registry.example.com/mirror/velero/velero:v1.18.1',
    );
  });

  it('imagePullPolicy is IfNotPresent for the default pinned tag', () => {
    expect(render().container.imagePullPolicy).toBe('IfNotPresent');
  });

  it.each([
    'registry.example.com/mirror/velero/velero:v1.18.1',
    'registry.example.com:5000/velero/velero:v1.18.1',
    'velero/velero@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    // A pinned tag; "latest" only appears in the repository path.
    'registry.example.com/latest/velero/velero:v1.18.1',
  ])('imagePullPolicy is IfNotPresent for the pinned image %s', (image) => {
    expect(render({ velero: { image } }).container.imagePullPolicy).toBe('IfNotPresent');
  });

  // The image-pinned rule rejects both; a waiver lets them render, and they are pulled every time.
  it.each(['velero/velero:latest', 'velero/velero'])('imagePullPolicy is Always for %s (waived image-pinned)', (image) => {
    const waiver = { policyExceptions: [{ rule: 'image-pinned', reason: 'nightly test cluster' }] };
    const { container, findings } = render({ velero: { image }, ...waiver });
    expect(container.imagePullPolicy).toBe('Always');
    expect(findings.map((f) => [f.rule, f.severity, f.hint])).toEqual([['image-pinned', 'warning', 'waived: nightly test cluster']]);
  });
});

describe('resources', () => {
  it('has no resources key at all by default (BestEffort)', () => {
    expect('resources' in render().container).toBe(false);
  });

  it('are exactly the configured requests and limits', () => {
    const { container } = render({ nodeAgent: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '4Gi' } } } });
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '4Gi' } });
  });

  it('have only requests when only requests are configured', () => {
    const { container } = render({ nodeAgent: { resources: { requests: { memory: '256Mi' } } } });
    expect(container.resources).toEqual({ requests: { memory: '256Mi' } });
  });

  it('turn YAML numbers into quantity strings (cpu: 1 -> "1")', () => {
    const { container } = daemonSet(`velero: {version: "${VERSION}"}\nnodeAgent:\n  resources:\n    requests: {cpu: 1}\n    limits: {cpu: 2, memory: 1Gi}\n`);
    expect(container.resources).toEqual({ requests: { cpu: '1' }, limits: { cpu: '2', memory: '1Gi' } });
    expect(typeof container.resources.requests.cpu).toBe('string');
  });
});

describe('scheduling', () => {
  it('requires kubernetes.io/os NotIn [windows]', () => {
    expect(render().pod.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] }],
        },
      },
    });
  });

  it('has no tolerations, nodeSelector or priorityClassName by default', () => {
    const { pod } = render();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.priorityClassName).toBeUndefined();
  });

  it('passes nodeAgent.tolerations through', () => {
    const tolerations = [
      { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    expect(render({ nodeAgent: { tolerations } }).pod.tolerations).toEqual(tolerations);
  });

  it('passes nodeAgent.nodeSelector through', () => {
    expect(render({ nodeAgent: { nodeSelector: { 'kubernetes.io/arch': 'arm64', pool: 'storage' } } }).pod.nodeSelector).toEqual({
      'kubernetes.io/arch': 'arm64',
      pool: 'storage',
    });
  });

  it('keeps the windows affinity with a nodeSelector', () => {
    const { pod } = render({ nodeAgent: { nodeSelector: { pool: 'storage' } } });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] },
    ]);
  });

  it('passes nodeAgent.priorityClassName through', () => {
    expect(render({ nodeAgent: { priorityClassName: 'system-node-critical' } }).pod.priorityClassName).toBe('system-node-critical');
  });
});

describe('pod annotations', () => {
  it('are absent by default', () => {
    expect(render().ds.spec.template.metadata.annotations).toBeUndefined();
  });

  it('are exactly nodeAgent.podAnnotations without a config', () => {
    const podAnnotations = { 'prometheus.io/scrape': 'true', 'example.com/owner': 'storage' };
    expect(render({ nodeAgent: { podAnnotations } }).ds.spec.template.metadata.annotations).toEqual(podAnnotations);
  });

  it('keep nodeAgent.podAnnotations next to the config hash', () => {
    const annotations = render({ nodeAgent: { podAnnotations: { 'example.com/owner': 'storage' } }, config: CONFIG }).ds.spec.template.metadata
      .annotations;
    expect(annotations['example.com/owner']).toBe('storage');
    expect(Object.keys(annotations).sort()).toEqual(['checksum/node-agent-config', 'example.com/owner']);
  });

  it('are not put on the DaemonSet object itself', () => {
    expect(render({ nodeAgent: { podAnnotations: { a: 'b' } } }).ds.metadata.annotations).toBeUndefined();
  });
});

describe('read-only root filesystem', () => {
  const readOnly = () => render({ nodeAgent: { readOnlyRootFilesystem: true } });

  it.each(['/home/cnb/udmrepo', '/home/cnb/.cache'])('mounts an emptyDir volume at %s', (mountPath) => {
    const { pod, container } = readOnly();
    const m = mountAt(container, mountPath);
    expect(m).toBeDefined();
    expect(volume(pod, m.name)).toEqual({ name: m.name, emptyDir: {} });
  });

  it('adds exactly two volumes to the default three', () => {
    const { pod, container } = readOnly();
    expect(pod.volumes).toHaveLength(5);
    expect(container.volumeMounts).toHaveLength(5);
  });

  it('sets readOnlyRootFilesystem: true on the container', () => {
    expect(readOnly().container.securityContext).toEqual({ privileged: false, readOnlyRootFilesystem: true });
  });

  it('keeps privileged settings on openshift', () => {
    expect(render({ platform: 'openshift', nodeAgent: { readOnlyRootFilesystem: true } }).container.securityContext).toEqual({
      privileged: true,
      readOnlyRootFilesystem: true,
    });
  });

  it('is off by default: no /home/cnb mounts, no readOnlyRootFilesystem key', () => {
    const { container } = render();
    expect(mountAt(container, '/home/cnb/udmrepo')).toBeUndefined();
    expect(mountAt(container, '/home/cnb/.cache')).toBeUndefined();
    expect('readOnlyRootFilesystem' in container.securityContext).toBe(false);
  });

  it('readOnlyRootFilesystem: false adds nothing', () => {
    const { pod, container } = render({ nodeAgent: { readOnlyRootFilesystem: false } });
    expect(pod.volumes).toHaveLength(3);
    expect(container.securityContext).toEqual({ privileged: false });
  });
});

describe('config hash annotation', () => {
  it('is present when config is set', () => {
    expect(configHash({ config: CONFIG })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is absent without config', () => {
    expect(configHash({})).toBeUndefined();
    expect(configHash({ nodeAgent: { podAnnotations: { a: 'b' } } })).toBeUndefined();
  });

  it('is present on Velero 1.13/1.14 too (the fixed-name ConfigMap is read at startup as well)', () => {
    expect(configHash({ velero: { version: '1.14.1' }, config: { loadConcurrency: { globalConfig: 1 } } })).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['globalConfig', { ...CONFIG, loadConcurrency: { ...CONFIG.loadConcurrency, globalConfig: 3 } }],
    ['a perNodeConfig number', { ...CONFIG, loadConcurrency: { ...CONFIG.loadConcurrency, perNodeConfig: [{ nodeSelector: { matchLabels: { pool: 'big' } }, number: 5 }] } }],
    ['a nodeSelector label value', { ...CONFIG, loadConcurrency: { ...CONFIG.loadConcurrency, perNodeConfig: [{ nodeSelector: { matchLabels: { pool: 'small' } }, number: 4 }] } }],
    ['a podResources quantity', { ...CONFIG, podResources: { ...CONFIG.podResources, cpuLimit: '3' } }],
    ['a boolean', { ...CONFIG, backupPVC: { gp3: { storageClass: 'gp3-backup', readOnly: true } } }],
    ['a map key', { ...CONFIG, backupPVC: { gp2: { storageClass: 'gp3-backup', readOnly: false } } }],
    ['an added section', { ...CONFIG, restorePVC: { ignoreDelayBinding: true } }],
    ['a removed section', { loadConcurrency: CONFIG.loadConcurrency, podResources: CONFIG.podResources }],
  ])('changes when %s changes', (_what, changed) => {
    const before = configHash({ config: CONFIG });
    const after = configHash({ config: changed });
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('is identical when the config is unchanged but a toleration changes', () => {
    const a = configHash({ config: CONFIG, nodeAgent: { tolerations: [{ key: 'a', operator: 'Exists' }] } });
    const b = configHash({ config: CONFIG, nodeAgent: { tolerations: [{ key: 'b', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('is identical when only DaemonSet settings change (image, log level, podAnnotations)', () => {
    const a = configHash({ config: CONFIG });
    const b = configHash({ velero: { image: 'example.com/velero:v1.18.1' }, nodeAgent: { logLevel: 'debug', podAnnotations: { x: 'y' } }, config: CONFIG });
    expect(b).toBe(a);
  });

  it('is identical for the same config written with keys in a different order', () => {
    const reordered = {
      backupPVC: { gp3: { readOnly: false, storageClass: 'gp3-backup' } },
      podResources: { memoryLimit: '2Gi', memoryRequest: '512Mi', cpuLimit: '2', cpuRequest: '500m' },
      loadConcurrency: { perNodeConfig: [{ number: 4, nodeSelector: { matchLabels: { pool: 'big' } } }], globalConfig: 2 },
    };
    expect(configHash({ config: reordered })).toBe(configHash({ config: CONFIG }));
  });
});

describe('cdk8s-plus traps', () => {
  it('adds no cpu/memory resources', () => {
    const { container } = render();
    expect(container.resources).toBeUndefined();
    expect(valuesOfKey(render().ds, 'cpu')).toEqual([]);
    expect(valuesOfKey(render().ds, 'memory')).toEqual([]);
  });

  it('does not set automountServiceAccountToken: false', () => {
    expect(render().pod.automountServiceAccountToken).not.toBe(false);
    expect(valuesOfKey(render().ds, 'automountServiceAccountToken')).toEqual([true]);
  });

  it('does not set imagePullPolicy: Always for pinned images', () => {
    expect(render().container.imagePullPolicy).not.toBe('Always');
    expect(render({ velero: { image: 'registry.example.com/velero/velero:v1.17.2' } }).container.imagePullPolicy).not.toBe('Always');
  });

  it('does not set allowPrivilegeEscalation: false next to privileged: true', () => {
    for (const variant of [{ platform: 'openshift' }, { nodeAgent: { privileged: true } }]) {
      const { securityContext } = render(variant).container;
      expect(securityContext.privileged).toBe(true);
      expect(securityContext.allowPrivilegeEscalation).not.toBe(false);
    }
  });

  it('does not set runAsNonRoot', () => {
    const { pod, container } = render();
    expect(pod.securityContext.runAsNonRoot).toBeUndefined();
    expect(container.securityContext.runAsNonRoot).toBeUndefined();
  });

  it('puts no cdk8s.io/metadata.addr label anywhere in the output', () => {
    const texts = renderedTexts(
      envYaml({
        platform: 'openshift',
        velero: { createNamespace: true, credentialsSecret: 'cloud-credentials' },
        nodeAgent: { podLabels: { team: 'storage' } },
        config: CONFIG,
      }),
    );
    expect(texts.length).toBeGreaterThanOrEqual(5);
    for (const text of texts) {
      expect(text).not.toContain('cdk8s.io/metadata.addr');
      expect(text).not.toContain('cdk8s.io');
    }
  });
});
