import * as path from 'path';
import type { Finding } from './findings';
import { readWithin } from './input';
import { SourceFile, SourceRead } from './source';
import { WorkerPool } from './worker-pool';

/** A file to read and parse (readWithin), inside `root`. */
export interface ReadJob {
  readonly file: string;
  readonly root: string;
}

/** What a worker read of a file: the SourceFile's reading, or why there is none. */
export type ReadResult = { readonly file: string; readonly text: string; readonly shown: string; readonly read: SourceRead } | { readonly file: string; readonly finding: Finding };

/** One job, on whichever thread. */
export function readJob({ file, root }: ReadJob): ReadResult {
  const source = readWithin(file, root);
  return source instanceof SourceFile ? { file, text: source.text, shown: source.file, read: source.read() } : { file, finding: source };
}

/** readWithin, answered for the files given ahead from what a worker already read. */
export interface Reader {
  read(file: string, root: string): SourceFile | Finding;
  /** Stops the worker: call when done, or on the way out of an error. */
  close(): void;
}

/**
 * Files read ahead of the one asked for: enough that the worker never waits, few enough that the
 * main thread does not hold thousands of parsed files (a fleet of 10,000 read all at once grew the
 * heap, and the garbage collector's work with it).
 */
const AHEAD = 64;

/** The compiled worker (pipeline/read-worker.ts). */
const WORKER = path.join(__dirname, 'read-worker.js');

/**
 * A reader that reads and parses `files` (absolute paths, inside `root`) on a worker thread,
 * AHEAD of the one asked for, while this thread builds the environments read before: reading
 * and parsing them was 30% of this thread's time on a fleet. Each file is answered once from the
 * worker; other files, a file asked again, and every file of a small fleet are read here.
 */
export function createReader(files: readonly string[], root: string): Reader {
  if (!WorkerPool.pays(files.length, WORKER)) return { read: readWithin, close: () => undefined };
  const pool = new WorkerPool<ReadJob, ReadResult>(WORKER, undefined, 1);
  const unanswered = new Map(files.map((file, index) => [file, index]));
  let submitted = 0;
  const submitUpTo = (count: number) => {
    for (; submitted < Math.min(count, files.length); submitted++) pool.submit({ file: files[submitted], root });
  };
  submitUpTo(AHEAD);
  const arrived = new Map<string, ReadResult>();
  return {
    read: (file, within) => {
      const index = unanswered.get(file);
      if (index === undefined || within !== root) return readWithin(file, within);
      unanswered.delete(file);
      submitUpTo(index + 1 + AHEAD);
      let result: ReadResult | undefined;
      while (!(result = arrived.get(file))) {
        const next = pool.next();
        if (!next.length) throw new Error(`${file} was read ahead but never answered`);
        for (const r of next) arrived.set(r.file, r);
      }
      arrived.delete(file);
      return 'finding' in result ? result.finding : new SourceFile(result.shown, result.text, result.read);
    },
    close: () => pool.close(),
  };
}
