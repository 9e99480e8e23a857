import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { Finding, formatPath, Problem } from './findings';

/** One parsed YAML input, kept with its positions so findings can name a line and column. */
export class SourceFile {
  /** Reads and parses `file`; syntax errors are in `syntaxFindings()`. */
  static read(file: string): SourceFile {
    return new SourceFile(displayPath(file), fs.readFileSync(file, 'utf8'));
  }

  readonly document: Document;
  private readonly lines = new LineCounter();

  /** @param file the path findings show, relative to the working directory where possible */
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  private plain?: { readonly data: unknown };

  /** The document as plain data (YAML 1.2 core schema), converted once. */
  get data(): unknown {
    this.plain ??= { data: this.document.toJS({ maxAliasCount: 100 }) };
    return this.plain.data;
  }

  syntaxFindings(): Finding[] {
    return this.document.errors.map((e) => {
      const { line, col } = this.lines.linePos(e.pos[0]);
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { file: this.file, line, column: col, path: '', rule: 'yaml-syntax', severity: 'error', message, hint: 'fix the YAML syntax; nothing was rendered' };
    });
  }

  /** Position of `keyPath` (its key when `atKey`), or undefined when the file does not hold it. */
  position(keyPath: readonly (string | number)[], atKey = false): { line: number; column: number } | undefined {
    let node: unknown = this.document.contents;
    let key: unknown = undefined;
    for (const segment of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
        if (!pair) return undefined;
        key = pair.key;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
        key = undefined;
        if (node === undefined) return undefined;
      } else {
        return undefined;
      }
    }
    const target = (atKey && key) || node || key;
    const range = (target as Node | undefined)?.range;
    if (!range) return keyPath.length === 0 ? { line: 1, column: 1 } : undefined;
    const { line, col } = this.lines.linePos(range[0]);
    return { line, column: col };
  }
}

/** Displays paths relative to the working directory, as editors and CI annotations want them. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/**
 * Places a problem in the file that set the value: the last of `sources` (fragments first,
 * the environment last) holding the longest prefix of the problem's path.
 */
export function locate(problem: Problem, sources: readonly SourceFile[]): Finding {
  const { path: keyPath, atKey, ...rest } = problem;
  for (let length = keyPath.length; length >= 0; length--) {
    for (const source of [...sources].reverse()) {
      const at = source.position(keyPath.slice(0, length), atKey && length === keyPath.length);
      if (at) return { file: source.file, ...at, path: formatPath(keyPath), ...rest };
    }
  }
  const file = sources[sources.length - 1].file;
  return { file, line: 1, column: 1, path: formatPath(keyPath), ...rest };
}
