import { createHash } from 'crypto';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { toYaml } from './yaml-text';

/** One environment's output folder: file name -> content. */
export interface RenderedEnvironment {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
  /** The objects behind the files (kustomization.yaml aside), by file name. */
  readonly manifests: ReadonlyMap<string, Manifest>;
  /** The Velero release the environment runs, when it is known. */
  readonly veleroVersion?: string;
}

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/**
 * The first line of every rendered file: it names the inputs and the Velero release, and marks
 * the file as this tool's (pipeline/output reads it; so does the review report).
 */
export function header(sourceFiles: readonly string[], veleroVersion?: string): string {
  const release = veleroVersion ? ` for Velero ${veleroVersion}` : '';
  return `# Rendered from ${sourceFiles.map((f) => path.basename(f)).join(', ')} by velero-node-agent${release}. Do not edit.\n`;
}

/** An object to render, with the header line its file starts with. */
export interface HeadedManifest {
  readonly manifest: Manifest;
  readonly header: string;
}

/** The files of one folder: one per object plus a kustomization.yaml listing them, in a stable order. */
export function renderFolder(objects: readonly HeadedManifest[], kustomizationHeader: string): Pick<RenderedEnvironment, 'files' | 'manifests'> {
  const manifests = manifestsByFile(objects);
  const files = new Map(objects.map(({ manifest, header }) => [fileName(manifest), header + toYaml(manifest)]));
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files.keys()].sort() };
  files.set('kustomization.yaml', kustomizationHeader + toYaml(kustomization));
  return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), manifests };
}

/** Objects by the name of the file each is rendered into. */
export function manifestsByFile(objects: readonly HeadedManifest[]): Map<string, Manifest> {
  return new Map(objects.map(({ manifest }) => [fileName(manifest), manifest]));
}

/** A folder to render: its objects with their headers, and the header of its kustomization.yaml. */
export interface FolderJob {
  readonly name: string;
  readonly objects: readonly HeadedManifest[];
  readonly kustomizationHeader: string;
}

/** An environment's folder as a job: the chart's objects, all headed by the environment's inputs and release. */
export function chartJob(name: string, chart: Chart, sourceFiles: readonly string[], veleroVersion?: string): FolderJob {
  const top = header(sourceFiles, veleroVersion);
  return { name, objects: (chart.toJson() as Manifest[]).map((manifest) => ({ manifest, header: top })), kustomizationHeader: top };
}

/** Serialises a chart into an environment's folder. */
export function renderChart(name: string, chart: Chart, sourceFiles: readonly string[], veleroVersion?: string): RenderedEnvironment {
  const job = chartJob(name, chart, sourceFiles, veleroVersion);
  return { name, ...renderFolder(job.objects, job.kustomizationHeader), veleroVersion };
}

/** The header of a file rendered from every environment of the folder together (the ApplicationSet, a kustomization.yaml listing them). */
export function fleetHeader(environmentsDir: string): string {
  return `# Rendered from ${path.basename(path.resolve(environmentsDir))}/ by velero-node-agent. Do not edit.\n`;
}

/**
 * Whether `text` starts with the header line every rendered file has (this version's, or the
 * `by \`npm run synth\`` one of earlier versions): how an output folder is recognised as this
 * tool's own before it is replaced.
 */
export function isRenderedFile(text: string): boolean {
  return /^# Rendered from .+ Do not edit\.\r?\n/.test(text);
}

/** Longest file name written: file systems allow 255 bytes, object names up to 253 characters. */
const MAX_FILE_NAME = 120;

/** `daemonset-node-agent.yaml`: stable, unique per kind and name, and short enough for any file system. */
export function fileName(manifest: Manifest): string {
  const base = `${manifest.kind}-${manifest.metadata.name}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  if (base.length <= MAX_FILE_NAME) return `${base}.yaml`;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 12);
  return `${base.slice(0, MAX_FILE_NAME - 13)}-${hash}.yaml`;
}

export { toYaml };
