/**
 * A worker of pipeline/render-pool.ts: renders folders with renderJob, the code the main thread
 * runs for a few: serialised, written into the staging folder if there is one, checked. Each batch of jobs comes back as
 * one message of results on the results port, after which it adds their number to the shared
 * counter and wakes the main thread.
 */
import { MessagePort, parentPort, workerData } from 'worker_threads';
import { RenderJob, renderJob, Result } from './render-pool';

interface WorkerData {
  readonly progress: Int32Array;
  readonly results: MessagePort;
  readonly staging?: string;
  readonly reuseFrom?: string;
}

const { progress, results, staging, reuseFrom } = workerData as WorkerData;

parentPort!.on('message', (batch: string[]) => {
  results.postMessage(batch.map((text) => render(JSON.parse(text) as RenderJob)));
  Atomics.add(progress, 0, batch.length);
  Atomics.notify(progress, 0);
});

function render(job: RenderJob): Result {
  try {
    const { files, findings } = renderJob(job, { staging, reuseFrom });
    return { name: job.folder.name, files: [...files], findings };
  } catch (e) {
    const { message, code } = e as NodeJS.ErrnoException;
    return { name: job.folder.name, error: { message, code } };
  }
}
