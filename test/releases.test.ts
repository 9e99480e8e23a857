/**
 * The whole node-agent DaemonSet, release by release and platform by platform, against literal
 * objects written from ../shared/velero-node-agent.md (section 2's per-version table, section 3's
 * platform paths) and Velero's pkg/install/daemonset.go at each tag, never from the code under test.
 * Releases: the newest patch of each minor, plus both sides of every change inside a minor.
 */
import { createHash } from 'crypto';
import { stringify } from 'yaml';
import { DIFFERENCES } from './differences';
import { render } from './helpers';

/** Section 2, row by row: what changes between releases. */
interface ReleaseRow {
  /** `role: node-agent` on the pods (1.16+). */
  readonly role: boolean;
  /** How the Linux DaemonSet is kept off Windows nodes. */
  readonly os: 'none' | 'node-selector' | 'affinity';
  /** velero install's default resources (1.13 only). */
  readonly resources?: object;
  /** The credentials Secret's defaultMode (0444 from 1.16.2). */
  readonly defaultMode?: number;
  /** --node-agent-configmap (1.15+). */
  readonly configMapFlag: boolean;
  /** host-plugins mount path is the host path (1.13/1.14, the block data path: a difference we chose). */
  readonly pluginsAtHostPath: boolean;
}

const RELEASES: [string, ReleaseRow][] = [
  ['1.13.2', { role: false, os: 'none', resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } }, configMapFlag: false, pluginsAtHostPath: true }],
  ['1.14.1', { role: false, os: 'none', configMapFlag: false, pluginsAtHostPath: true }],
  ['1.15.2', { role: false, os: 'none', configMapFlag: true, pluginsAtHostPath: false }],
  ['1.16.1', { role: true, os: 'node-selector', configMapFlag: true, pluginsAtHostPath: false }],
  ['1.16.2', { role: true, os: 'node-selector', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
  ['1.17.0', { role: true, os: 'node-selector', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
  ['1.17.1', { role: true, os: 'node-selector', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
  ['1.17.2', { role: true, os: 'node-selector', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
  ['1.18.0', { role: true, os: 'node-selector', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
  ['1.18.1', { role: true, os: 'affinity', defaultMode: 0o444, configMapFlag: true, pluginsAtHostPath: false }],
];

/** Section 3: host-pods, host-plugins, the documented plugins mount path if the platform moves it, privileged. */
const PLATFORMS: [string, { pods: string; plugins: string; pluginsMount?: string; privileged: boolean }][] = [
  ['kubernetes', { pods: '/var/lib/kubelet/pods', plugins: '/var/lib/kubelet/plugins', privileged: false }],
  ['rancheros', { pods: '/opt/rke/var/lib/kubelet/pods', plugins: '/var/lib/kubelet/plugins', privileged: false }],
  ['nutanix', { pods: '/var/nutanix/var/lib/kubelet/pods', plugins: '/var/nutanix/var/lib/kubelet/plugins', privileged: false }],
  ['openshift', { pods: '/var/lib/kubelet/pods', plugins: '/var/lib/kubelet/plugins', privileged: true }],
  ['openshift-ibm-cloud', { pods: '/var/lib/kubelet/pods', plugins: '/var/data/kubelet/plugins', pluginsMount: '/var/data/kubelet/plugins', privileged: true }],
  ['tkgi', { pods: '/var/vcap/data/kubelet/pods', plugins: '/var/lib/kubelet/plugins', privileged: true }],
  ['azure', { pods: '/var/lib/kubelet/pods', plugins: '/var/lib/kubelet/plugins', privileged: false }],
  ['microk8s', { pods: '/var/snap/microk8s/common/var/lib/kubelet/pods', plugins: '/var/snap/microk8s/common/var/lib/kubelet/plugins', privileged: false }],
  ['k0s', { pods: '/var/lib/k0s/kubelet/pods', plugins: '/var/lib/k0s/kubelet/plugins', privileged: false }],
];

const CASES = RELEASES.flatMap(([version, row]) => PLATFORMS.map(([platform, paths]) => [version, platform, row, paths] as const));

/** The config every case renders, and the JSON the ConfigMap must hold (privilegedFsBackup on OpenShift from 1.17.1). */
function configJson(version: string, platform: string): string {
  const fsBackup = platform.startsWith('openshift') && !['1.13.2', '1.14.1', '1.15.2', '1.16.1', '1.16.2', '1.17.0'].includes(version);
  return fsBackup
    ? '{\n  "loadConcurrency": {\n    "globalConfig": 1\n  },\n  "privilegedFsBackup": true\n}\n'
    : '{\n  "loadConcurrency": {\n    "globalConfig": 1\n  }\n}\n';
}

const WINDOWS_AFFINITY = (operator: string) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator, values: ['windows'] }] }] },
  },
});

function expectedDaemonSet(version: string, platform: string, row: ReleaseRow, paths: (typeof PLATFORMS)[number][1]) {
  const cloud = '/credentials/cloud';
  const pluginsMount = row.pluginsAtHostPath ? paths.plugins : (paths.pluginsMount ?? '/var/lib/kubelet/plugins');
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-agent', namespace: 'velero', labels: { component: 'velero' } },
    spec: {
      selector: { matchLabels: { name: 'node-agent' } },
      template: {
        metadata: {
          labels: { component: 'velero', name: 'node-agent', ...(row.role && { role: 'node-agent' }) },
          annotations: { 'checksum/node-agent-config': createHash('sha256').update(configJson(version, platform)).digest('hex') },
        },
        spec: {
          serviceAccountName: 'velero',
          automountServiceAccountToken: true,
          securityContext: { runAsUser: 0 },
          ...(row.os === 'affinity' ? { affinity: WINDOWS_AFFINITY('NotIn') } : { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
          ...(row.os === 'node-selector' && { os: { name: 'linux' } }),
          volumes: [
            { name: 'host-pods', hostPath: { path: paths.pods } },
            { name: 'host-plugins', hostPath: { path: paths.plugins } },
            { name: 'scratch', emptyDir: {} },
            { name: 'cloud-credentials', secret: { secretName: 'cloud-credentials', ...(row.defaultMode && { defaultMode: row.defaultMode }) } },
          ],
          containers: [
            {
              name: 'node-agent',
              image: `velero/velero:v${version}`,
              imagePullPolicy: 'IfNotPresent',
              command: ['/velero'],
              args: ['node-agent', 'server', '--features=EnableCSI', ...(row.configMapFlag ? ['--node-agent-configmap=node-agent-config'] : [])],
              ports: [{ name: 'metrics', containerPort: 8085 }],
              env: [
                { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
                { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: cloud },
                { name: 'AWS_SHARED_CREDENTIALS_FILE', value: cloud },
                { name: 'AZURE_CREDENTIALS_FILE', value: cloud },
                { name: 'ALIBABA_CLOUD_CREDENTIALS_FILE', value: cloud },
              ],
              volumeMounts: [
                { name: 'host-pods', mountPath: '/host_pods', mountPropagation: 'HostToContainer' },
                { name: 'host-plugins', mountPath: pluginsMount, mountPropagation: 'HostToContainer' },
                { name: 'scratch', mountPath: '/scratch' },
                { name: 'cloud-credentials', mountPath: '/credentials' },
              ],
              securityContext: { privileged: paths.privileged },
              ...(row.resources && { resources: row.resources }),
            },
          ],
        },
      },
    },
  };
}

const environment = (version: string, platform: string, extra: object = {}) =>
  stringify({
    platform,
    velero: { version, features: ['EnableCSI'], credentialsSecret: 'cloud-credentials' },
    config: { loadConcurrency: { globalConfig: 1 } },
    ...extra,
  });

describe('the DaemonSet of every release on every platform', () => {
  test.each(CASES)('Velero %s on %s', (version, platform, row, paths) => {
    const { objects, findings } = render(environment(version, platform));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(objects['daemonset-node-agent.yaml']).toEqual(expectedDaemonSet(version, platform, row, paths));
    expect(objects['configmap-node-agent-config.yaml'].data).toEqual({ 'node-agent-config.json': configJson(version, platform) });
  });
});

describe('the node-agent-windows DaemonSet (nodeAgent.windows, 1.16+)', () => {
  /** Section 2: the Windows DaemonSet per release (tolerations: NoExecute from 1.17.0; affinity in 1.18.1). */
  const WINDOWS: [string, { tolerations: string[]; os: 'node-selector' | 'affinity'; role: boolean }][] = [
    ['1.16.2', { tolerations: ['NoSchedule'], os: 'node-selector', role: true }],
    ['1.17.2', { tolerations: ['NoSchedule', 'NoExecute'], os: 'node-selector', role: true }],
    ['1.18.0', { tolerations: ['NoSchedule', 'NoExecute'], os: 'node-selector', role: true }],
    ['1.18.1', { tolerations: ['NoSchedule', 'NoExecute'], os: 'affinity', role: true }],
  ];

  test.each(WINDOWS)('Velero %s', (version, row) => {
    const { objects, findings } = render(environment(version, 'kubernetes', { nodeAgent: { windows: true } }));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const ds = objects['daemonset-node-agent-windows.yaml'];
    const pod = ds.spec.template.spec;
    expect(ds.metadata).toEqual({ name: 'node-agent-windows', namespace: 'velero', labels: { component: 'velero' } });
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'node-agent-windows' } });
    expect(ds.spec.template.metadata.labels).toEqual({ component: 'velero', name: 'node-agent-windows', role: 'node-agent' });
    expect(pod.containers.map((c: any) => c.name)).toEqual(['node-agent-windows']);
    expect(pod.securityContext).toBeUndefined();
    expect(pod.containers[0].securityContext).toBeUndefined();
    expect(pod.os).toEqual({ name: 'windows' });
    expect(pod.tolerations).toEqual(row.tolerations.map((effect) => ({ key: 'os', operator: 'Equal', value: 'windows', effect })));
    if (row.os === 'affinity') {
      expect(pod.affinity).toEqual(WINDOWS_AFFINITY('In'));
      expect(pod.nodeSelector).toBeUndefined();
    } else {
      expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
      expect(pod.affinity).toBeUndefined();
    }
    // the same volumes, env, args and port as the Linux DaemonSet
    const linux = objects['daemonset-node-agent.yaml'].spec.template.spec;
    expect(pod.volumes).toEqual(linux.volumes);
    expect(pod.containers[0].env).toEqual(linux.containers[0].env);
    expect(pod.containers[0].args).toEqual(linux.containers[0].args);
    expect(pod.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 8085 }]);
    expect(ds.spec.template.metadata.annotations).toEqual(objects['daemonset-node-agent.yaml'].spec.template.metadata.annotations);
  });

  test('before 1.16 there is no Windows DaemonSet: an error naming the release that introduced it', () => {
    const { findings, objects } = render(environment('1.15.2', 'kubernetes', { nodeAgent: { windows: true } }));
    expect(findings.map((f) => [f.rule, f.path, f.message])).toEqual([
      ['velero-version', 'nodeAgent.windows', '"windows" was introduced in Velero 1.16.0; this environment runs Velero 1.15.2'],
    ]);
    expect(objects).toEqual({});
  });
});

describe('settings velero install has flags for', () => {
  test('backupRepositoryConfigMap -> --backup-repository-configmap after the ConfigMap flag (1.18.0+)', () => {
    const { objects } = render(environment('1.18.0', 'kubernetes', { nodeAgent: { backupRepositoryConfigMap: 'backup-repository-config' } }));
    expect(objects['daemonset-node-agent.yaml'].spec.template.spec.containers[0].args).toEqual([
      'node-agent', 'server', '--features=EnableCSI', '--node-agent-configmap=node-agent-config', '--backup-repository-configmap=backup-repository-config',
    ]);
  });

  test('backupRepositoryConfigMap on 1.17.2 is too new', () => {
    const { findings } = render(environment('1.17.2', 'kubernetes', { nodeAgent: { backupRepositoryConfigMap: 'backup-repository-config' } }));
    expect(findings.map((f) => [f.rule, f.path])).toEqual([['velero-version', 'nodeAgent.backupRepositoryConfigMap']]);
  });

  test('imagePullSecrets on the pod', () => {
    const { objects } = render(environment('1.18.1', 'kubernetes', { nodeAgent: { imagePullSecrets: ['mirror-pull', 'backup-pull'] } }));
    expect(objects['daemonset-node-agent.yaml'].spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }, { name: 'backup-pull' }]);
  });

  test('disableHostPath (1.17+): no hostPath volume or mount at all', () => {
    const { objects } = render(environment('1.17.0', 'kubernetes', { nodeAgent: { disableHostPath: true } }));
    const pod = objects['daemonset-node-agent.yaml'].spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['scratch', 'cloud-credentials']);
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/scratch', '/credentials']);
  });
});

describe('where we differ from velero install', () => {
  const pod = (version: string, extra: object = {}, platform = 'kubernetes') => render(environment(version, platform, extra)).objects['daemonset-node-agent.yaml'].spec.template.spec;

  test(DIFFERENCES[0], () => {
    for (const version of ['1.13.2', '1.14.1', '1.15.2']) {
      expect(pod(version).nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(pod(version).os).toBeUndefined();
    }
    expect(pod('1.15.2', { nodeAgent: { nodeSelector: { pool: 'backup' } } }).nodeSelector).toEqual({ pool: 'backup', 'kubernetes.io/os': 'linux' });
  });

  test(DIFFERENCES[1], () => {
    const mountOf = (version: string) => pod(version, { kubeletRootDir: '/data/kubelet' }).containers[0].volumeMounts.find((m: any) => m.name === 'host-plugins').mountPath;
    expect(mountOf('1.13.2')).toBe('/data/kubelet/plugins');
    expect(mountOf('1.14.1')).toBe('/data/kubelet/plugins');
    expect(mountOf('1.15.2')).toBe('/var/lib/kubelet/plugins');
  });

  test.each([
    ['registry.example.com:5000/velero/velero:v1.18.1', 'IfNotPresent'],
    [`velero/velero:v1.18.1@sha256:${'ab'.repeat(32)}`, 'IfNotPresent'],
    [`velero/velero@sha256:${'ab'.repeat(32)}`, 'IfNotPresent'],
    ['velero/velero:v1.18.1', 'IfNotPresent'],
    ['velero/velero:main', 'Always'],
    ['velero/velero:latest', 'Always'],
  ])(`${DIFFERENCES[2]}: %s -> %s`, (image, policy) => {
    const waiver = { policyExceptions: [{ rule: 'image-pinned', reason: 'testing the pull policy of an unpinned image' }] };
    const r = render(stringify({ velero: { version: '1.18.1', image }, ...waiver }));
    expect(r.objects['daemonset-node-agent.yaml'].spec.template.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  test(DIFFERENCES[3], () => {
    expect(pod('1.13.2').automountServiceAccountToken).toBe(true);
    expect(pod('1.18.1').automountServiceAccountToken).toBe(true);
  });

  test(DIFFERENCES[4], () => {
    const annotations = (globalConfig: number) =>
      render(environment('1.18.1', 'kubernetes', { config: { loadConcurrency: { globalConfig } } })).objects['daemonset-node-agent.yaml'].spec.template.metadata.annotations;
    expect(annotations(1)).toEqual({ 'checksum/node-agent-config': createHash('sha256').update('{\n  "loadConcurrency": {\n    "globalConfig": 1\n  }\n}\n').digest('hex') });
    expect(annotations(2)['checksum/node-agent-config']).not.toBe(annotations(1)['checksum/node-agent-config']);
  });

  test(DIFFERENCES[5], () => {
    const { objects } = render(environment('1.17.0', 'kubernetes'));
    expect(objects['configmap-node-agent-config.yaml']).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'node-agent-config', namespace: 'velero', labels: { component: 'velero' }, annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      data: { 'node-agent-config.json': '{\n  "loadConcurrency": {\n    "globalConfig": 1\n  }\n}\n' },
    });
  });

  test(DIFFERENCES[6], () => {
    const configOf = (version: string, platform: string) =>
      render(stringify({ platform, velero: { version } })).objects['configmap-node-agent-config.yaml']?.data['node-agent-config.json'];
    expect(configOf('1.17.1', 'openshift')).toBe('{\n  "privilegedFsBackup": true\n}\n');
    expect(configOf('1.18.1', 'openshift-ibm-cloud')).toBe('{\n  "privilegedFsBackup": true\n}\n');
    expect(configOf('1.17.0', 'openshift')).toBeUndefined();
    expect(configOf('1.18.1', 'kubernetes')).toBeUndefined();
  });

  test(DIFFERENCES[7], () => {
    const { objects } = render(stringify({ platform: 'openshift', velero: { version: '1.18.1', createNamespace: true } }));
    const annotations = Object.fromEntries(Object.entries(objects).filter(([file]) => file !== 'kustomization.yaml').map(([file, o]) => [file, o.metadata.annotations]));
    expect(annotations).toEqual({
      'namespace-velero.yaml': {
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        'openshift.io/node-selector': '',
      },
      'rolebinding-velero-scc-privileged.yaml': { 'argocd.argoproj.io/sync-wave': '-1' },
      'configmap-node-agent-config.yaml': { 'argocd.argoproj.io/sync-wave': '-1' },
      'daemonset-node-agent.yaml': undefined,
    });
  });
});
