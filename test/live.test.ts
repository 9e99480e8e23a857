/**
 * plan --live and import, on dumps written as the API server returns them (server defaults,
 * managedFields, status, kubectl's last-applied-configuration where kubectl apply set it):
 * - velero-install.yaml: `velero install --use-node-agent --features=EnableCSI
 *   --node-agent-configmap=node-agent-config` at 1.18.1, a ConfigMap made with kubectl apply,
 *   then `kubectl rollout restart`;
 * - helm-chart.yaml: the official chart 12.1.0 (deployNodeAgent, /host_plugins, Helm's labels,
 *   nodeAgent.extraArgs, a `configMaps` entry for the node-agent ConfigMap);
 * - synced.yaml: what Argo CD leaves after applying environments/nutanix-east.yaml.
 * Variants are made from these in temporary files. Nothing reads environments/ or dist/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { SERVER_DEFAULTS } from '../live/defaults';
import { synthesize } from '../pipeline/synth';
import { BIN, cli, environmentsDir, Run, tmp } from './helpers';

const LIVE = path.join(__dirname, 'fixtures', 'live');
const ENVS = path.join(LIVE, 'environments');
const STACK_TRACE_LINE = /^\s{4}at /m;
const fixture = (name: string) => path.join(LIVE, name);
/** How the commands name a file: relative to the working directory when it is below it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || relative === '' ? file : relative;
}

const plan = (live: string, environment: string, ...more: string[]) =>
  cli(['plan', '--live', live, '--environments', ENVS, '--environment', environment, ...more]);

/** A copy of a fixture dump, changed by `edit` (items: the List's items), in a temporary file. */
function variant(name: string, edit: (items: any[]) => void): string {
  const list = parse(fs.readFileSync(fixture(name), 'utf8'));
  edit(list.items);
  const file = path.join(tmp('live-'), name);
  fs.writeFileSync(file, stringify(list));
  return file;
}
const daemonSetOf = (items: any[]) => items.find((i) => i.kind === 'DaemonSet' && i.metadata.name === 'node-agent');
const configMapOf = (items: any[], name = 'node-agent-config') => items.find((i) => i.kind === 'ConfigMap' && i.metadata.name === name);

const STAYS_LEGEND = [
  '',
  '"stays": set on the live object, not by the render. kubectl apply (Argo CD\'s default) never removes it; server-side apply (Argo CD ServerSideApply=true, Flux) keeps it while another field manager owns it; Argo CD Replace=true or kubectl replace removes it. See README "Taking over an existing node-agent".',
];
const CHECKSUM = '5323293e82a6e1d95d4559e161d4cbd56059c900728563cda034c8b283a4f230';

describe('plan --live', () => {
  test('(a) velero install: host paths, args, the checksum and the token change; restartedAt stays; the JSON is compared as JSON', () => {
    const r = plan(fixture('velero-install.yaml'), 'nutanix-east');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `Plan: environment nutanix-east (Velero 1.18.1) onto the live objects of ${shown(fixture('velero-install.yaml'))}`,
      "Server defaults and the API server's own fields are left out.",
      '',
      'DaemonSet velero/node-agent: updated',
      `  added     spec.template.metadata.annotations["checksum/node-agent-config"]: ${CHECKSUM}  (this tool's hash of the ConfigMap: a config change rolls node-agent)`,
      '  added     spec.template.spec.automountServiceAccountToken: true  (this tool mounts the token node-agent needs as a controller)',
      "  changed   spec.template.spec.containers[0].args: [node-agent, server, --features=EnableCSI, --node-agent-configmap=node-agent-config] -> [node-agent, server, --features=EnableCSI, --node-agent-configmap=node-agent-config, --log-format=json]  (node-agent's arguments, replaced whole)",
      '  changed   spec.template.spec.volumes[0].hostPath.path: /var/lib/kubelet/pods -> /var/nutanix/var/lib/kubelet/pods',
      '  changed   spec.template.spec.volumes[1].hostPath.path: /var/lib/kubelet/plugins -> /var/nutanix/var/lib/kubelet/plugins',
      '  stays     spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]: 2025-05-12T14:03:27Z  (set by kubectl rollout restart)',
      '',
      'ConfigMap velero/node-agent-config: updated',
      '  added     metadata.annotations["argocd.argoproj.io/sync-wave"]: "-1"  (Argo CD applies it before node-agent)',
      '  added     metadata.labels.component: velero',
      '  changed   data["node-agent-config.json"].loadConcurrency.globalConfig: 1 -> 2',
      '',
      'node-agent restarts: its pod template changes, so the DaemonSet rolls its pods (RollingUpdate, maxUnavailable 1, maxSurge 0):',
      '  spec.template.metadata.annotations["checksum/node-agent-config"] (added)',
      '  spec.template.spec.automountServiceAccountToken (added)',
      '  spec.template.spec.containers[0].args (changed)',
      '  spec.template.spec.volumes[0].hostPath.path (changed)',
      '  spec.template.spec.volumes[1].hostPath.path (changed)',
      ...STAYS_LEGEND,
    ]);
  });

  test('(b) the Helm chart: its labels, annotations and /host_plugins mount stay; port name, file mode and list order change', () => {
    const r = plan(fixture('helm-chart.yaml'), 'helm-east');
    expect(r.code).toBe(0);
    const helmLabels = (at: string) => [
      `  stays     ${at}["app.kubernetes.io/instance"]: velero  (the Helm chart's label)`,
      `  stays     ${at}["app.kubernetes.io/managed-by"]: Helm  (the Helm chart's label)`,
      `  stays     ${at}["app.kubernetes.io/name"]: velero  (the Helm chart's label)`,
      `  stays     ${at}["app.kubernetes.io/version"]: "1.18.1"  (the Helm chart's label)`,
      `  stays     ${at}["helm.sh/chart"]: velero-12.1.0  (the Helm chart's label)`,
    ];
    const release = [
      '  stays     metadata.annotations["meta.helm.sh/release-name"]: velero  (Helm\'s record of the release that owns the object)',
      '  stays     metadata.annotations["meta.helm.sh/release-namespace"]: velero  (Helm\'s record of the release that owns the object)',
    ];
    expect(r.out.split('\n')).toEqual([
      `Plan: environment helm-east (Velero 1.18.1) onto the live objects of ${shown(fixture('helm-chart.yaml'))}`,
      "Server defaults and the API server's own fields are left out.",
      '',
      'DaemonSet velero/node-agent: updated',
      '  added     metadata.labels.component: velero',
      `  added     spec.template.metadata.annotations["checksum/node-agent-config"]: ${CHECKSUM}  (this tool's hash of the ConfigMap: a config change rolls node-agent)`,
      '  added     spec.template.metadata.labels.component: velero',
      '  added     spec.template.spec.affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: NotIn, values: [windows]}]}]}}}  (velero install 1.18.1 keeps node-agent off Windows nodes by node affinity)',
      "  changed   spec.template.spec.containers[0].args: [node-agent, server, --features=EnableCSI, --log-format=json, --node-agent-configmap=velero-node-agent-config, --metrics-address=:8085] -> [node-agent, server, --features=EnableCSI, --node-agent-configmap=velero-node-agent-config, --log-format=json]  (node-agent's arguments, replaced whole)",
      '  reordered spec.template.spec.containers[0].env: VELERO_NAMESPACE, NODE_NAME, VELERO_SCRATCH_DIR, AWS_SHARED_CREDENTIALS_FILE, GOOGLE_APPLICATION_CREDENTIALS, AZURE_CREDENTIALS_FILE, ALIBABA_CLOUD_CREDENTIALS_FILE -> NODE_NAME, VELERO_NAMESPACE, VELERO_SCRATCH_DIR, GOOGLE_APPLICATION_CREDENTIALS, AWS_SHARED_CREDENTIALS_FILE, AZURE_CREDENTIALS_FILE, ALIBABA_CLOUD_CREDENTIALS_FILE  (their order is part of the pod template)',
      "  changed   spec.template.spec.containers[0].ports[0].name: http-monitoring -> metrics  (the metrics port's name)",
      '  added     spec.template.spec.containers[0].securityContext: {privileged: false}',
      '  added     spec.template.spec.containers[0].volumeMounts[1]: {mountPath: /var/lib/kubelet/plugins, mountPropagation: HostToContainer, name: host-plugins}',
      '  reordered spec.template.spec.containers[0].volumeMounts: /credentials, /host_pods, /scratch -> /host_pods, /scratch, /credentials',
      '  changed   spec.template.spec.volumes[0].secret.defaultMode: 420 -> 292  (file mode of the credentials: velero install sets 0444 from 1.16.2)',
      '  reordered spec.template.spec.volumes: cloud-credentials, host-pods, host-plugins, scratch -> host-pods, host-plugins, scratch, cloud-credentials',
      ...release,
      ...helmLabels('metadata.labels'),
      "  stays     spec.template.metadata.annotations[\"checksum/secret\"]: 7d0c1c5e0f9a3b2e6c4d8a1f5b7e9c3a2d4f6b8e0a1c3e5f7b9d2a4c6e8f0a1b  (the Helm chart's hash of the credentials Secret)",
      ...helmLabels('spec.template.metadata.labels'),
      "  stays     spec.template.spec.containers[0].volumeMounts[2]: {mountPath: /host_plugins, mountPropagation: HostToContainer, name: host-plugins}  (the Helm chart's plugins mount; velero install mounts the plugins at /var/lib/kubelet/plugins)",
      '  stays     spec.template.spec.terminationGracePeriodSeconds: 3600  (the default is 30)',
      '',
      'ConfigMap velero/velero-node-agent-config: updated',
      '  added     metadata.annotations["argocd.argoproj.io/sync-wave"]: "-1"  (Argo CD applies it before node-agent)',
      '  added     metadata.labels.component: velero',
      ...release,
      ...helmLabels('metadata.labels'),
      '  note: data["node-agent-config.json"] is rewritten as the render writes it: the text changes, node-agent reads the same settings',
      '',
      'node-agent restarts: its pod template changes, so the DaemonSet rolls its pods (RollingUpdate, maxUnavailable 1, maxSurge 0):',
      '  spec.template.metadata.annotations["checksum/node-agent-config"] (added)',
      '  spec.template.metadata.labels.component (added)',
      '  spec.template.spec.affinity (added)',
      '  spec.template.spec.containers[0].args (changed)',
      '  spec.template.spec.containers[0].env (reordered)',
      '  spec.template.spec.containers[0].ports[0].name (changed)',
      '  spec.template.spec.containers[0].securityContext (added)',
      '  spec.template.spec.containers[0].volumeMounts[1] (added)',
      '  spec.template.spec.containers[0].volumeMounts (reordered)',
      '  spec.template.spec.volumes[0].secret.defaultMode (changed)',
      '  spec.template.spec.volumes (reordered)',
      ...STAYS_LEGEND,
    ]);
  });

  test('what the environment renders, already synced: no change, node-agent does not restart', () => {
    const r = plan(fixture('synced.yaml'), 'nutanix-east');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      `Plan: environment nutanix-east (Velero 1.18.1) onto the live objects of ${shown(fixture('synced.yaml'))}`,
      "Server defaults and the API server's own fields are left out.",
      '',
      'DaemonSet velero/node-agent: no change',
      '',
      'ConfigMap velero/node-agent-config: no change',
      '',
      'No change: the first sync leaves every live object as it is.',
      'node-agent does not restart: its pod template does not change.',
    ]);
  });

  test('no server default is reported: each field of the table, left at its default, is noise-free', () => {
    // synced.yaml holds every default the API server writes on a DaemonSet like node-agent's.
    const text = fs.readFileSync(fixture('synced.yaml'), 'utf8');
    for (const field of ['revisionHistoryLimit: 10', 'dnsPolicy: ClusterFirst', 'terminationMessagePolicy: File', 'protocol: TCP', 'type: ""', 'serviceAccount: velero', 'apiVersion: v1', 'maxSurge: 0']) {
      expect(text).toContain(field);
    }
    expect(plan(fixture('synced.yaml'), 'nutanix-east').out).toContain('DaemonSet velero/node-agent: no change');
    // The table names its source for every row.
    for (const rows of Object.values(SERVER_DEFAULTS)) for (const row of rows) expect(row.source).not.toBe('');
  });

  test('a value that differs from a default is reported, and so is a default the render changes', () => {
    const live = variant('synced.yaml', (items) => {
      const pod = daemonSetOf(items).spec.template.spec;
      pod.dnsPolicy = 'ClusterFirstWithHostNet';
      pod.hostNetwork = true;
      pod.volumes[3].secret.defaultMode = 420;
      daemonSetOf(items).spec.updateStrategy = { type: 'OnDelete' };
    });
    const r = plan(live, 'nutanix-east');
    expect(r.out).toContain('  changed   spec.template.spec.volumes[3].secret.defaultMode: 420 -> 292  (file mode of the credentials: velero install sets 0444 from 1.16.2)');
    expect(r.out).toContain('  stays     spec.template.spec.dnsPolicy: ClusterFirstWithHostNet  (not the default ClusterFirst)');
    expect(r.out).toContain('  stays     spec.template.spec.hostNetwork: true  (host networking)');
    expect(r.out).toContain('  stays     spec.updateStrategy: {type: OnDelete}  (how the DaemonSet replaces its pods)');
    expect(r.out).toContain('node-agent does not restart by itself: its pod template changes, but its updateStrategy OnDelete (which stays) replaces a pod only when it is deleted:\n  spec.template.spec.volumes[3].secret.defaultMode (changed)');
  });

  test('a different selector: the apply fails, and the plan says so', () => {
    const live = variant('velero-install.yaml', (items) => {
      daemonSetOf(items).spec.selector = { matchLabels: { app: 'node-agent' } };
    });
    const r = plan(live, 'nutanix-east');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  added     spec.selector.matchLabels.name: node-agent');
    expect(r.out).toContain('  stays     spec.selector.matchLabels.app: node-agent');
    expect(r.out).toContain(`error: DaemonSet velero/node-agent: spec.selector is immutable and the render's {"matchLabels":{"name":"node-agent"}} is not the live {"matchLabels":{"app":"node-agent"}}: the apply fails; a takeover needs the same selector`);
  });

  test('a ConfigMap key of another name: kept (two keys: 1.18 refuses to start) or removed by kubectl apply when last-applied lists it', () => {
    const rename = (keepLastApplied: boolean) => variant('velero-install.yaml', (items) => {
      const cm = configMapOf(items);
      cm.data = { 'config.json': cm.data['node-agent-config.json'] };
      const applied = JSON.parse(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
      applied.data = { 'config.json': applied.data['node-agent-config.json'] };
      if (keepLastApplied) cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(applied);
      else delete cm.metadata.annotations;
    });
    const kept = plan(rename(false), 'nutanix-east').out;
    expect(kept).toContain('  added     data["node-agent-config.json"]: (the rendered JSON, compared with data["config.json"] below)');
    expect(kept).toContain('  changed   data["node-agent-config.json"].loadConcurrency.globalConfig: 1 -> 2');
    expect(kept).toContain('  stays     data["config.json"]: (208 characters)');
    expect(kept).toContain('  note: after the sync the ConfigMap holds more than one data key: node-agent refuses to start (Velero 1.18+); remove the old key by hand, or sync with Replace=true');
    const removed = plan(rename(true), 'nutanix-east').out;
    expect(removed).toContain('  removed   data["config.json"]: (208 characters); kubectl apply deletes it: its last-applied-configuration lists it');
    expect(removed).not.toContain('more than one data key');
  });

  test('the JSON as Go decodes it: another key case, a duplicate and an unknown key change nothing node-agent reads', () => {
    const live = variant('synced.yaml', (items) => {
      configMapOf(items).data['node-agent-config.json'] =
        '{"LoadConcurrency": {"globalConfig": 1}, "loadConcurrency": {"globalConfig": 2}, "podResources": {"cpuRequest": "500m", "cpuLimit": "1", "memoryRequest": "512Mi", "memoryLimit": "1Gi"}, "thresholdInGB": 5}';
    });
    const r = plan(live, 'nutanix-east');
    expect(r.out).toContain('ConfigMap velero/node-agent-config: updated');
    expect(r.out).not.toMatch(/^ {2}(changed|added|removed) +data/m);
    expect(r.out).toContain('  note: node-agent decodes the live data["node-agent-config.json"] with 3 findings (lint-configmap shows them); it is compared as node-agent decodes it');
    expect(r.out).toContain('  note: data["node-agent-config.json"] is rewritten as the render writes it: the text changes, node-agent reads the same settings');
    expect(r.out).toContain('node-agent does not restart: its pod template does not change.');
  });

  test('a ConfigMap edited by hand under a synced DaemonSet: the settings change, node-agent keeps the old ones until it restarts', () => {
    const live = variant('synced.yaml', (items) => {
      configMapOf(items).data['node-agent-config.json'] = '{"loadConcurrency": {"globalConfig": 3}}';
    });
    const r = plan(live, 'nutanix-east');
    expect(r.out).toContain('  changed   data["node-agent-config.json"].loadConcurrency.globalConfig: 3 -> 2');
    expect(r.out).toContain('  added     data["node-agent-config.json"].podResources: {cpuLimit: "1", cpuRequest: 500m, memoryLimit: 1Gi, memoryRequest: 512Mi}');
    expect(r.out).toContain('node-agent does not restart: its pod template does not change. Its ConfigMap changes, but node-agent reads it only at startup: the new settings apply when its pods next restart.');
  });

  test('objects the render does not own, or the dump does not hold', () => {
    const live = variant('velero-install.yaml', (items) => {
      items.push({ ...daemonSetOf(items), metadata: { ...daemonSetOf(items).metadata, name: 'node-agent-windows' } });
    });
    const envs = environmentsDir({ 'ns.yaml': 'velero:\n  version: 1.18.1\n  createNamespace: true\n' });
    const r = cli(['plan', '--live', live, '--environments', envs]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('DaemonSet velero/node-agent-windows: live, not rendered\n  note: live, not rendered: the sync leaves it as it is; set nodeAgent.windows: true to take it over');
    expect(r.out).toContain('ConfigMap velero/node-agent-config: live, not rendered\n  note: node-agent reads it today; after the sync it is given no ConfigMap. The sync leaves this ConfigMap in place');
    expect(r.out).toContain('Namespace velero: not compared\n  note: not in ' + shown(live) + ': created if it does not exist; to compare, add it to the dump (kubectl get namespace velero -o yaml)');
    expect(r.out).toContain('  changed   spec.template.spec.containers[0].args: [node-agent, server, --features=EnableCSI, --node-agent-configmap=node-agent-config] -> [node-agent, server]');
  });

  test('a Namespace in the dump is compared without the label and finalizer the API server sets', () => {
    const live = variant('velero-install.yaml', (items) => {
      items.push({
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: 'velero', uid: 'x', resourceVersion: '1', labels: { 'kubernetes.io/metadata.name': 'velero', component: 'velero' } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    });
    const envs = environmentsDir({ 'ns.yaml': 'velero:\n  version: 1.18.1\n  createNamespace: true\n' });
    const out = cli(['plan', '--live', live, '--environments', envs]).out;
    expect(out).toContain([
      'Namespace velero: updated',
      '  added     metadata.annotations["argocd.argoproj.io/sync-options"]: Prune=false,Delete=false  (Argo CD never prunes or deletes it)',
      '  added     metadata.annotations["kustomize.toolkit.fluxcd.io/prune"]: disabled  (Flux never prunes or deletes it)',
      ...['audit', 'enforce', 'warn'].flatMap((mode) => [
        `  added     metadata.labels["pod-security.kubernetes.io/${mode}"]: privileged`,
        `  added     metadata.labels["pod-security.kubernetes.io/${mode}-version"]: latest`,
      ]),
      '',
    ].join('\n'));
  });

  test('a rendered ConfigMap not in the dump is created, and node-agent 1.17+ needs it first', () => {
    const live = variant('velero-install.yaml', (items) => items.splice(items.indexOf(configMapOf(items)), 1));
    const r = plan(live, 'nutanix-east');
    expect(r.out).toContain('ConfigMap velero/node-agent-config: created\n  note: node-agent exits at startup without its ConfigMap from Velero 1.17: a pod that starts before this sync creates it restarts until it exists');
  });

  test('--format json: the same plan for tools', () => {
    const r = plan(fixture('velero-install.yaml'), 'nutanix-east', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['environment', 'veleroVersion', 'live', 'changesNothing', 'objects', 'restarts', 'applyFails']);
    expect(json.changesNothing).toBe(false);
    expect(json.objects.map((o: any) => `${o.kind} ${o.action}`)).toEqual(['DaemonSet update', 'ConfigMap update']);
    expect(json.objects[0].changes).toContainEqual({ change: 'changed', path: 'spec.template.spec.volumes[0].hostPath.path', from: '/var/lib/kubelet/pods', to: '/var/nutanix/var/lib/kubelet/pods' });
    expect(json.objects[1].changes).toContainEqual({ change: 'changed', path: 'data["node-agent-config.json"].loadConcurrency.globalConfig', from: 1, to: 2 });
    expect(json.restarts).toEqual([expect.objectContaining({ daemonSet: 'node-agent', restarts: true })]);
    expect(JSON.parse(plan(fixture('synced.yaml'), 'nutanix-east', '--format', 'json').out).changesNothing).toBe(true);
  });

  test('standard input: --live - (the compiled command)', () => {
    const r = spawnSync(process.execPath, [BIN, 'plan', '--live', '-', '--environments', ENVS, '--environment', 'nutanix-east'], {
      input: fs.readFileSync(fixture('synced.yaml')), encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Plan: environment nutanix-east (Velero 1.18.1) onto the live objects of <stdin>');
    expect(r.stdout).toContain('No change: the first sync leaves every live object as it is.');
  });

  test('-o json dumps and a single object are read too', () => {
    const list = parse(fs.readFileSync(fixture('synced.yaml'), 'utf8'));
    const dir = tmp('live-json-');
    fs.writeFileSync(path.join(dir, 'list.json'), JSON.stringify(list, null, 4));
    fs.writeFileSync(path.join(dir, 'ds.json'), JSON.stringify(daemonSetOf(list.items)));
    expect(plan(path.join(dir, 'list.json'), 'nutanix-east').out).toContain('No change: the first sync leaves every live object as it is.');
    const single = plan(path.join(dir, 'ds.json'), 'nutanix-east').out;
    expect(single).toContain('DaemonSet velero/node-agent: no change');
    expect(single).toContain('ConfigMap velero/node-agent-config: created');
  });
});

const usageError = (r: Run, message: string) => {
  expect(r.code).toBe(2);
  expect(r.err).toContain(`error: ${message}`);
  expect(r.err).not.toMatch(STACK_TRACE_LINE);
};
const unusable = (r: Run, message: string) => {
  expect(r.code).toBe(1);
  expect(r.err).toContain(`error: ${message}`);
  expect(r.out).toBe('');
  expect(r.err).not.toMatch(STACK_TRACE_LINE);
};

describe('plan and import: wrong usage exits 2, an unusable dump exits 1', () => {
  test('usage errors', () => {
    usageError(cli(['plan', '--environments', ENVS]), 'plan needs --live FILE');
    usageError(cli(['plan', '--live', fixture('synced.yaml'), '--environments', ENVS]), `${ENVS} holds 2 environments (helm-east, nutanix-east): choose one with --environment NAME`);
    usageError(plan(fixture('synced.yaml'), 'west'), `no environment named "west" in ${ENVS} (helm-east, nutanix-east)`);
    usageError(plan(fixture('synced.yaml'), 'nutanix-east', '--format', 'yaml'), '--format is text or json, not "yaml"');
    usageError(plan(fixture('synced.yaml'), 'nutanix-east', '--output', 'x'), 'plan: Unknown option \'--output\'');
    usageError(cli(['plan', '--live', fixture('synced.yaml'), '--environments', path.join(LIVE, 'none')]), `environments folder ${path.join(LIVE, 'none')} not found`);
    usageError(plan(fixture('missing.yaml'), 'nutanix-east'), `${fixture('missing.yaml')} not found`);
    usageError(plan(LIVE, 'nutanix-east'), `${LIVE} is a directory, not a regular file`);
    usageError(cli(['import']), 'import takes one FILE');
    usageError(cli(['import', fixture('synced.yaml'), fixture('helm-chart.yaml')]), 'import takes one FILE');
    usageError(cli(['import', fixture('synced.yaml'), '--name', 'East_1']), '--name "East_1" is not an environment name');
    usageError(cli(['import', fixture('missing.yaml')]), `${fixture('missing.yaml')} not found`);
  });

  test('unusable dumps', () => {
    const file = (text: string) => {
      const f = path.join(tmp('dump-'), 'dump.yaml');
      fs.writeFileSync(f, text);
      return f;
    };
    const cmOnly = file('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: node-agent-config, namespace: velero}\n');
    for (const command of [['plan', '--live'], ['import']]) {
      const run = (f: string) => cli([...command, f, ...(command[0] === 'plan' ? ['--environments', ENVS, '--environment', 'nutanix-east'] : [])]);
      unusable(run(cmOnly), `${shown(cmOnly)}: no DaemonSet named node-agent (it holds ConfigMap): dump it with kubectl get ds,cm -n <velero namespace> -o yaml`);
      const broken = file('apiVersion: v1\nitems:\n- kind: DaemonSet\n  metadata: {name: node-agent\n');
      unusable(run(broken), `${shown(broken)}:5:1:`);
      const scalar = file('just text\n');
      unusable(run(scalar), `${shown(scalar)}: not a Kubernetes object or List (kubectl get ds,cm -n velero -o yaml prints one)`);
      const item = file('apiVersion: v1\nkind: List\nitems:\n- 42\n');
      unusable(run(item), `${shown(item)}: items[0]: not a Kubernetes object (apiVersion, kind and metadata.name are needed)`);
    }
    const digest = variant('velero-install.yaml', (items) => {
      daemonSetOf(items).spec.template.spec.containers[0].image = `velero/velero@sha256:${'a'.repeat(64)}`;
    });
    unusable(cli(['import', digest]), `${shown(digest)}: cannot tell the Velero version from node-agent's image velero/velero@sha256:${'a'.repeat(64)}: its tag is not a release such as v1.18.1`);
    const old = variant('velero-install.yaml', (items) => {
      daemonSetOf(items).spec.template.spec.containers[0].image = 'velero/velero:v1.12.3';
    });
    unusable(cli(['import', old]), `${shown(old)}: node-agent runs Velero 1.12.3; this tool renders 1.13.0 up to 1.18.1`);
    const two = variant('velero-install.yaml', (items) => items.push({ ...daemonSetOf(items), metadata: { ...daemonSetOf(items).metadata, namespace: 'backup' } }));
    unusable(cli(['import', two]), `${shown(two)}: a node-agent DaemonSet in each of velero, backup: dump one namespace`);
  });
});

/** import FILE: stdout and the warnings, one per stderr line without the prefix. */
function imported(file: string, ...args: string[]) {
  const r = cli(['import', file, ...args]);
  expect(r.code).toBe(0);
  expect(r.err).not.toMatch(STACK_TRACE_LINE);
  const warnings = r.err === '' ? [] : r.err.split('\n');
  for (const w of warnings) expect(w).toMatch(/^warning: /);
  return { yaml: r.out + '\n', warnings: warnings.map((w) => w.slice('warning: '.length)) };
}

/**
 * Renders the imported file through the real pipeline, then plans it against the same dump: it
 * validates, and every change the plan shows is one a warning named (object and path).
 */
function roundTrip(dump: string, yaml: string, warnings: readonly string[]) {
  const envs = environmentsDir({ 'imported.yaml': yaml });
  const { findings, rendered } = synthesize(envs);
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  expect(rendered).toHaveLength(1);
  const planned = JSON.parse(cli(['plan', '--live', dump, '--environments', envs, '--format', 'json']).out);
  for (const object of planned.objects) {
    const where = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
    for (const change of object.changes) expect(warnings.some((w) => w.startsWith(`${where}: ${change.path}`))).toBe(true);
    for (const note of object.notes) expect(warnings).toContain(`${where}: ${note}`);
  }
  return planned;
}

describe('import', () => {
  test('(a) velero install: the file, and a warning for each difference the first sync makes', () => {
    const { yaml, warnings } = imported(fixture('velero-install.yaml'), '--name', 'nutanix-east');
    expect(yaml).toBe([
      `# Imported by velero-node-agent import from DaemonSet velero/node-agent in ${shown(fixture('velero-install.yaml'))}.`,
      '# Review it, then run plan --live against the same dump before the first sync.',
      '',
      'name: nutanix-east',
      'platform: kubernetes',
      'velero:',
      '  version: 1.18.1',
      '  features:',
      '    - EnableCSI',
      '  credentialsSecret: cloud-credentials',
      'config:',
      '  loadConcurrency:',
      '    globalConfig: 1',
      '  podResources:',
      '    cpuLimit: "1"',
      '    cpuRequest: 500m',
      '    memoryLimit: 1Gi',
      '    memoryRequest: 512Mi',
      '',
    ].join('\n'));
    expect(warnings).toEqual([
      'DaemonSet velero/node-agent: spec.template.metadata.annotations["checksum/node-agent-config"]: abe665b73d7c7b99c32a9ee7219495cde96c8bc6c415cafe610751b93b0af19f  (this tool\'s hash of the ConfigMap: a config change rolls node-agent): the render adds it',
      'DaemonSet velero/node-agent: spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]: 2025-05-12T14:03:27Z  (set by kubectl rollout restart): not modelled: the render does not set it, so it stays on the live object',
      'DaemonSet velero/node-agent: spec.template.spec.automountServiceAccountToken: true  (this tool mounts the token node-agent needs as a controller): the render adds it',
      'ConfigMap velero/node-agent-config: metadata.annotations["argocd.argoproj.io/sync-wave"]: "-1"  (Argo CD applies it before node-agent): the render adds it',
      'ConfigMap velero/node-agent-config: metadata.labels.component: velero: the render adds it',
      'ConfigMap velero/node-agent-config: data["node-agent-config.json"] is rewritten as the render writes it: the text changes, node-agent reads the same settings',
      'node-agent restarts: its pod template changes, so the DaemonSet rolls its pods (RollingUpdate, maxUnavailable 1, maxSurge 0) on the first sync',
    ]);
    const planned = roundTrip(fixture('velero-install.yaml'), yaml, warnings);
    expect(planned.restarts[0].fields).toEqual(['spec.template.metadata.annotations["checksum/node-agent-config"] (added)', 'spec.template.spec.automountServiceAccountToken (added)']);
  });

  test('(b) the Helm chart: the chart\'s settings imported, its labels, mount, grace period and extra argument as warnings', () => {
    const { yaml, warnings } = imported(fixture('helm-chart.yaml'));
    expect(yaml).toBe([
      `# Imported by velero-node-agent import from DaemonSet velero/node-agent in ${shown(fixture('helm-chart.yaml'))}.`,
      '# Review it, then run plan --live against the same dump before the first sync.',
      '',
      'platform: kubernetes',
      'velero:',
      '  version: 1.18.1',
      '  image: docker.io/velero/velero:v1.18.1',
      '  serviceAccountName: velero-server',
      '  features:',
      '    - EnableCSI',
      '  credentialsSecret: velero',
      'nodeAgent:',
      '  configMapName: velero-node-agent-config',
      '  resources:',
      '    requests:',
      '      cpu: 500m',
      '      memory: 512Mi',
      '    limits:',
      '      cpu: "1"',
      '      memory: 1Gi',
      '  tolerations:',
      '    - key: dedicated',
      '      operator: Equal',
      '      value: backup',
      '      effect: NoSchedule',
      '  podAnnotations:',
      '    prometheus.io/path: /metrics',
      '    prometheus.io/port: "8085"',
      '    prometheus.io/scrape: "true"',
      '  logFormat: json',
      'config:',
      '  loadConcurrency:',
      '    globalConfig: 2',
      '  podResources:',
      '    cpuLimit: "1"',
      '    cpuRequest: 500m',
      '    memoryLimit: 1Gi',
      '    memoryRequest: 512Mi',
      '',
    ].join('\n'));
    const DS = 'DaemonSet velero/node-agent';
    const CM = 'ConfigMap velero/velero-node-agent-config';
    const STAYS = 'not modelled: the render does not set it, so it stays on the live object';
    const helm = (where: string, at: string) => [
      `${where}: ${at}["app.kubernetes.io/instance"]: velero  (the Helm chart's label): ${STAYS}`,
      `${where}: ${at}["app.kubernetes.io/managed-by"]: Helm  (the Helm chart's label): ${STAYS}`,
      `${where}: ${at}["app.kubernetes.io/name"]: velero  (the Helm chart's label): ${STAYS}`,
      `${where}: ${at}["app.kubernetes.io/version"]: "1.18.1"  (the Helm chart's label): ${STAYS}`,
    ];
    const release = (where: string) => [
      `${where}: metadata.annotations["meta.helm.sh/release-name"]: velero  (Helm's record of the release that owns the object): ${STAYS}`,
      `${where}: metadata.annotations["meta.helm.sh/release-namespace"]: velero  (Helm's record of the release that owns the object): ${STAYS}`,
    ];
    expect(warnings).toEqual([
      `${DS}: spec.template.spec.containers[0].args: --metrics-address=:8085: not modelled; the render leaves it out (the args are replaced whole), so node-agent runs without it`,
      ...release(DS),
      ...helm(DS, 'metadata.labels'),
      `${DS}: metadata.labels.component: velero: the render adds it`,
      `${DS}: metadata.labels["helm.sh/chart"]: velero-12.1.0  (the Helm chart's label): ${STAYS}`,
      `${DS}: spec.template.metadata.annotations["checksum/node-agent-config"]: ${CHECKSUM}  (this tool's hash of the ConfigMap: a config change rolls node-agent): the render adds it`,
      `${DS}: spec.template.metadata.annotations["checksum/secret"]: 7d0c1c5e0f9a3b2e6c4d8a1f5b7e9c3a2d4f6b8e0a1c3e5f7b9d2a4c6e8f0a1b  (the Helm chart's hash of the credentials Secret): ${STAYS}`,
      ...helm(DS, 'spec.template.metadata.labels'),
      `${DS}: spec.template.metadata.labels.component: velero: the render adds it`,
      `${DS}: spec.template.metadata.labels["helm.sh/chart"]: velero-12.1.0  (the Helm chart's label): ${STAYS}`,
      `${DS}: spec.template.spec.affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/os, operator: NotIn, values: [windows]}]}]}}}  (velero install 1.18.1 keeps node-agent off Windows nodes by node affinity): the render adds it`,
      `${DS}: spec.template.spec.containers[0].args: [node-agent, server, --features=EnableCSI, --log-format=json, --node-agent-configmap=velero-node-agent-config, --metrics-address=:8085] -> [node-agent, server, --features=EnableCSI, --node-agent-configmap=velero-node-agent-config, --log-format=json]  (node-agent's arguments, replaced whole): the render changes it`,
      `${DS}: spec.template.spec.containers[0].env: VELERO_NAMESPACE, NODE_NAME, VELERO_SCRATCH_DIR, AWS_SHARED_CREDENTIALS_FILE, GOOGLE_APPLICATION_CREDENTIALS, AZURE_CREDENTIALS_FILE, ALIBABA_CLOUD_CREDENTIALS_FILE -> NODE_NAME, VELERO_NAMESPACE, VELERO_SCRATCH_DIR, GOOGLE_APPLICATION_CREDENTIALS, AWS_SHARED_CREDENTIALS_FILE, AZURE_CREDENTIALS_FILE, ALIBABA_CLOUD_CREDENTIALS_FILE  (their order is part of the pod template): the render reorders them`,
      `${DS}: spec.template.spec.containers[0].ports[0].name: http-monitoring -> metrics  (the metrics port's name): the render changes it`,
      `${DS}: spec.template.spec.containers[0].securityContext: {privileged: false}: the render adds it`,
      `${DS}: spec.template.spec.containers[0].volumeMounts[1]: {mountPath: /var/lib/kubelet/plugins, mountPropagation: HostToContainer, name: host-plugins}: the render adds it`,
      `${DS}: spec.template.spec.containers[0].volumeMounts[2]: {mountPath: /host_plugins, mountPropagation: HostToContainer, name: host-plugins}  (the Helm chart's plugins mount; velero install mounts the plugins at /var/lib/kubelet/plugins): ${STAYS}`,
      `${DS}: spec.template.spec.containers[0].volumeMounts: /credentials, /host_pods, /scratch -> /host_pods, /scratch, /credentials: the render reorders them`,
      `${DS}: spec.template.spec.terminationGracePeriodSeconds: 3600  (the default is 30): ${STAYS}`,
      `${DS}: spec.template.spec.volumes[0].secret.defaultMode: 420 -> 292  (file mode of the credentials: velero install sets 0444 from 1.16.2): the render changes it`,
      `${DS}: spec.template.spec.volumes: cloud-credentials, host-pods, host-plugins, scratch -> host-pods, host-plugins, scratch, cloud-credentials: the render reorders them`,
      `${CM}: metadata.annotations["argocd.argoproj.io/sync-wave"]: "-1"  (Argo CD applies it before node-agent): the render adds it`,
      ...release(CM),
      ...helm(CM, 'metadata.labels'),
      `${CM}: metadata.labels.component: velero: the render adds it`,
      `${CM}: metadata.labels["helm.sh/chart"]: velero-12.1.0  (the Helm chart's label): ${STAYS}`,
      `${CM}: data["node-agent-config.json"] is rewritten as the render writes it: the text changes, node-agent reads the same settings`,
      'node-agent restarts: its pod template changes, so the DaemonSet rolls its pods (RollingUpdate, maxUnavailable 1, maxSurge 0) on the first sync',
    ]);
    roundTrip(fixture('helm-chart.yaml'), yaml, warnings);
  });

  test('what this tool rendered imports back to its environment, without a warning', () => {
    const { yaml, warnings } = imported(fixture('synced.yaml'), '--name', 'nutanix-east');
    expect(warnings).toEqual([]);
    expect(parse(yaml)).toEqual({ name: 'nutanix-east', ...parse(fs.readFileSync(path.join(ENVS, 'nutanix-east.yaml'), 'utf8')) });
    expect(roundTrip(fixture('synced.yaml'), yaml, warnings).changesNothing).toBe(true);
  });

  test('standard input: import - (the compiled command)', () => {
    const r = spawnSync(process.execPath, [BIN, 'import', '-'], { input: fs.readFileSync(fixture('synced.yaml')), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('# Imported by velero-node-agent import from DaemonSet velero/node-agent in <stdin>.');
    expect(r.stderr).toBe('');
  });

  test('the settings velero install and hand edits make: host paths, privilege, flags, env, labels, Windows', () => {
    const live = variant('velero-install.yaml', (items) => {
      const ds = daemonSetOf(items);
      const pod = ds.spec.template.spec;
      const container = pod.containers[0];
      container.image = 'registry.example.com/velero/velero:v1.18.1';
      container.args.push('--log-level', 'debug', '--resource-timeout=20m', '--data-mover-prepare-timeout=soon', '--backup-repository-configmap=repo-config', '--metrics-address', ':9090');
      container.securityContext = { privileged: true };
      container.env.push({ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'value' } } });
      container.resources = { requests: { cpu: '250m' } };
      pod.volumes[0].hostPath.path = '/var/snap/microk8s/common/var/lib/kubelet/pods';
      pod.volumes[1].hostPath.path = '/var/snap/microk8s/common/var/lib/kubelet/plugins';
      pod.nodeSelector = { 'kubernetes.io/os': 'linux', pool: 'backup' };
      pod.priorityClassName = 'system-node-critical';
      pod.imagePullSecrets = [{ name: 'registry' }];
      pod.serviceAccountName = 'velero-node';
      pod.serviceAccount = 'velero-node';
      ds.spec.template.metadata.labels.team = 'storage';
      ds.spec.template.metadata.annotations['example.com/owner'] = 'storage';
      ds.metadata.namespace = 'backup';
      configMapOf(items).metadata.namespace = 'backup';
      const windows = JSON.parse(JSON.stringify(ds));
      windows.metadata.name = 'node-agent-windows';
      windows.spec.selector.matchLabels.name = 'node-agent-windows';
      windows.spec.template.metadata.labels.name = 'node-agent-windows';
      windows.spec.template.spec.containers[0].name = 'node-agent-windows';
      items.push(windows);
    });
    const { yaml, warnings } = imported(live);
    expect(parse(yaml)).toEqual({
      platform: 'microk8s',
      velero: {
        version: '1.18.1', namespace: 'backup', image: 'registry.example.com/velero/velero:v1.18.1', serviceAccountName: 'velero-node',
        features: ['EnableCSI'], credentialsSecret: 'cloud-credentials',
      },
      nodeAgent: {
        privileged: true, resources: { requests: { cpu: '250m' } }, nodeSelector: { pool: 'backup' }, priorityClassName: 'system-node-critical',
        podLabels: { team: 'storage' }, podAnnotations: { 'example.com/owner': 'storage' }, logLevel: 'debug', resourceTimeout: '20m',
        backupRepositoryConfigMap: 'repo-config', windows: true, imagePullSecrets: ['registry'], env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
      },
      config: { loadConcurrency: { globalConfig: 1 }, podResources: { cpuLimit: '1', cpuRequest: '500m', memoryLimit: '1Gi', memoryRequest: '512Mi' } },
    });
    const DS = 'DaemonSet backup/node-agent';
    expect(warnings).toEqual(expect.arrayContaining([
      `${DS}: spec.template.spec.containers[0].args: --data-mover-prepare-timeout=soon: not a positive Go duration; not imported, so the render leaves it out`,
      `${DS}: spec.template.spec.containers[0].args: --metrics-address :9090: not modelled; the render leaves it out (the args are replaced whole), so node-agent runs without it`,
      `${DS}: spec.template.spec.containers[0].env[8]: {name: TOKEN, valueFrom: {secretKeyRef: {name: token, key: value}}}  (a variable from a Secret or field, which the environment file cannot set): not modelled: the render does not set it, so it stays on the live object`,
      `${DS}: spec.template.spec.nodeSelector["kubernetes.io/os"]: linux  (OS scheduling, which this tool sets per Velero release): not modelled: the render does not set it, so it stays on the live object`,
    ]));
    roundTrip(live, yaml, warnings);
  });

  test('what the environment file cannot model: each a warning saying what the first sync does', () => {
    const live = variant('synced.yaml', (items) => {
      const ds = daemonSetOf(items);
      const pod = ds.spec.template.spec;
      pod.hostNetwork = true;
      pod.dnsPolicy = 'ClusterFirstWithHostNet';
      pod.initContainers = [{ name: 'wait', image: 'busybox:1.36', command: ['true'], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }];
      pod.containers.push({ name: 'exporter', image: 'exporter:1.0', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} });
      pod.volumes.push({ name: 'cache', emptyDir: {} });
      pod.containers[0].volumeMounts.push({ name: 'cache', mountPath: '/cache' });
      ds.spec.updateStrategy = { type: 'OnDelete' };
    });
    const { yaml, warnings } = imported(live, '--name', 'nutanix-east');
    expect(parse(yaml)).toEqual({ name: 'nutanix-east', ...parse(fs.readFileSync(path.join(ENVS, 'nutanix-east.yaml'), 'utf8')) });
    const STAYS = 'not modelled: the render does not set it, so it stays on the live object';
    const DS = 'DaemonSet velero/node-agent';
    expect(warnings).toEqual([
      `${DS}: spec.template.spec.containers[0].volumeMounts[4]: {name: cache, mountPath: /cache}: ${STAYS}`,
      `${DS}: spec.template.spec.containers[1]: {name: exporter, image: exporter:1.0}  (a container beside node-agent: data-mover pods expect exactly one): ${STAYS}`,
      `${DS}: spec.template.spec.dnsPolicy: ClusterFirstWithHostNet  (not the default ClusterFirst): ${STAYS}`,
      `${DS}: spec.template.spec.hostNetwork: true  (host networking): ${STAYS}`,
      `${DS}: spec.template.spec.initContainers: [{name: wait, image: busybox:1.36, command: ["true"]}]  (init containers): ${STAYS}`,
      `${DS}: spec.template.spec.volumes[4]: {name: cache, emptyDir: {}}: ${STAYS}`,
      `${DS}: spec.updateStrategy: {type: OnDelete}  (how the DaemonSet replaces its pods): ${STAYS}`,
    ]);
    roundTrip(live, yaml, warnings);
  });

  test('a kubelet root of no platform, no host path, and a ConfigMap node-agent cannot read', () => {
    const rooted = variant('velero-install.yaml', (items) => {
      const pod = daemonSetOf(items).spec.template.spec;
      pod.volumes[0].hostPath.path = '/data/kubelet/pods';
      pod.volumes[1].hostPath.path = '/data/kubelet/plugins';
      configMapOf(items).data['node-agent-config.json'] = '{"loadConcurrency": {"globalConfig": "2"}}';
    });
    const first = imported(rooted);
    expect(parse(first.yaml)).toEqual({ platform: 'kubernetes', kubeletRootDir: '/data/kubelet', velero: { version: '1.18.1', features: ['EnableCSI'], credentialsSecret: 'cloud-credentials' } });
    expect(first.warnings[0]).toBe('ConfigMap velero/node-agent-config: data["node-agent-config.json"]: json.Unmarshal fails (cannot decode the string "2" into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int: write 2 without quotes): config not imported');
    roundTrip(rooted, first.yaml, first.warnings);

    const noHostPath = variant('velero-install.yaml', (items) => {
      const pod = daemonSetOf(items).spec.template.spec;
      pod.volumes = pod.volumes.slice(2);
      pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.slice(2);
    });
    const second = imported(noHostPath);
    expect(parse(second.yaml).nodeAgent).toEqual({ disableHostPath: true });
    roundTrip(noHostPath, second.yaml, second.warnings);
  });

  test('the JSON as Go decodes it: canonical key names, duplicates merged, ints as plain numbers', () => {
    const live = variant('velero-install.yaml', (items) => {
      configMapOf(items).data['node-agent-config.json'] =
        '{"LoadConcurrency": {"globalConfig": 3}, "loadConcurrency": {"prepareQueueLength": 10}, "BackupPVC": {"gp3": {"storageClass": "gp3-backup", "ReadOnly": false}}}';
    });
    const { yaml } = imported(live);
    expect(parse(yaml).config).toEqual({ backupPVC: { gp3: { readOnly: false, storageClass: 'gp3-backup' } }, loadConcurrency: { globalConfig: 3, prepareQueueLength: 10 } });
  });
});
