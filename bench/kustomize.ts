/**
 * The comparison: what the same per-environment rendering costs with kustomize. A base holds the
 * node-agent DaemonSet and ConfigMap as this tool renders them; each overlay patches the host-pods
 * path and replaces the ConfigMap's JSON, as a team without this tool would. `kubectl kustomize`
 * builds each overlay as CI would, one process per environment.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { synthesize } from '../pipeline/synth';
import { environment, fragment } from './fleet';

/** Overlays built per run. */
const OVERLAYS = 10;

/** Median milliseconds to build one overlay, or undefined without kubectl. */
export function kustomizePerEnvironmentMs(scratch: string, runs: number): number | undefined {
  if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) return undefined;
  const root = path.join(scratch, 'kustomize');
  const environments = path.join(root, 'environments');
  fs.mkdirSync(environments, { recursive: true });
  fs.writeFileSync(path.join(environments, '_fleet.yaml'), fragment());
  fs.writeFileSync(path.join(environments, 'base.yaml'), environment(0));
  const [rendered] = synthesize(environments).rendered;
  const base = path.join(root, 'base');
  fs.mkdirSync(base);
  for (const file of ['daemonset-node-agent.yaml', 'configmap-node-agent-config.yaml', 'kustomization.yaml']) {
    fs.writeFileSync(path.join(base, file), rendered.files.get(file)!);
  }
  const overlays = Array.from({ length: OVERLAYS }, (_, i) => {
    const overlay = path.join(root, `overlay-${i}`);
    fs.mkdirSync(overlay);
    const patches = [
      { target: { kind: 'DaemonSet', name: 'node-agent' }, patch: stringify([{ op: 'replace', path: '/spec/template/spec/volumes/0/hostPath/path', value: `/var/lib/kubelet-${i}/pods` }]) },
      { target: { kind: 'ConfigMap', name: 'node-agent-config' }, patch: stringify([{ op: 'replace', path: '/data/node-agent-config.json', value: JSON.stringify({ loadConcurrency: { globalConfig: 1 + (i % 4) } }) }]) },
    ];
    fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['../base'], patches }));
    return overlay;
  });
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const overlay of overlays) {
      const start = process.hrtime.bigint();
      const r = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (r.status !== 0) throw new Error(`kubectl kustomize ${overlay}: ${r.stderr}`);
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
