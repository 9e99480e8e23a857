import { createHash } from 'crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding } from '../../pipeline/findings';
import type { CheckInfo } from '../../policies/checks';
import { escapeText } from '../../policies/problem';
import { repositoryPath } from './paths';

/** The OASIS SARIF 2.1.0 schema (with its approved errata), as GitHub code scanning reads it. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Our key in partialFingerprints: GitHub computes primaryLocationLineHash itself and warns when a tool sets it. */
export const FINGERPRINT_KEY = 'veleroNodeAgent/v1';

export interface SarifTool {
  readonly version: string;
  /** Every rule a finding can carry: tool.driver.rules, which results point into by ruleIndex. */
  readonly rules: readonly CheckInfo[];
  /** Files are named relative to it. */
  readonly cwd: string;
}

/**
 * One SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF readers. Each result's
 * fingerprint hashes its rule, file, key path and message, never its line: a finding keeps its
 * identity (and its alert) when lines are inserted above it.
 */
export function sarif(findings: readonly Finding[], tool: SarifTool): string {
  const ruleIndex = new Map(tool.rules.map((r, i) => [r.id, i]));
  const occurrences = new Map<string, number>();
  const results = findings.map((f): Result => {
    const file = repositoryPath(f.file, tool.cwd);
    const hash = createHash('sha256').update([f.rule, file, f.path, f.message].join('\0')).digest('hex');
    // Identical findings at other lines of one file stay distinct, numbered in file order as GitHub numbers its own.
    const occurrence = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, occurrence);
    return {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: f.severity,
      message: { text: escapeText(f.hint ? `${f.message} (${f.hint})` : f.message) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: fileUri(file) }, region: { startLine: f.line, startColumn: f.column } },
          ...(f.path && { logicalLocations: [{ fullyQualifiedName: escapeText(f.path) }] }),
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${occurrence}` },
      // A waiver is written in the environment file, with its reason.
      ...(f.waiver !== undefined && { suppressions: [{ kind: 'inSource', status: 'accepted', justification: escapeText(f.waiver) }] }),
    };
  });
  const rules = tool.rules.map((r): ReportingDescriptor => ({
    id: r.id,
    shortDescription: { text: r.summary },
    defaultConfiguration: { level: r.severity },
  }));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'velero-node-agent', version: tool.version, rules } }, columnKind: 'utf16CodeUnits', results }],
  };
  return JSON.stringify(log, null, 2);
}

/** A relative path as a relative URI reference; an absolute one as a file: URI. Each segment percent-encoded. */
function fileUri(file: string): string {
  const encoded = file.split('/').map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment))).join('/');
  if (file.startsWith('/')) return `file://${encoded}`;
  return /^[A-Za-z]:\//.test(file) ? `file:///${encoded}` : encoded;
}
