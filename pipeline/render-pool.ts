import * as path from 'path';
import type { NodeAgentSpec } from '../policies/spec';
import type { Release } from '../velero/releases';
import { checkManifests } from './check';
import type { Finding } from './findings';
import { writeFolder } from './output/write-files';
import { FolderJob, Manifest, manifestsByFile, renderFolder } from './render';
import { WorkerPool } from './worker-pool';

/** What to check of an environment's folder once rendered (pipeline/check.ts). */
export interface ManifestCheck {
  readonly spec: NodeAgentSpec;
  readonly release: Release;
  /** The environment file, named in the hint of a finding. */
  readonly inputFile: string;
  /** Where the files will be written: findings name them there. */
  readonly outputDir: string;
}

export interface RenderJob {
  readonly folder: FolderJob;
  readonly check: ManifestCheck;
}

/** A folder's files, and the findings of its manifest checks. */
export interface RenderedFolder {
  readonly files: ReadonlyMap<string, string>;
  readonly findings: readonly Finding[];
}

export interface RendererOptions {
  /** Write each folder into this staging folder as soon as it is serialised. */
  readonly staging?: string;
  /** The tree the staging folder will replace: its unchanged files are linked, not written. */
  readonly reuseFrom?: string;
}

/** Serialises folders to YAML, checks their manifests, and writes them when asked, as they are submitted. */
export interface Renderer {
  /**
   * Queues a folder. Returns the folder's manifests, read again from the JSON the job went to a
   * worker as (the same objects, key order included) when asked: the caller need not hold a
   * fleet's manifests, whose object graphs made the garbage collector's work grow faster than the fleet.
   */
  submit(job: RenderJob): () => ReadonlyMap<string, Manifest>;
  /** Waits for every submitted folder; each by name. Throws the first failure. */
  finish(): Map<string, RenderedFolder>;
}

/** One job, on whichever thread: serialised, written when there is a staging folder, then checked. */
export function renderJob({ folder, check }: RenderJob, { staging, reuseFrom }: RendererOptions): RenderedFolder & { readonly manifests: ReadonlyMap<string, Manifest> } {
  const { files, manifests } = renderFolder(folder.objects, folder.kustomizationHeader);
  if (staging !== undefined) writeFolder({ folder: path.join(staging, folder.name), files, reuseFrom: reuseFrom && path.join(reuseFrom, folder.name) });
  const findings = checkManifests(check.spec, check.release, { name: folder.name, files, manifests }, check.outputDir, check.inputFile);
  return { files, findings, manifests };
}

/** A folder as a worker posts it back. */
export interface WorkerResult {
  readonly name: string;
  readonly files: [string, string][];
  readonly findings: readonly Finding[];
}

/**
 * One worker: with YAML written fast (pipeline/yaml-text.ts) it keeps up with this thread, which
 * builds the environments, and the second core is left to V8's compiler and GC threads (about a
 * third of a core). Measured on 1,000 environments: 1.37-1.44 s with one worker, 1.41-1.59 s with
 * two, whose file creates also contend in the kernel.
 */
const THREADS = 1;

/** The compiled worker (pipeline/render-worker.ts). */
const WORKER = path.join(__dirname, 'render-worker.js');

/**
 * A renderer for `folders` folders: for a fleet, a worker thread serialises, writes and checks
 * each folder while this thread builds the next environments; for a few, this thread does it all.
 */
export function createRenderer(folders: number, options: RendererOptions = {}): Renderer {
  if (WorkerPool.pays(folders, WORKER)) {
    const pool = new WorkerPool<RenderJob, WorkerResult>(WORKER, options, THREADS);
    return {
      submit: (job) => {
        const text = pool.submit(job);
        return () => manifestsByFile((JSON.parse(text) as RenderJob).folder.objects);
      },
      finish: () => new Map(pool.finish().map(({ name, files, findings }) => [name, { files: new Map(files), findings }])),
    };
  }
  const done = new Map<string, RenderedFolder>();
  return {
    submit: (job) => {
      const rendered = renderJob(job, options);
      done.set(job.folder.name, rendered);
      return () => rendered.manifests;
    },
    finish: () => done,
  };
}
