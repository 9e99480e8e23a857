import * as fs from 'fs';
import { parseArgs } from 'util';
import { printableName } from '../pipeline/output/printable';
import { Review, reviewBase, reviewFolders, toJson, toMarkdown, TreeError } from '../review';
import { UsageError } from './options';
import { isParseArgsError, USAGE, usageError } from './usage';

/**
 * `diff BEFORE_DIR AFTER_DIR` or `diff --base GIT_REF`: the review report on stdout. Exit 0 when
 * it is printed, whatever changed; 1 when a tree cannot be read; 2 on wrong usage.
 */
export function diff(argv: readonly string[]): number {
  let review: () => Review;
  let format: string;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        output: { type: 'string' },
        environments: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    format = values.format!;
    if (format !== 'markdown' && format !== 'json') throw new UsageError(`diff: --format is markdown or json, not "${printableName(format)}"`);
    for (const flag of ['base', 'output', 'environments'] as const) {
      if (values[flag] === '') throw new UsageError(`diff: --${flag} is empty`);
    }
    const { base } = values;
    if (base === undefined) {
      if (values.output !== undefined || values.environments !== undefined) throw new UsageError('diff: --output and --environments go with --base');
      if (positionals.length !== 2) throw new UsageError('diff takes BEFORE_DIR and AFTER_DIR, or --base GIT_REF');
      const [before, after] = positionals;
      review = () => reviewFolders(before, after);
    } else {
      if (positionals.length) throw new UsageError(`diff --base compares with the working tree: unexpected argument "${printableName(positionals[0])}"`);
      if (base.startsWith('-')) throw new UsageError(`diff: --base takes a git ref, not "${printableName(base)}"`);
      const { output = 'dist', environments = 'environments' } = values;
      if (!fs.statSync(environments, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(`environments folder ${printableName(environments)} not found (set it with --environments DIR)`);
      }
      review = () => reviewBase(base, output, environments);
    }
  } catch (e) {
    if (!(e instanceof UsageError) && !isParseArgsError(e)) throw e;
    return usageError(e.message);
  }
  try {
    const report = review();
    console.log(format === 'json' ? toJson(report) : toMarkdown(report));
    return 0;
  } catch (e) {
    if (!(e instanceof TreeError) && !(e as NodeJS.ErrnoException).code) throw e;
    console.error(`error: ${printableName((e as Error).message)}`);
    return 1;
  }
}
