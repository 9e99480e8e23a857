/** A worker of the review (review/model.ts): each environment compared by reviewEnvironment, the code the main thread runs for a few. */
import { serveJobs } from '../pipeline/worker-pool';
import { reviewEnvironment } from './model';

serveJobs(reviewEnvironment);
