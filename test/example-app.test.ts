/**
 * examples/cdk8s-app: a cdk8s app that imports the package by name (an npm workspace of this
 * repository), built and synthesised with cdk8s synth, the manifest checks running as its
 * validation plugin (cdk8s.yaml `validations:`).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { tmp } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const APP = path.join(ROOT, 'examples', 'cdk8s-app');
const CDK8S = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');

/** cdk8s synth in the example app, offline. */
const cdk8sSynth = (args: string[] = []) =>
  spawnSync(CDK8S, ['synth', ...args], { cwd: APP, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, timeout: 120_000 });

beforeAll(() => {
  execFileSync(TSC, ['-p', APP], { stdio: 'pipe' });
}, 120_000);

test('builds and synthesises: the node-agent of an OpenShift cluster, and the plugin passes it', () => {
  const r = cdk8sSynth();
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Validations ended succesfully');
  const objects = parseAllDocuments(fs.readFileSync(path.join(APP, 'dist', 'openshift-east.k8s.yaml'), 'utf8')).map((d) => d.toJS());
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/node-agent-config', 'DaemonSet/node-agent', 'RoleBinding/velero-scc-privileged']);
  const ds = objects.find((o) => o.kind === 'DaemonSet');
  expect(ds.spec.template.spec.containers[0].args).toEqual(['node-agent', 'server', '--node-agent-configmap=node-agent-config', '--log-format=json']);
  expect(ds.spec.template.spec.containers[0].securityContext).toEqual({ privileged: true });
});

test('the validation plugin fails a synth whose node-agent leaves the contract', () => {
  // An app that writes a hand-made DaemonSet with the host path of Velero's Nutanix doc.
  const dir = tmp('bad-app-');
  const [good] = parseAllDocuments(fs.readFileSync(path.join(APP, 'dist', 'openshift-east.k8s.yaml'), 'utf8')).map((d) => d.toJS()).filter((o) => o.kind === 'DaemonSet');
  good.spec.template.spec.volumes[0].hostPath.path = '/var/nutanix/var/lib/kubelet';
  fs.writeFileSync(path.join(dir, 'ds.json'), JSON.stringify(good));
  const app = `node -e "require('fs').mkdirSync(process.env.CDK8S_OUTDIR,{recursive:true});require('fs').copyFileSync('${path.join(dir, 'ds.json')}',require('path').join(process.env.CDK8S_OUTDIR,'bad.k8s.yaml'))"`;
  const r = cdk8sSynth(['--app', app, '--output', path.join(dir, 'out')]);
  expect(r.status).toBe(2);
  expect(r.stdout).toContain('host-path-allowed');
  expect(r.stdout).toContain("host-pods must be the kubelet's pods folder (ending in /pods), rendered /var/nutanix/var/lib/kubelet");
  expect(r.stderr).toContain('Validation failed');
});
