import type { Finding } from '../../pipeline/findings';
import { escapeText } from '../../policies/problem';
import { repositoryPath } from './paths';

/** GitHub's escaping of a workflow command's message (as @actions/core does it). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** ... and of a property value, where `:` and `,` would end the value. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * One GitHub Actions workflow command per finding, `::error file=F,line=L,col=C,title=RULE::MESSAGE (HINT)`
 * (or `::warning`), which GitHub shows as an annotation on that line of the pull request. Control
 * characters are escaped first, as in the text output, so nothing a file holds can end the line
 * and forge another command.
 */
export function githubAnnotations(findings: readonly Finding[], cwd: string): string[] {
  return findings.map((f) => {
    const file = escapeProperty(escapeText(repositoryPath(f.file, cwd)));
    const message = escapeData(escapeText(f.hint ? `${f.message} (${f.hint})` : f.message));
    return `::${f.severity} file=${file},line=${f.line},col=${f.column},title=${escapeProperty(f.rule)}::${message}`;
  });
}
