/**
 * The checks on rendered manifests (pipeline/check.ts, policies/manifests/*): a real render,
 * deep-cloned and tampered with the way a bug in constructs/ could, must be reported with the
 * right rule id and key path. The untampered render of every example environment passes.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { checkManifests } from '../pipeline/check';
import { Finding } from '../pipeline/findings';
import { specOf } from '../pipeline/environment';
import { loadEnvironments } from '../pipeline/load';
import { RenderedEnvironment, toYaml } from '../pipeline/render';
import { synthesize } from '../pipeline/synth';
import { checkSpec } from '../policies/check';
import { kubernetesSchemaViolations } from '../policies/manifests/kubernetes-schema';
import { ContractViolation, nodeAgentContractViolations } from '../policies/manifests/node-agent-contract';
import type { NodeAgentSpec } from '../policies/spec';
import { resolvePlatform } from '../velero/platforms';
import { contractRelease, Release } from '../velero/releases';
import { environmentsDir } from './helpers';

const DS = 'daemonset-node-agent.yaml';
const OUT = 'out';
const HINT = 'a bug in constructs/, not in test-env.yaml: please report it';
const POD = ['spec', 'template', 'spec'];
const CONTAINER = [...POD, 'containers', 0];

interface Subject {
  readonly spec: NodeAgentSpec;
  readonly release: Release;
  readonly rendered: RenderedEnvironment;
}

/** The spec and release the pipeline rendered one environment folder with. */
function specIn(dir: string): { spec: NodeAgentSpec; release: Release } {
  const spec = checkSpec(specOf(loadEnvironments(dir).environments[0].data)).valid!;
  return { spec, release: contractRelease(spec.version)! };
}

/** Validates and renders one environment file through the real pipeline; it must render cleanly. */
function renderOne(yamlText: string): Subject {
  const dir = environmentsDir({ 'test-env.yaml': yamlText });
  const { rendered, findings } = synthesize(dir);
  if (findings.length || rendered.length !== 1) throw new Error(`expected a clean render: ${JSON.stringify(findings, null, 2)}`);
  return { ...specIn(dir), rendered: rendered[0] };
}

/** checkManifests on a (tampered) render of the subject. */
const checked = ({ spec, release }: Subject, rendered: RenderedEnvironment) => checkManifests(spec, release, rendered, OUT, 'test-env.yaml');

const KUBERNETES = [
  'platform: kubernetes',
  'velero:',
  '  version: "1.18.1"',
  'nodeAgent:',
  '  configMapName: node-agent-settings',
  'config:',
  '  loadConcurrency:',
  '    globalConfig: 2',
].join('\n') + '\n';

const OPENSHIFT = ['platform: openshift', 'velero:', '  version: "1.18.1"', 'config:', '  loadConcurrency:', '    globalConfig: 1'].join('\n') + '\n';

const WITH_RESOURCES = ['velero:', '  version: "1.18.1"', 'nodeAgent:', '  resources:', '    limits: {cpu: "1", memory: 1Gi}'].join('\n') + '\n';

const LEGACY = ['velero:', '  version: "1.14.0"', 'config:', '  loadConcurrency:', '    globalConfig: 1'].join('\n') + '\n';

/**
 * A deep copy of the render with `mutate` applied to its DaemonSet and ConfigMap; the files are
 * re-serialised from the mutated objects (header kept), so positions point into what was tampered.
 */
function tamper(rendered: RenderedEnvironment, mutate: (ds: any, cm: any, manifests: Map<string, any>) => void): RenderedEnvironment {
  // A JSON copy, not structuredClone: under jest that makes objects of another realm, whose
  // prototypes fail util.isDeepStrictEqual against the contract's literals.
  const manifests = new Map<string, any>([...rendered.manifests].map(([file, m]) => [file, JSON.parse(JSON.stringify(m))]));
  const ofKind = (kind: string) => [...manifests.values()].find((m) => m.kind === kind);
  mutate(ofKind('DaemonSet'), ofKind('ConfigMap'), manifests);
  const files = new Map(rendered.files);
  for (const [file, m] of manifests) files.set(file, rendered.files.get(file)!.split('\n')[0] + '\n' + toYaml(m));
  return { name: rendered.name, files, manifests };
}

/** The contract check on a (tampered) render. */
/** Contract violations; `object` is left out for the DaemonSet, where nearly all of them are. */
function contract({ spec, release }: Subject, rendered: RenderedEnvironment): Omit<ContractViolation, 'object'>[] {
  const ofKind = (kind: string) => [...rendered.manifests.values()].find((m) => m.kind === kind);
  const platform = resolvePlatform(spec.platform, spec.kubeletRootDir);
  return nodeAgentContractViolations({ daemonSet: ofKind('DaemonSet'), configMap: ofKind('ConfigMap') }, spec, platform, release).map(
    ({ object, ...v }) => (object === 'daemonSet' ? v : { ...v, object }),
  );
}

/** Position of the scalar value on the line that reads exactly `lineText` ("key: value"). */
function valueAt(text: string, lineText: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.indexOf(lineText);
  if (i < 0) throw new Error(`no line ${JSON.stringify(lineText)} in\n${text}`);
  return { line: i + 1, column: lineText.indexOf(': ') + 3 };
}

/** Position of the block (map or list) under the line that reads exactly `keyLine` ("key:"). */
function blockAt(text: string, keyLine: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.indexOf(keyLine);
  if (i < 0) throw new Error(`no line ${JSON.stringify(keyLine)} in\n${text}`);
  return { line: i + 2, column: lines[i + 1].search(/\S/) + 1 };
}

const dsFile = path.join(OUT, 'test-env', DS);
const manifestError = (f: Omit<Finding, 'file' | 'severity' | 'hint'>, file = dsFile): Finding => ({ file, severity: 'error', hint: HINT, ...f });

describe('the untampered test renders', () => {
  test.each([
    ['kubernetes with a named ConfigMap', KUBERNETES],
    ['openshift', OPENSHIFT],
    ['resources set', WITH_RESOURCES],
    ['Velero 1.14 (legacy ConfigMap name, no flag)', LEGACY],
    ['privileged asked for on kubernetes', 'velero:\n  version: "1.18.1"\nnodeAgent:\n  privileged: true\n'],
    ['unprivileged asked for on openshift', 'platform: openshift\nvelero:\n  version: "1.18.1"\nnodeAgent:\n  privileged: false\n'],
  ])('%s: no finding', (_, text) => {
    // The last one has a rule warning (unprivileged-on-privileged-platform), so no renderOne here.
    const dir = environmentsDir({ 'test-env.yaml': text });
    const { rendered, findings } = synthesize(dir);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(rendered).toHaveLength(1);
    expect(checked({ ...specIn(dir), rendered: rendered[0] }, rendered[0])).toEqual([]);
  });
});

describe('daemonset-contract', () => {
  const subject = renderOne(KUBERNETES);

  test('a selector other than {matchLabels: {name: node-agent}}', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.selector = { matchLabels: { app: 'node-agent' } };
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: ['spec', 'selector'], message: 'expected {"matchLabels":{"name":"node-agent"}}, rendered {"matchLabels":{"app":"node-agent"}}' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...blockAt(t.files.get(DS)!, '  selector:'), path: 'spec.selector', rule: 'daemonset-contract',
        message: 'expected {"matchLabels":{"name":"node-agent"}}, rendered {"matchLabels":{"app":"node-agent"}}',
      }),
    ]);
  });

  test('a second container', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox:1.36' });
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...POD, 'containers'], message: 'expected ["node-agent"], rendered ["node-agent","sidecar"]' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...blockAt(t.files.get(DS)!, '      containers:'), path: 'spec.template.spec.containers', rule: 'daemonset-contract',
        message: 'expected ["node-agent"], rendered ["node-agent","sidecar"]',
      }),
    ]);
  });

  test('the one container renamed', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].name = 'velero';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...POD, 'containers'], message: 'expected ["node-agent"], rendered ["velero"]' },
    ]);
  });

  test('the host-pods volume and its mount renamed', () => {
    const t = tamper(subject.rendered, (ds) => {
      const pod = ds.spec.template.spec;
      pod.volumes.find((v: any) => v.name === 'host-pods').name = 'pods';
      pod.containers[0].volumeMounts.find((m: any) => m.name === 'host-pods').name = 'pods';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...POD, 'volumes'], message: 'volume "host-pods" is missing (Velero reads it by this name)' },
      { rule: 'daemonset-contract', path: [...CONTAINER, 'volumeMounts'], message: 'volume mount "host-pods" is missing' },
    ]);
    const found = checked(subject, t);
    expect(found.map((f) => [f.rule, f.path, f.severity])).toEqual(
      expect.arrayContaining([
        ['daemonset-contract', 'spec.template.spec.volumes', 'error'],
        ['daemonset-contract', 'spec.template.spec.containers[0].volumeMounts', 'error'],
      ]),
    );
    expect(found).toHaveLength(2);
  });

  test('the host-pods mount without HostToContainer propagation', () => {
    const t = tamper(subject.rendered, (ds) => {
      delete ds.spec.template.spec.containers[0].volumeMounts[0].mountPropagation;
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'volumeMounts', 0], message: 'expected ["/host_pods","HostToContainer"], rendered ["/host_pods",null]' },
    ]);
  });

  test('automountServiceAccountToken: false', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.automountServiceAccountToken = false;
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...POD, 'automountServiceAccountToken'], message: 'node-agent needs its service-account token' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...valueAt(t.files.get(DS)!, '      automountServiceAccountToken: false'), path: 'spec.template.spec.automountServiceAccountToken',
        rule: 'daemonset-contract', message: 'node-agent needs its service-account token',
      }),
    ]);
  });

  test('the --node-agent-configmap flag missing', () => {
    const t = tamper(subject.rendered, (ds) => {
      const c = ds.spec.template.spec.containers[0];
      c.args = c.args.filter((a: string) => !a.startsWith('--node-agent-configmap'));
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'args'], message: 'expected ["--node-agent-configmap=node-agent-settings"], rendered []' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...blockAt(t.files.get(DS)!, '        - args:'), path: 'spec.template.spec.containers[0].args', rule: 'daemonset-contract',
        message: 'expected ["--node-agent-configmap=node-agent-settings"], rendered []',
      }),
    ]);
  });

  test('the flag naming another ConfigMap', () => {
    const t = tamper(subject.rendered, (ds) => {
      const args: string[] = ds.spec.template.spec.containers[0].args;
      args[args.indexOf('--node-agent-configmap=node-agent-settings')] = '--node-agent-configmap=node-agent-config';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'args'], message: 'expected ["--node-agent-configmap=node-agent-settings"], rendered ["--node-agent-configmap=node-agent-config"]' },
    ]);
  });

  test('a config hash that is not the sha256 of the ConfigMap data', () => {
    const wrong = 'f'.repeat(64);
    let data = '';
    const t = tamper(subject.rendered, (ds, cm) => {
      data = cm.data['node-agent-config.json'];
      ds.spec.template.metadata.annotations['checksum/node-agent-config'] = wrong;
    });
    expect(data).toBe('{\n  "loadConcurrency": {\n    "globalConfig": 2\n  }\n}\n');
    const right = createHash('sha256').update(data).digest('hex');
    const message = `expected "${right}", rendered "${wrong}"`;
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: ['spec', 'template', 'metadata', 'annotations', 'checksum/node-agent-config'], message },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...valueAt(t.files.get(DS)!, `        checksum/node-agent-config: ${wrong}`),
        path: 'spec.template.metadata.annotations["checksum/node-agent-config"]', rule: 'daemonset-contract', message,
      }),
    ]);
  });

  test('a ConfigMap with two data keys', () => {
    const t = tamper(subject.rendered, (_, cm) => {
      cm.data['other.json'] = '{}';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: ['data'], message: 'expected exactly one data key, rendered 2', object: 'configMap' },
    ]);
    const found = checked(subject, t);
    expect(found.map((f) => [f.rule, f.path, f.severity, f.message])).toEqual([['daemonset-contract', 'data', 'error', 'expected exactly one data key, rendered 2']]);
  });

  test('a problem in the ConfigMap points into the ConfigMap file, at its data', () => {
    const t = tamper(subject.rendered, (_, cm) => {
      cm.data['other.json'] = '{}';
    });
    const cmFile = 'configmap-node-agent-settings.yaml';
    const [finding] = checked(subject, t);
    expect(finding).toMatchObject({
      file: path.join(OUT, 'test-env', cmFile),
      ...blockAt(t.files.get(cmFile)!, 'data:'),
      rule: 'daemonset-contract',
      severity: 'error',
      message: 'expected exactly one data key, rendered 2',
    });
  });

  test('runAsNonRoot: true', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].securityContext.runAsNonRoot = true;
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'securityContext', 'runAsNonRoot'], message: 'node-agent runs as root (runAsUser: 0)' },
    ]);
  });

  test('the pod label role changed', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.metadata.labels.role = 'agent';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: ['spec', 'template', 'metadata', 'labels', 'role'], message: 'expected "node-agent", rendered "agent"' },
    ]);
  });

  test('resources set although the environment asks for none (BestEffort)', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].resources = { limits: { memory: '1Gi' } };
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'resources'], message: 'expected undefined, rendered {"limits":{"memory":"1Gi"}}' },
    ]);
  });

  test('before Velero 1.15: a ConfigMap not named node-agent-config, and a flag that does not exist yet', () => {
    const legacy = renderOne(LEGACY);
    const t = tamper(legacy.rendered, (ds, cm) => {
      cm.metadata.name = 'velero-node-agent';
      ds.spec.template.spec.containers[0].args.push('--node-agent-configmap=velero-node-agent');
    });
    expect(contract(legacy, t)).toEqual([
      { rule: 'daemonset-contract', path: [...CONTAINER, 'args'], message: 'expected [], rendered ["--node-agent-configmap=velero-node-agent"]' },
      { rule: 'daemonset-contract', path: ['metadata', 'name'], message: 'expected "node-agent-config", rendered "velero-node-agent"', object: 'configMap' },
    ]);
  });

  test('no DaemonSet at all is reported on kustomization.yaml', () => {
    const t = tamper(subject.rendered, (_, __, manifests) => {
      manifests.delete(DS);
    });
    expect(checked(subject, t)).toEqual([
      manifestError(
        // The root of kustomization.yaml: line 2, under the "# Rendered from" header.
        { line: 2, column: 1, path: '', rule: 'daemonset-contract', message: 'no node-agent DaemonSet was rendered' },
        path.join(OUT, 'test-env', 'kustomization.yaml'),
      ),
    ]);
  });
});

describe('host-path-allowed', () => {
  const subject = renderOne(KUBERNETES);

  test('a hostPath volume outside the platform paths', () => {
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
    });
    const message = "hostPath /var/run/docker.sock is not one of the platform's kubelet paths (/var/lib/kubelet/pods, /var/lib/kubelet/plugins)";
    expect(contract(subject, t)).toEqual([{ rule: 'host-path-allowed', path: [...POD, 'volumes', 3, 'hostPath', 'path'], message }]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...valueAt(t.files.get(DS)!, '            path: /var/run/docker.sock'),
        path: 'spec.template.spec.volumes[3].hostPath.path', rule: 'host-path-allowed', message,
      }),
    ]);
  });

  test('host-plugins moved to another directory (mount moved along): from 1.15 the mount stays at /var/lib/kubelet/plugins', () => {
    const t = tamper(subject.rendered, (ds) => {
      const pod = ds.spec.template.spec;
      pod.volumes[1].hostPath.path = '/var/lib/docker/plugins';
      pod.containers[0].volumeMounts[1].mountPath = '/var/lib/docker/plugins';
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'host-path-allowed', path: [...POD, 'volumes', 1, 'hostPath', 'path'], message: 'expected "/var/lib/kubelet/plugins", rendered "/var/lib/docker/plugins"' },
      {
        rule: 'daemonset-contract', path: [...CONTAINER, 'volumeMounts', 1],
        message: 'expected ["/var/lib/kubelet/plugins","HostToContainer"], rendered ["/var/lib/docker/plugins","HostToContainer"]',
      },
    ]);
  });

  test('a host-pods hostPath that is not a pods folder (the Nutanix path of Velero\'s docs)', () => {
    const nutanix = renderOne('platform: nutanix\nvelero:\n  version: "1.18.1"\n');
    const t = tamper(nutanix.rendered, (ds) => {
      ds.spec.template.spec.volumes[0].hostPath.path = '/var/nutanix/var/lib/kubelet';
    });
    expect(contract(nutanix, t)).toEqual([
      { rule: 'host-path-allowed', path: [...POD, 'volumes', 0, 'hostPath', 'path'], message: 'expected "/var/nutanix/var/lib/kubelet/pods", rendered "/var/nutanix/var/lib/kubelet"' },
      {
        rule: 'host-path-allowed', path: [...POD, 'volumes', 0, 'hostPath', 'path'],
        message: "host-pods must be the kubelet's pods folder (ending in /pods), rendered /var/nutanix/var/lib/kubelet",
      },
    ]);
  });

  test("the default kubelet paths are outside k0s's kubelet root", () => {
    const k0s = renderOne('platform: k0s\nvelero:\n  version: "1.18.1"\n');
    const t = tamper(k0s.rendered, (ds) => {
      const pod = ds.spec.template.spec;
      pod.volumes[0].hostPath.path = '/var/lib/kubelet/pods';
    });
    expect(contract(k0s, t)).toEqual([
      { rule: 'host-path-allowed', path: [...POD, 'volumes', 0, 'hostPath', 'path'], message: 'expected "/var/lib/k0s/kubelet/pods", rendered "/var/lib/kubelet/pods"' },
    ]);
  });
});

describe('privileged-escalation and privileged-only-when-needed', () => {
  test('privileged: true with allowPrivilegeEscalation: false (OpenShift, where privileged is needed)', () => {
    const subject = renderOne(OPENSHIFT);
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].securityContext = { privileged: true, allowPrivilegeEscalation: false };
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'privileged-escalation', path: [...CONTAINER, 'securityContext'], message: 'privileged: true with allowPrivilegeEscalation: false is rejected by Kubernetes' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...blockAt(t.files.get(DS)!, '          securityContext:'), path: 'spec.template.spec.containers[0].securityContext',
        rule: 'privileged-escalation', message: 'privileged: true with allowPrivilegeEscalation: false is rejected by Kubernetes',
      }),
    ]);
  });

  test('privileged: true on plain kubernetes without being asked', () => {
    const subject = renderOne(KUBERNETES);
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].securityContext.privileged = true;
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'privileged-only-when-needed', path: [...CONTAINER, 'securityContext', 'privileged'], message: 'expected false, rendered true' },
    ]);
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...valueAt(t.files.get(DS)!, '            privileged: true'), path: 'spec.template.spec.containers[0].securityContext.privileged',
        rule: 'privileged-only-when-needed', message: 'expected false, rendered true',
      }),
    ]);
  });

  test('privileged dropped on OpenShift without being asked', () => {
    const subject = renderOne(OPENSHIFT);
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].securityContext = { privileged: false };
    });
    expect(contract(subject, t)).toEqual([
      { rule: 'privileged-only-when-needed', path: [...CONTAINER, 'securityContext', 'privileged'], message: 'expected true, rendered false' },
    ]);
  });
});

describe('manifest-schema (the Kubernetes OpenAPI schema)', () => {
  test('a string containerPort', () => {
    const subject = renderOne(KUBERNETES);
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].ports[0].containerPort = '8085';
    });
    expect(kubernetesSchemaViolations(t.manifests.get(DS)!)).toEqual([
      { path: [...CONTAINER, 'ports', 0, 'containerPort'], message: 'Kubernetes schema: must be integer' },
    ]);
    const text = t.files.get(DS)!;
    // Schema findings come first, then the contract's (synthesize sorts them by position).
    expect(checked(subject, t)).toEqual([
      manifestError({
        ...valueAt(text, '            - containerPort: "8085"'), path: 'spec.template.spec.containers[0].ports[0].containerPort',
        rule: 'manifest-schema', message: 'Kubernetes schema: must be integer',
      }),
      // The contract sees the same change: the port is not {name: metrics, containerPort: 8085}.
      manifestError({
        ...blockAt(text, '          ports:'), path: 'spec.template.spec.containers[0].ports', rule: 'daemonset-contract',
        message: 'expected [{"name":"metrics","containerPort":8085}], rendered [{"containerPort":"8085","name":"metrics"}]',
      }),
    ]);
  });

  test('an invalid quantity in resources', () => {
    const subject = renderOne(WITH_RESOURCES);
    const t = tamper(subject.rendered, (ds) => {
      ds.spec.template.spec.containers[0].resources.limits.cpu = 'abc';
    });
    const violations = kubernetesSchemaViolations(t.manifests.get(DS)!);
    expect(violations).toContainEqual({ path: [...CONTAINER, 'resources', 'limits', 'cpu'], message: 'Kubernetes schema: must match format "quantity"' });
    expect(violations.every((v) => v.path.join('.') === 'spec.template.spec.containers.0.resources.limits.cpu')).toBe(true);
    const found = checked(subject, t);
    expect(found).toContainEqual(
      manifestError({
        ...valueAt(t.files.get(DS)!, '              cpu: abc'), path: 'spec.template.spec.containers[0].resources.limits.cpu',
        rule: 'manifest-schema', message: 'Kubernetes schema: must match format "quantity"',
      }),
    );
    expect(found.every((f) => f.rule === 'manifest-schema' && f.path === 'spec.template.spec.containers[0].resources.limits.cpu')).toBe(true);
  });

  test('a ConfigMap data value that is not a string', () => {
    const subject = renderOne(KUBERNETES);
    const t = tamper(subject.rendered, (_, cm) => {
      cm.data['node-agent-config.json'] = 42;
    });
    expect(kubernetesSchemaViolations(t.manifests.get('configmap-node-agent-settings.yaml')!)).toEqual([
      { path: ['data', 'node-agent-config.json'], message: 'Kubernetes schema: must be string' },
    ]);
  });

  test('a kind with no schema', () => {
    expect(kubernetesSchemaViolations({ apiVersion: 'v1', kind: 'Secret' })).toEqual([{ path: ['kind'], message: 'no Kubernetes schema for v1 Secret' }]);
  });
});
