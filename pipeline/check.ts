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
  const hint = `a bug in constructs/, not in ${path.basename(inputFile)}: please report it`;
  const findings = checkSchemas(rendered, outputDir, hint);
  const report = (file: string, violations: readonly Violation[]) => findings.push(...locateViolations(rendered, outputDir, file, violations, hint));
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

interface Violation {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly rule?: string;
}

/** Every object of a rendered folder against its schema. `hint`: where the bug is. */
export function checkSchemas(rendered: RenderedEnvironment, outputDir: string, hint: string): Finding[] {
  return [...rendered.manifests].flatMap(([file, manifest]) => locateViolations(rendered, outputDir, file, kubernetesSchemaViolations(manifest), hint));
}

/** Violations in one rendered file as findings at their line in it (`<output>/<folder>/<file>`). */
function locateViolations(rendered: RenderedEnvironment, outputDir: string, file: string, violations: readonly Violation[], hint: string): Finding[] {
  if (violations.length === 0) return [];
  const source = new SourceFile(path.join(outputDir, rendered.name, file), rendered.files.get(file) ?? '');
  return violations.map((v) => ({
    file: source.file, ...(source.position(v.path) ?? { line: 1, column: 1 }), path: formatPath(v.path), rule: v.rule ?? 'manifest-schema', severity: 'error', message: v.message, hint,
  }));
}
