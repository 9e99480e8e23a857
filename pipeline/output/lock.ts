import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { OutputError } from './error';
import { printableName } from './printable';
import { readEntry } from './read';
import { lockPath } from './siblings';

/**
 * A lock older than this is taken over whoever holds it. It is never refreshed while held:
 * a run is synchronous from start to end, so no timer could fire to refresh it. Runs take
 * seconds; this only rescues a lock whose holder cannot be checked (another host, a reused pid).
 */
const STALE_MS = 10 * 60 * 1000;

/** Who holds a lock: what the lock file says. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  /** Tells this run's lock from a later one that took over after it went stale. */
  readonly token: string;
}

/**
 * Takes `.<name>.lock` beside the output for a whole synth or check run, so that two runs
 * never interleave their recoveries, reads and swaps. A lock whose holder died on this host
 * (its pid is gone) or that is older than STALE_MS is taken over; any other makes the loser
 * stop with an OutputError naming the output and the holder.
 *
 * Hand-written rather than proper-lockfile: its lock is an empty folder (removed with rmdir),
 * which cannot say which pid holds it, so neither the holder's name in the message nor the
 * dead-pid takeover can be built on it; its only staleness test is an mtime kept fresh by
 * timers, which never fire during our synchronous runs. As in proper-lockfile, taking over an
 * abandoned lock is remove-then-create: two runs that find the same dead holder at the same
 * instant could both go on; that needs a crashed run and two new ones within microseconds.
 * @returns the release function, which removes the lock only while it is still this run's
 */
export function lockOutput(outDir: string): () => void {
  const file = lockPath(outDir);
  const mine: Holder = { pid: process.pid, host: os.hostname(), token: randomUUID() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        if (holder(file)?.token === mine.token) fs.rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        fs.rmSync(file, { force: true }); // if it exists, O_EXCL created it: ours, half written
        throw e;
      }
    }
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st) continue; // released in the meantime
    const held = holder(file);
    const abandoned = Date.now() - st.mtimeMs > STALE_MS || (held?.host === mine.host && !alive(held.pid));
    if (!abandoned) throw new OutputError(lockedMessage(outDir, file, held, st.mtime));
    fs.rmSync(file, { recursive: true, force: true });
  }
  throw new OutputError(`${outDir}: could not take the lock ${file}: other runs keep taking it`);
}

function lockedMessage(outDir: string, file: string, held: Holder | undefined, since: Date): string {
  const who = !held ? 'an unknown holder' : held.host === os.hostname() ? `pid ${held.pid}` : `pid ${held.pid} on ${printableName(held.host)}`;
  return (
    `${outDir} is in use by another run: locked by ${who} since ${since.toISOString()} (${file}). ` +
    `Run again when it has finished${held?.host === os.hostname() ? '' : `; if no run is going on, remove ${file}`}.`
  );
}

/** The holder a lock file names, or undefined when it is gone or is not a lock file this tool wrote. */
function holder(file: string): Holder | undefined {
  try {
    const entry = readEntry(file);
    if (!('text' in entry)) return undefined;
    const { pid, host, token } = JSON.parse(entry.text);
    return Number.isInteger(pid) && pid > 0 && typeof host === 'string' && typeof token === 'string' ? { pid, host, token } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
