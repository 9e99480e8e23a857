import { parseArgs } from 'util';
import { contractRelease, NEWEST_RELEASE, RELEASES_TEXT } from '../velero/releases';

export const COMMANDS = ['synth', 'check', 'validate', 'lint-configmap'] as const;
export type Command = (typeof COMMANDS)[number];

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type Format = (typeof FORMATS)[number];
/** The formats for CI systems (cli/formats/), which only the commands that report findings print. */
const CI_FORMATS: readonly Format[] = ['sarif', 'junit', 'github'];
const REPORTING: readonly Command[] = ['validate', 'lint-configmap'];

export interface Options {
  readonly command: Command;
  readonly environments: string;
  readonly output: string;
  readonly format: Format;
  readonly veleroVersion: string;
  readonly allowEmpty: boolean;
  readonly cdk8sApp: boolean;
  /** lint-configmap's FILE, or `-`. */
  readonly file?: string;
}

/** Wrong usage: exit 2 with the usage text. */
export class UsageError extends Error {}

/** The command line, or what to print instead of running a command. */
export function parse(argv: readonly string[]): Options | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      environments: { type: 'string', default: 'environments' },
      output: { type: 'string', default: 'dist' },
      format: { type: 'string', default: 'text' },
      'velero-version': { type: 'string', default: NEWEST_RELEASE },
      'allow-empty': { type: 'boolean', default: false },
      'cdk8s-app': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command = 'synth', ...rest] = positionals;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command "${command}"`);
  const wantsFile = command === 'lint-configmap';
  if (wantsFile ? rest.length !== 1 : rest.length > 0) {
    throw new UsageError(wantsFile ? 'lint-configmap takes one FILE' : `unexpected argument "${rest[0]}"`);
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format is ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}, not "${values.format}"`);
  if (CI_FORMATS.includes(format) && !REPORTING.includes(command as Command)) {
    throw new UsageError(`--format ${format} is for ${REPORTING.join(' and ')}`);
  }
  if (values.output === '') throw new UsageError('--output is empty: name a folder, such as dist');
  for (const flag of ['allow-empty', 'cdk8s-app'] as const) {
    if (values[flag] && command !== 'synth') throw new UsageError(`--${flag} is for synth only`);
  }
  const veleroVersion = values['velero-version']!;
  if (!contractRelease(veleroVersion)) {
    throw new UsageError(`--velero-version ${veleroVersion}: expected a Velero release from ${RELEASES_TEXT}, such as ${NEWEST_RELEASE}`);
  }
  return {
    command: command as Command,
    environments: values.environments!,
    output: values.output!,
    format,
    veleroVersion,
    allowEmpty: values['allow-empty']!,
    cdk8sApp: values['cdk8s-app']!,
    file: wantsFile ? rest[0] : undefined,
  };
}
