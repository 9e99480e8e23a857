import { parseArgs } from 'util';
import { importEnvironment } from '../live/import';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';
import { escapeText } from '../policies/problem';
import { dumpFailure, readDump } from './plan';
import { isParseArgsError, USAGE, usageError } from './usage';

/**
 * import FILE|- [--name NAME]: a starting environment file (stdout) from a live node-agent, and
 * one warning line (stderr) for each live setting it does not model. Exit 0 with the file, 1 when
 * the dump cannot be used, 2 on wrong usage.
 */
export function importCommand(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    return usageError(`import: ${(e as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usageError('import takes one FILE: the output of kubectl get ds,cm -n velero -o yaml, or - for standard input');
  if (values.name !== undefined && !new RegExp(DNS_LABEL_PATTERN).test(values.name)) {
    return usageError(`--name ${JSON.stringify(values.name)} is not an environment name: lower-case letters, digits and "-" (a DNS-1123 label)`);
  }
  try {
    const imported = importEnvironment(readDump(positionals[0]), values.name);
    console.log(imported.yaml.replace(/\n$/, ''));
    for (const warning of imported.warnings) console.error(escapeText(`warning: ${warning}`));
    return 0;
  } catch (e) {
    return dumpFailure(e);
  }
}
