import * as fs from 'fs';
import { MessageChannel, MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';

/**
 * Jobs on worker threads for callers that stay synchronous: the reading and the rendering of a
 * fleet (pipeline/read-pool.ts, pipeline/render-pool.ts) and the review of one (review/model.ts).
 * Jobs go as JSON text in batches (each message wakes a worker, which on two cores takes the core
 * from this thread: measured 70 µs a message, against 12 µs when the worker is idle); results
 * come back a batch a message, and next() and finish() wait on an Atomics counter each worker
 * raises after each batch, reading the results with receiveMessageOnPort.
 */
export class WorkerPool<Job, Result> {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private readonly batch: string[] = [];
  private submitted = 0;
  private received = 0;
  private batches = 0;

  /**
   * Whether a pool pays for `jobs` jobs: from POOL_FROM, the workers' start (about 40 ms) is
   * won back, and only where `file`, the compiled worker module, exists (uncompiled sources,
   * under ts-jest, have none and work inline).
   */
  static pays(jobs: number, file: string): boolean {
    return jobs >= POOL_FROM && fs.existsSync(file);
  }

  /**
   * @param data given to every worker as `workerData.data`
   * @param threads workers to start: one where this thread has work of its own to do meanwhile,
   * two where it only waits (each caller says which, with what it measured)
   */
  constructor(file: string, data: unknown, threads: number) {
    for (let i = 0; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(file, { workerData: { data, progress: this.progress, results: port2 }, transferList: [port2] });
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  /** Queues `job`; returns the JSON it goes as. */
  submit(job: Job): string {
    this.submitted++;
    const text = JSON.stringify(job);
    if (this.batch.push(text) === BATCH) this.flush();
    return text;
  }

  /** Waits for every job; the results in the order they came. Throws the first job's error. */
  finish(): Result[] {
    this.flush();
    const results: Result[] = [];
    let failure: Error | undefined;
    while (this.received < this.submitted) {
      const outcomes = this.wait();
      if (!outcomes.length) {
        failure ??= this.stalled();
        break;
      }
      for (const outcome of outcomes) {
        if ('error' in outcome) failure ??= jobError(outcome.error);
        else results.push(outcome.result);
      }
    }
    this.close();
    if (failure) throw failure;
    return results;
  }

  /** Waits for the next results: those that have come (at least one, unless every job is done), in the order they came. Throws a job's error. */
  next(): Result[] {
    this.flush();
    if (this.received >= this.submitted) return [];
    const outcomes = this.wait();
    if (!outcomes.length) throw this.stalled();
    return outcomes.map((outcome) => {
      if ('error' in outcome) throw jobError(outcome.error);
      return outcome.result;
    });
  }

  /** Stops the workers, whatever they are doing. */
  close(): void {
    this.workers.forEach((worker) => void worker.terminate());
  }

  /** The outcomes that have come, once one has; none when no worker posted any for STALL_MS. */
  private wait(): Outcome<Result>[] {
    const start = Date.now();
    for (;;) {
      const seen = Atomics.load(this.progress, 0);
      const received = this.ports.flatMap(drain<Result>);
      if (received.length) {
        this.received += received.length;
        return received;
      }
      if (Date.now() - start > STALL_MS) return [];
      Atomics.wait(this.progress, 0, seen, 100);
    }
  }

  private stalled(): Error {
    return new Error(`a worker thread stopped with ${this.submitted - this.received} jobs not done`);
  }

  private flush(): void {
    if (this.batch.length) this.workers[this.batches++ % this.workers.length].postMessage(this.batch.splice(0));
  }
}

/**
 * The worker side: runs `handle` on each job of each batch, posts the batch's outcomes as one
 * message, and raises the counter. `handle` gets the pool's `data`.
 */
export function serveJobs<Job, Result, Data>(handle: (job: Job, data: Data) => Result): void {
  const { data, progress, results } = workerData as { data: Data; progress: Int32Array; results: MessagePort };
  parentPort!.on('message', (batch: string[]) => {
    results.postMessage(batch.map((text) => run(() => handle(JSON.parse(text) as Job, data))));
    Atomics.add(progress, 0, batch.length);
    Atomics.notify(progress, 0);
  });
}

type Outcome<Result> = { result: Result } | { error: { message: string; code?: string } };

const jobError = ({ message, code }: { message: string; code?: string }) => Object.assign(new Error(message), { code });

function run<Result>(job: () => Result): Outcome<Result> {
  try {
    return { result: job() };
  } catch (e) {
    const { message, code } = e as NodeJS.ErrnoException;
    return { error: { message, code } };
  }
}

function drain<Result>(port: MessagePort): Outcome<Result>[] {
  const outcomes: Outcome<Result>[] = [];
  for (let message; (message = receiveMessageOnPort(port)); ) outcomes.push(...(message.message as Outcome<Result>[]));
  return outcomes;
}

/** Jobs from which a pool is worth starting. */
const POOL_FROM = 100;
/** Jobs in one message. */
const BATCH = 8;
/** A pool with no result for this long has lost a worker. */
const STALL_MS = 60_000;
