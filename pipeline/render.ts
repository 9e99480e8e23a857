import * as path from 'path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { NodeAgentChart } from '../constructs/node-agent-chart';
import { ValidEnvironment } from './validate';

/** One environment's output folder: file name -> content. */
export interface RenderedEnvironment {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
  /** The objects behind the files (kustomization.yaml aside), by file name. */
  readonly manifests: ReadonlyMap<string, Manifest>;
}

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
}

/** Builds each environment's chart and serialises it: one file per object plus a kustomization.yaml. */
export function renderEnvironments(environments: readonly ValidEnvironment[]): RenderedEnvironment[] {
  const app = new App();
  return environments.map(({ name, env, platform, sources }) => {
    const chart = new NodeAgentChart(app, name, { env, platform });
    const header = `# Rendered from ${sources.map((s) => path.basename(s.file)).join(', ')} by \`npm run synth\`. Do not edit.\n`;
    const manifests = new Map((chart.toJson() as Manifest[]).map((m) => [fileName(m), m]));
    const files = new Map([...manifests].map(([file, m]) => [file, header + toYaml(m)]));
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [...files.keys()].sort(),
    };
    files.set('kustomization.yaml', header + toYaml(kustomization));
    return { name, files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), manifests };
  });
}

/**
 * Whether `text` starts with the header line renderEnvironments puts on every file, in its current
 * form or the coming `by velero-node-agent` one: how an output folder is recognised as this
 * tool's own before it is replaced.
 */
export function isRenderedFile(text: string): boolean {
  return /^# Rendered from .+ Do not edit\.\r?\n/.test(text);
}

/** `daemonset-node-agent.yaml`: stable, and unique per kind and name. */
export function fileName(manifest: Manifest): string {
  return `${manifest.kind}-${manifest.metadata.name}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-') + '.yaml';
}

/** Keys sorted and no line folding: the same object always gives the same bytes. */
export function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}
