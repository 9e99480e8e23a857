/**
 * The library API from the package root, as a cdk8s app uses it: the VeleroNodeAgent construct
 * (Testing.app / Testing.synth / app.synth), its findings through cdk8s validation, and the
 * manifest checks as a cdk8s validation plugin.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import {
  ArgoCdApplication, FluxSync, NEWEST_RELEASE, NodeAgentManifestValidation, PLATFORM_NAMES, PLATFORMS, RELEASES, VeleroNodeAgent, VeleroNodeAgentProps,
} from '../index';
import { tmp } from './helpers';

/** A chart with one VeleroNodeAgent; `synth` is Testing.synth (validations included). */
function agent(props: VeleroNodeAgentProps) {
  const chart = Testing.chart();
  const construct = new VeleroNodeAgent(chart, 'node-agent', props);
  return { chart, construct, synth: () => Testing.synth(chart) };
}

const errorsOf = (props: unknown) => {
  const { synth } = agent(props as VeleroNodeAgentProps);
  try {
    synth();
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim());
  }
  return [];
};

describe('VeleroNodeAgent', () => {
  test('renders the DaemonSet, the ConfigMap and the SCC binding for OpenShift', () => {
    const { synth, construct } = agent({ version: '1.18.1', platform: 'openshift', config: { loadConcurrency: { globalConfig: 2 } } });
    const objects = synth();
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/node-agent-config', 'DaemonSet/node-agent', 'RoleBinding/velero-scc-privileged']);
    const configMap = objects.find((o: any) => o.kind === 'ConfigMap');
    expect(configMap.data).toEqual({ 'node-agent-config.json': '{\n  "loadConcurrency": {\n    "globalConfig": 2\n  },\n  "privilegedFsBackup": true\n}\n' });
    expect(construct.problems).toEqual([]);
    expect(construct.release).toBe('1.18.1');
  });

  test('construct ids are the contract: namespace, scc-privileged, config, daemonset, daemonset-windows', () => {
    const { construct } = agent({ version: '1.18.1', platform: 'openshift', createNamespace: true, config: {}, nodeAgent: { windows: true } });
    expect(construct.node.children.map((c) => c.node.id)).toEqual(['namespace', 'scc-privileged', 'config', 'daemonset', 'daemonset-windows']);
  });

  test('a deliberately bad app fails app.synth() with every finding, and writes no file', () => {
    const outdir = path.join(tmp('cdk8s-out-'), 'dist');
    const app = new App({ outdir });
    const chart = new Chart(app, 'cluster');
    new VeleroNodeAgent(chart, 'node-agent', {
      version: '1.17.2',
      image: 'velero/velero:latest',
      nodeAgent: { configMapName: 'Node_Agent' },
      config: { loadConcurrency: { globalConfig: 0 }, podResources: { cpuRequest: '100m' }, podLabels: { team: 'storage' } },
    });
    expect(() => app.synth()).toThrow(
      [
        'Validation failed with the following errors:',
        '  [cluster/node-agent] error  schema  nodeAgent.configMapName  expected a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit; got the string "Node_Agent"',
        '  [cluster/node-agent] error  velero-version  config.podLabels  "podLabels" was introduced in Velero 1.18.0; this environment runs Velero 1.17.2 (raise the Velero version to 1.18.0 or later, or remove "podLabels")',
        '  [cluster/node-agent] error  pod-resources  config.podResources  podResources sets cpuRequest but not cpuLimit, memoryRequest, memoryLimit (Velero uses the section only when all four are set ("0" means unbounded))',
        '  [cluster/node-agent] error  load-concurrency-minimum  config.loadConcurrency.globalConfig  globalConfig is 0: Velero uses 1 instead (use 1 or more)',
        '  [cluster/node-agent] error  image-pinned  image  image tag "latest" is not a version (pin a version tag (…:v1.17.2) or a digest (…@sha256:…))',
      ].join('\n'),
    );
    // cdk8s creates its output folder before it validates; no manifest is written into it.
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test.each([
    ['version: "1.17"', { version: '1.17' }, 'error  schema  version  expected a Velero release version such as "1.18.1"; got the string "1.17" (write the full version, quoted, without a leading v)'],
    ['version: 1.18 (a number)', { version: 1.18 }, 'error  schema  version  expected a string, got number 1.18 (write the full version, quoted, without a leading v)'],
    ['no version', {}, 'error  schema  -  missing required key "version"'],
    ['version 1.12.0', { version: '1.12.0' }, 'error  supported-version  version  Velero 1.12.0 is not a release this tool knows (known releases: 1.13.0 up to 1.18.1)'],
    ['an unknown platform', { version: '1.18.1', platform: 'eks' }, 'error  schema  platform  expected one of kubernetes, rancheros, nutanix, openshift, openshift-ibm-cloud, tkgi, azure, microk8s, k0s; got the string "eks" (did you mean "kubernetes"?)'],
    ['a misspelled prop', { version: '1.18.1', namespce: 'x' }, 'error  schema  namespce  unknown key "namespce" (did you mean "namespace"?)'],
    ['props that are not an object', 'openshift', 'error  schema  -  expected a map, got the string "openshift"'],
    ['a StorageClass the inventory lacks', { version: '1.18.1', config: { backupPVC: { gp3: {} } }, inventory: { storageClasses: [{ name: 'gp2' }] } }, 'error  storage-class-exists  config.backupPVC.gp3  StorageClass "gp3" is not in storageClasses (known classes: gp2; add it to storageClasses if the cluster has it)'],
  ])('%s: a finding, never a crash', (_, props, message) => {
    expect(errorsOf(props)).toEqual([`[test/node-agent] ${message}`]);
  });

  test('warnings and waivers do not fail the synth; they are on the construct', () => {
    const { synth, construct } = agent({
      version: '1.18.1',
      image: 'velero/velero:main',
      config: { backupPVC: { gp3: { spcNoRelabeling: true } } },
      policyExceptions: [{ rule: 'image-pinned', reason: 'lab cluster tracks main' }],
    });
    expect(synth()).toHaveLength(2);
    expect(construct.problems.map((p) => [p.rule, p.severity, p.hint])).toEqual([
      ['spc-no-relabeling-without-read-only', 'warning', 'set readOnly: true, or remove spcNoRelabeling'],
      ['image-pinned', 'warning', 'waived: lab cluster tracks main'],
    ]);
    expect(construct.waivers).toEqual([{ rule: 'image-pinned', reason: 'lab cluster tracks main', path: ['policyExceptions', 0, 'rule'] }]);
  });

  test('rules that need an inventory are listed as skipped when it is absent', () => {
    const { construct } = agent({ version: '1.18.1', config: { backupPVC: { gp3: {} } } });
    expect(construct.skipped).toEqual([{ rule: 'storage-class-exists', needs: 'storageClasses' }]);
  });

  test('with errors, nothing is built', () => {
    const { construct } = agent({ version: '1.17' } as VeleroNodeAgentProps);
    expect(construct.node.children).toEqual([]);
    expect(construct.daemonSet).toBeUndefined();
  });

  test('one app can hold several installations, each checked on its own', () => {
    const app = Testing.app();
    new VeleroNodeAgent(new Chart(app, 'east'), 'node-agent', { version: '1.18.1' });
    new VeleroNodeAgent(new Chart(app, 'west'), 'node-agent', { version: '1.16.2', platform: 'k0s' });
    expect(app.charts.map((c) => Testing.synth(c).length)).toEqual([1, 1]);
  });
});

describe('the facts, exported', () => {
  test('releases and platforms', () => {
    expect(RELEASES[0]).toBe('1.13.0');
    expect(NEWEST_RELEASE).toBe('1.18.1');
    expect(PLATFORM_NAMES).toEqual(['kubernetes', 'rancheros', 'nutanix', 'openshift', 'openshift-ibm-cloud', 'tkgi', 'azure', 'microk8s', 'k0s']);
    expect(PLATFORMS.nutanix.hostPodsPath).toBe('/var/nutanix/var/lib/kubelet/pods');
  });
});

describe('NodeAgentManifestValidation (cdk8s validation plugin)', () => {
  /** Runs the plugin on manifests written to files, as cdk8s-cli does; returns the violations and the status. */
  async function validate(objects: unknown[], properties = {}) {
    const file = path.join(tmp('plugin-'), 'app.k8s.yaml');
    fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    const violations: any[] = [];
    let status = '';
    await new NodeAgentManifestValidation(properties).validate({
      manifests: [file],
      report: { addViolation: (v) => violations.push(v), submit: (s) => (status = s) },
      logger: { log: () => undefined },
      parseManifest: (p) => require('yaml').parseAllDocuments(fs.readFileSync(p, 'utf8')).map((d: any) => d.toJS()),
    });
    return { violations, status, file };
  }

  const rendered = (props: VeleroNodeAgentProps) => agent(props).synth();

  test('a node-agent rendered by the construct passes', async () => {
    for (const platform of PLATFORM_NAMES) {
      const { status, violations } = await validate(rendered({ version: '1.18.1', platform, config: { loadConcurrency: { globalConfig: 1 } } }), { platform });
      expect({ platform, violations }).toEqual({ platform, violations: [] });
      expect(status).toBe('success');
    }
  });

  test('the version comes from the image tag when the properties do not give it', async () => {
    const objects = rendered({ version: '1.16.2', platform: 'microk8s' });
    expect(await validate(objects)).toMatchObject({ status: 'success', violations: [] });
  });

  test('a hand-written DaemonSet with the Nutanix path of Velero\'s docs fails, naming the rule, the path and the manifest', async () => {
    const [ds] = rendered({ version: '1.18.1', platform: 'nutanix' }) as any[];
    ds.spec.template.spec.volumes[0].hostPath.path = '/var/nutanix/var/lib/kubelet';
    const { status, violations, file } = await validate([ds], { platform: 'nutanix' });
    expect(status).toBe('failure');
    expect(violations.map((v) => [v.ruleName, v.recommendation, v.violatingResources[0]])).toEqual([
      ['host-path-allowed', 'expected "/var/nutanix/var/lib/kubelet/pods", rendered "/var/nutanix/var/lib/kubelet"', { resourceName: 'DaemonSet/node-agent', locations: ['spec.template.spec.volumes[0].hostPath.path'], manifestPath: file }],
      ['host-path-allowed', "host-pods must be the kubelet's pods folder (ending in /pods), rendered /var/nutanix/var/lib/kubelet", { resourceName: 'DaemonSet/node-agent', locations: ['spec.template.spec.volumes[0].hostPath.path'], manifestPath: file }],
    ]);
  });

  test('an image without a version and no properties.version is a violation that says what to set', async () => {
    const [ds] = rendered({ version: '1.18.1', image: 'registry.example.com/velero:main', policyExceptions: [{ rule: 'image-pinned', reason: 'test' }] }) as any[];
    const { violations } = await validate([ds]);
    expect(violations.map((v) => [v.ruleName, v.recommendation, v.fix])).toEqual([['velero-version', 'the image tag names no Velero version', 'set properties.version in cdk8s.yaml']]);
  });

  test('an unknown properties.platform is a violation', async () => {
    const { violations, status } = await validate(rendered({ version: '1.18.1' }), { platform: 'eks' });
    expect(status).toBe('failure');
    expect(violations[0].recommendation).toBe('properties.platform "eks" is not a platform');
  });

  test('manifests without node-agent pass', async () => {
    expect(await validate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: {} }])).toMatchObject({ status: 'success', violations: [] });
  });
});

describe('the delivery constructs, from the package root', () => {
  test('FluxSync and ArgoCdApplication in a chart of ones own', () => {
    const chart = Testing.chart();
    const source = { repoURL: 'https://git.example.com/fleet.git', targetRevision: 'main', path: 'dist/east-cluster' };
    new FluxSync(chart, 'flux', {
      namespace: 'flux-system', interval: '10m', timeout: '5m', cascadeDelete: false, source,
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent', namespace: 'velero' }],
    });
    new ArgoCdApplication(chart, 'argocd', {
      environment: 'east-cluster', namespace: 'argocd', project: 'default', automated: true, cascadeDelete: true, source,
      destination: { name: 'east', namespace: 'velero' },
    });
    const objects = Testing.synth(chart);
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'GitRepository/velero-node-agent', 'Kustomization/velero-node-agent', 'Application/velero-node-agent-east-cluster',
    ]);
    expect(objects[1].spec).toEqual({
      sourceRef: { kind: 'GitRepository', name: 'velero-node-agent' }, path: './dist/east-cluster', interval: '10m', timeout: '5m', prune: true,
      deletionPolicy: 'Orphan', healthChecks: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent', namespace: 'velero' }],
    });
    expect(objects[2].metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });
});
