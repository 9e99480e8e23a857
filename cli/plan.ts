import * as fs from 'fs';
import { parseArgs } from 'util';
import { DumpError, LiveDump, readLiveDump } from '../live/dump';
import { planJson, planText } from '../live/format';
import { planTakeover } from '../live/plan';
import { InputError, readInput } from '../pipeline/input';
import { formatFinding } from '../pipeline/findings';
import { synthesize } from '../pipeline/synth';
import { escapeText, hasErrors } from '../policies/problem';
import { report } from './report';
import { isParseArgsError, USAGE, usageError } from './usage';

/**
 * plan --live FILE [--environment NAME] [--environments DIR] [--format text|json]: what the first
 * sync of an environment changes on the node-agent a dump shows. Exit 0 with the plan, 1 when the
 * dump or the environments cannot be used, 2 on wrong usage.
 */
export function plan(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        live: { type: 'string' },
        environment: { type: 'string' },
        environments: { type: 'string', default: 'environments' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    return usageError(`plan: ${(e as Error).message}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.live === undefined) return usageError('plan needs --live FILE: the output of kubectl get ds,cm -n velero -o yaml, or - for standard input');
  if (values.format !== 'text' && values.format !== 'json') return usageError(`--format is text or json, not "${values.format}"`);
  const dir = values.environments!;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return usageError(`environments folder ${dir} not found (set it with --environments DIR)`);

  let dump;
  try {
    dump = readDump(values.live);
  } catch (e) {
    return dumpFailure(e);
  }

  const { findings, waivers, rendered } = synthesize(dir);
  if (hasErrors(findings)) {
    report({ findings, waivers }, 'text');
    console.error(`\nerror: the environments in ${dir} do not validate: nothing to plan`);
    return 1;
  }
  const names = rendered.map((r) => r.name).sort();
  const name = values.environment ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    return usageError(names.length ? `${dir} holds ${names.length} environments (${names.join(', ')}): choose one with --environment NAME` : `${dir} holds no environment`);
  }
  const environment = rendered.find((r) => r.name === name);
  if (!environment) return usageError(`no environment named "${name}" in ${dir} (${names.join(', ') || 'none'})`);

  try {
    const result = planTakeover(environment, dump);
    console.log(values.format === 'json' ? planJson(result) : planText(result));
    return 0;
  } catch (e) {
    if (!(e instanceof DumpError)) throw e;
    console.error(escapeText(`error: ${e.message}`));
    return 1;
  }
}

/** A dump file or standard input (`-`), read as pipeline/input.ts reads untrusted input. Throws InputError (usage) or DumpError. */
export function readDump(arg: string): LiveDump {
  const input = readInput(arg);
  if (!('text' in input)) throw new DumpError(formatFinding(input.findings[0]));
  return readLiveDump(input.file, input.text);
}

/** The exit code for a dump that cannot be used, its error printed: 2 for a FILE that is not one (usage), 1 for its content. */
export function dumpFailure(e: unknown): number {
  if (e instanceof InputError) {
    console.error(`error: ${e.message}`);
    return 2;
  }
  if (!(e instanceof DumpError)) throw e;
  console.error(escapeText(`error: ${e.message}`));
  return 1;
}
