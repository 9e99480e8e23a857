import * as path from 'path';
import { getSystemErrorName } from 'util';

interface Addon {
  /** renameat2(a, b, RENAME_EXCHANGE): 0, or the errno. */
  exchange(a: string, b: string): number;
}

/** native/exchange.c as npm's install script built it; undefined where it did not build. */
const addon = load();

function load(): Addon | undefined {
  try {
    return require(path.join(__dirname, '..', '..', 'build', 'Release', 'exchange.node')) as Addon;
  } catch {
    return undefined; // not built, or built for another Node: the journaled fallback is used
  }
}

/** Whether the exchange addon is loaded (on Linux the swap is then atomic, where the file system allows). */
export const exchangeLoaded = addon !== undefined;

/**
 * Swaps the paths `a` and `b` (both must exist) in one atomic step.
 * @returns false, having changed nothing, where this system cannot: no addon, no renameat2
 *   (ENOSYS), or a file system that refuses the exchange (EINVAL); the caller falls back then
 */
export function exchange(a: string, b: string): boolean {
  if (!addon) return false;
  const errno = addon.exchange(a, b);
  if (errno === 0) return true;
  const code = getSystemErrorName(-errno);
  if (code === 'ENOSYS' || code === 'EINVAL') return false;
  throw Object.assign(new Error(`${code}: cannot exchange ${a} and ${b}`), { code, errno: -errno });
}
