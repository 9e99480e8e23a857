import * as path from 'path';
import { kubernetesSchemaViolations } from '../policies/manifests/kubernetes-schema';
import { ContractViolation, nodeAgentContractViolations, RenderedObjects } from '../policies/manifests/node-agent-contract';
import { formatPath } from '../policies/problem';
import type { NodeAgentSpec } from '../policies/spec';
import { DAEMONSET_NAME, WINDOWS_DAEMONSET_NAME } from '../velero/daemonset';
import { resolvePlatform } from '../velero/platforms';
import { Release } from '../velero/releases';
import { Finding } from './findings';
import { RenderedEnvironment } from './render';
import { SourceFile } from './source';

/**
 * The last step of every synth: each rendered object against the Kubernetes schema, and the
 * node-agent objects against the `velero install` contract of the release. Findings point into
 * the rendered file (`<output>/<env>/<file>`), which is not written when any of them is found.
 */
export function checkManifests(spec: NodeAgentSpec, release: Release, rendered: RenderedEnvironment, outputDir: string, inputFile: string): Finding[] {
  const findings: Finding[] = [];
  const report = (file: string, violations: readonly { path: readonly (string | number)[]; message: string; rule?: string }[]) => {
    if (violations.length === 0) return;
    const source = new SourceFile(path.join(outputDir, rendered.name, file), rendered.files.get(file) ?? '');
    for (const v of violations) {
      const at = source.position(v.path) ?? { line: 1, column: 1 };
      findings.push({
        file: source.file, ...at, path: formatPath(v.path), rule: v.rule ?? 'manifest-schema', severity: 'error', message: v.message,
        hint: `a bug in constructs/, not in ${path.basename(inputFile)}: please report it`,
      });
    }
  };
  for (const [file, manifest] of rendered.manifests) report(file, kubernetesSchemaViolations(manifest));

  const find = (kind: string, name?: string) => [...rendered.manifests].find(([, m]) => m.kind === kind && (!name || m.metadata.name === name));
  const located = {
    daemonSet: find('DaemonSet', DAEMONSET_NAME),
    windowsDaemonSet: find('DaemonSet', WINDOWS_DAEMONSET_NAME),
    configMap: find('ConfigMap'),
  };
  const objects: RenderedObjects = {
    daemonSet: located.daemonSet?.[1],
    windowsDaemonSet: located.windowsDaemonSet?.[1],
    configMap: located.configMap?.[1],
  };
  const violations = nodeAgentContractViolations(objects, spec, resolvePlatform(spec.platform, spec.kubeletRootDir), release);
  for (const object of ['daemonSet', 'windowsDaemonSet', 'configMap'] as const) {
    const inObject = violations.filter((v: ContractViolation) => v.object === object);
    report(located[object]?.[0] ?? 'kustomization.yaml', inObject);
  }
  return findings;
}
