/** A worker of pipeline/read-pool.ts: each file read by readJob, the code the main thread runs for a few. */
import { readJob } from './read-pool';
import { serveJobs } from './worker-pool';

serveJobs(readJob);
