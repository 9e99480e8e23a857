/**
 * Text from the manifests in a Markdown pull-request comment. Every key, value and name there was
 * written by the pull request's author, and GitHub would render markup, HTML, links, `@mentions`
 * and `#123` references in it. Inside a code span or a fenced block none of that is interpreted,
 * so user text goes only there (never in a table), with control, line-separator and
 * bidirectional characters escaped (no line can be forged or reordered) and its length bounded.
 */
import { printableName } from '../pipeline/output/printable';

/** At most `max` characters (code points, so no surrogate pair is cut), `…` marking a cut. */
export function abbreviate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A code span holding `text` as it is: the fence is longer than any run of backticks in it. */
export function code(text: string, max = 120): string {
  const content = abbreviate(printableName(text), max);
  const fence = '`'.repeat(longestRun(content) + 1);
  // A span that starts or ends with a backtick (or a space, which the parser strips) is padded.
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced block of lines, each escaped; the fence is longer than any backtick run inside, so no line can close it. */
export function fenced(lines: readonly string[]): string[] {
  const content = lines.map((l) => printableName(l));
  const fence = '`'.repeat(Math.max(3, ...content.map((l) => longestRun(l) + 1)));
  return [`${fence}text`, ...content, fence];
}

function longestRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** `a, b, c` or, beyond `max`, `a, b, … and 7 more` (a lone extra is listed rather than counted). */
export function listed(items: readonly string[], max: number): string {
  if (items.length <= max + 1) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … and ${items.length - max} more`;
}

/** `1 environment`, `300 environments`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
