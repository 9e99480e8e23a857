/** A worker of pipeline/render-pool.ts: each folder rendered by renderJob, the code the main thread runs for a few. */
import { renderJob, RendererOptions, RenderJob, WorkerResult } from './render-pool';
import { serveJobs } from './worker-pool';

serveJobs((job: RenderJob, options: RendererOptions): WorkerResult => {
  const { files, findings } = renderJob(job, options);
  return { name: job.folder.name, files: [...files], findings };
});
