import { specWantsInteger } from '../policies/validator';
import { specPath } from './environment';
import { Finding } from './findings';
import { LoadedEnvironment } from './load';
import { locate } from './source';

/**
 * Numbers that would not be rendered as written: JSON has no infinity or NaN, JavaScript holds
 * integers exactly only up to 2^53, and Go decodes a float such as `1.0`, `2.0e0` or `1e3` into
 * an int field as an error (node-agent then exits, from Velero 1.17). The rendered JSON must
 * never hold a number Go would reject or read differently, so each is an error here.
 */
export function numberFindings({ sources, data }: LoadedEnvironment): { findings: Finding[]; reported: Set<string> } {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  sources.forEach((source, index) => {
    for (const [key, { note, source: written }] of source.numbers) {
      const filePath = JSON.parse(key) as (string | number)[];
      // Only the number the environment ends up with: the last file holding this path set it.
      if (sources.slice(index + 1).some((later) => later.position(filePath))) continue;
      if (typeof valueAt(data, filePath) !== 'number') continue;
      const at = specPath(filePath);
      const report = (message: string, hint: string) => {
        findings.push(locate({ path: filePath, rule: 'number', severity: 'error', message, hint }, [source]));
        reported.add(key);
      };
      if (note === 'non-finite') report(`${written} is not a number JSON can hold`, 'write a finite number');
      else if (note === 'inexact') report(`${written} is beyond 2^53 and cannot be rendered exactly`, 'use a smaller number, or quote it where a quantity string is expected');
      else if (at && specWantsInteger(at)) report(`expected an integer, got ${written}`, 'Velero decodes this field as a Go int, which rejects a number written with a fraction or an exponent: write it as an integer');
    }
  });
  return { findings, reported };
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), data);
}
