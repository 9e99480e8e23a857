import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import type { NodeAgentSpec } from '../policies/spec';
import type { Release } from '../velero/releases';
import { checkManifests } from './check';
import type { Finding } from './findings';
import { writeFolder } from './output/write-files';
import { FolderJob, renderFolder } from './render';

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
  submit(job: RenderJob): void;
  /** Waits for every submitted folder; each by name. Throws the first failure. */
  finish(): Map<string, RenderedFolder>;
}

/** One job, on whichever thread: serialised, written when there is a staging folder, then checked. */
export function renderJob({ folder, check }: RenderJob, { staging, reuseFrom }: RendererOptions): RenderedFolder {
  const { files, manifests } = renderFolder(folder.objects, folder.kustomizationHeader);
  if (staging !== undefined) writeFolder({ folder: path.join(staging, folder.name), files, reuseFrom: reuseFrom && path.join(reuseFrom, folder.name) });
  const findings = checkManifests(check.spec, check.release, { name: folder.name, files, manifests }, check.outputDir, check.inputFile);
  return { files, findings };
}

/** The compiled worker; absent when the sources run uncompiled (ts-jest), which then render inline. */
const WORKER = path.join(__dirname, 'render-worker.js');
/** From this many folders the workers pay for their start (measured: about 40 ms). */
const POOL_FROM = 100;
/**
 * Two workers: YAML serialisation keeps one core busy while the main thread builds and checks the
 * next environments, and a second hides the file system's latency on creates (measured: one is
 * slower on 1,000 environments, three no faster than two).
 */
const THREADS = 2;
/** Jobs sent to a worker in one message. */
const BATCH = 8;
/** A pool with no result for this long has lost a worker. */
const STALL_MS = 60_000;

/** A renderer for `folders` folders: worker threads for a fleet, this thread for a few. */
export function createRenderer(folders: number, options: RendererOptions = {}): Renderer {
  return folders >= POOL_FROM && fs.existsSync(WORKER) ? new RenderPool(options) : new InlineRenderer(options);
}

class InlineRenderer implements Renderer {
  private readonly done = new Map<string, RenderedFolder>();
  constructor(private readonly options: RendererOptions) {}

  submit(job: RenderJob): void {
    this.done.set(job.folder.name, renderJob(job, this.options));
  }

  finish(): Map<string, RenderedFolder> {
    return this.done;
  }
}

/** One folder as a worker posts it back, or why it could not be rendered. */
export type Result = { name: string; files: [string, string][]; findings: readonly Finding[] } | { name: string; error: { message: string; code?: string } };

/**
 * Worker threads (pipeline/render-worker.ts) serialise, write and check folders while this thread
 * builds the next ones; finish() keeps the callers synchronous by waiting on an Atomics counter that
 * each worker raises after each result, reading the results with receiveMessageOnPort.
 */
class RenderPool implements Renderer {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private readonly batch: string[] = [];
  private submitted = 0;
  private batches = 0;

  constructor(options: RendererOptions) {
    for (let i = 0; i < THREADS; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER, { workerData: { ...options, progress: this.progress, results: port2 }, transferList: [port2] });
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /**
   * Jobs go as JSON text, BATCH at a time: each message wakes a worker thread, which on two
   * cores takes the core from this thread (measured: 70 µs a message, against 12 µs when idle).
   */
  submit(job: RenderJob): void {
    this.submitted++;
    if (this.batch.push(JSON.stringify(job)) === BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length) this.workers[this.batches++ % this.workers.length].postMessage(this.batch.splice(0));
  }

  finish(): Map<string, RenderedFolder> {
    this.flush();
    const done = new Map<string, RenderedFolder>();
    let failure: Error | undefined;
    let received = 0;
    let lastResult = Date.now();
    while (received < this.submitted) {
      const seen = Atomics.load(this.progress, 0);
      const results = this.ports.flatMap(drain);
      for (const result of results) {
        if ('error' in result) failure ??= Object.assign(new Error(result.error.message), { code: result.error.code });
        else done.set(result.name, { files: new Map(result.files), findings: result.findings });
      }
      received += results.length;
      if (results.length) {
        lastResult = Date.now();
      } else if (Date.now() - lastResult > STALL_MS) {
        failure ??= new Error(`a render worker stopped with ${this.submitted - received} folders not rendered`);
        break;
      } else {
        Atomics.wait(this.progress, 0, seen, 100);
      }
    }
    this.workers.forEach((worker) => void worker.terminate());
    if (failure) throw failure;
    return done;
  }
}

function drain(port: MessagePort): Result[] {
  const results: Result[] = [];
  for (let message; (message = receiveMessageOnPort(port)); ) results.push(...(message.message as Result[]));
  return results;
}
