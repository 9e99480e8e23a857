/**
 * policies/go-json.ts: what Go's json.Unmarshal makes of a node-agent ConfigMap value. Every
 * expected value and finding is written by hand from Go's encoding/json rules (decode.go,
 * scanner.go, fold.go) and Velero's types (v1.18.1 pkg/types/node_agent.go): fields Go never
 * set are absent, ints are bigint. `at` is the text a finding points at.
 */
import { decodeGoJson, GoJson } from '../policies/go-json';
import { formatPath } from '../policies/problem';
import { NodeAgentConfig } from '../velero/node-agent-config';

const ON_ERROR = 'node-agent exits at startup from Velero 1.17; before 1.17 it ignores the whole ConfigMap';

const decode = (text: string, veleroVersion = '1.18.1'): GoJson => decodeGoJson(text, NodeAgentConfig, { veleroVersion });

/** Each problem as rule, severity, key path, the text it points at, message and hint. */
function problems(text: string, veleroVersion?: string) {
  return decode(text, veleroVersion).problems.map(({ rule, severity, path, range, message, hint }) => ({
    rule, severity, path: formatPath(path), at: text.slice(range[0], range[1]), message, ...(hint === undefined ? {} : { hint }),
  }));
}

const goDecode = (path: string, at: string, message: string, hint = ON_ERROR) => ({ rule: 'go-decode', severity: 'error', path, at, message, hint });
const duplicate = (path: string, key: string, effect: string, hint = `write "${key}" once`) =>
  ({ rule: 'duplicate-key', severity: 'warning', path, at: `"${key}"`, message: `duplicate key "${key}": ${effect}`, hint });

describe('ints: Go int and int64 take integer literals within int64 only', () => {
  test.each([
    ['1.0', 'cannot decode the number 1.0 into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int'],
    ['2.0e0', 'cannot decode the number 2.0e0 into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int'],
    ['1e3', 'cannot decode the number 1e3 into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int'],
    ['-0.5', 'cannot decode the number -0.5 into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int'],
    [
      '9223372036854775808',
      'cannot decode the number 9223372036854775808 into loadConcurrency.globalConfig (a Go int): it is outside the range of an int, -9223372036854775808 to 9223372036854775807',
    ],
    [
      '-9223372036854775809',
      'cannot decode the number -9223372036854775809 into loadConcurrency.globalConfig (a Go int): it is outside the range of an int, -9223372036854775808 to 9223372036854775807',
    ],
  ])('%s is a decode error and leaves the field unset', (literal, message) => {
    const text = `{"loadConcurrency":{"globalConfig":${literal}}}`;
    expect(problems(text)).toEqual([goDecode('loadConcurrency.globalConfig', literal, message)]);
    expect(decode(text).value).toEqual({ loadConcurrency: {} });
  });

  test('9223372036854775807 and -9223372036854775808 decode exactly', () => {
    const text = '{"loadConcurrency":{"globalConfig":9223372036854775807,"prepareQueueLength":-9223372036854775808}}';
    expect(problems(text)).toEqual([]);
    expect(decode(text).value).toEqual({ loadConcurrency: { globalConfig: 9223372036854775807n, prepareQueueLength: -9223372036854775808n } });
  });

  test('-0 is 0', () => {
    expect(problems('{"loadConcurrency":{"globalConfig":-0}}')).toEqual([]);
    expect(decode('{"loadConcurrency":{"globalConfig":-0}}').value).toEqual({ loadConcurrency: { globalConfig: 0n } });
  });

  test('int64 (residentThresholdInMB) is named as such', () => {
    expect(problems('{"cachePVC":{"residentThresholdInMB":1.5}}')).toEqual([
      goDecode('cachePVC.residentThresholdInMB', '1.5', 'cannot decode the number 1.5 into cachePVC.residentThresholdInMB (a Go int64): only integer literals decode into an int64', `the threshold is in MB: there is no thresholdInGB. ${ON_ERROR}`),
    ]);
  });

  test('a quoted integer says to drop the quotes', () => {
    expect(problems('{"loadConcurrency":{"globalConfig":"2"}}')).toEqual([
      goDecode('loadConcurrency.globalConfig', '"2"', 'cannot decode the string "2" into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int: write 2 without quotes'),
    ]);
  });
});

describe('other types', () => {
  test('strings take only strings, bools only true and false', () => {
    const text = '{"priorityClassName":5,"privilegedFsBackup":"true","restorePVC":{"ignoreDelayBinding":1}}';
    expect(problems(text)).toEqual([
      goDecode('priorityClassName', '5', 'cannot decode the number 5 into priorityClassName (a Go string): only a JSON string decodes into a string: quote the value'),
      goDecode('privilegedFsBackup', '"true"', 'cannot decode the string "true" into privilegedFsBackup (a Go bool): only true and false decode into a bool: write true without quotes'),
      goDecode('restorePVC.ignoreDelayBinding', '1', 'cannot decode the number 1 into restorePVC.ignoreDelayBinding (a Go bool): only true and false decode into a bool'),
    ]);
    expect(decode(text).value).toEqual({ restorePVC: {} });
  });

  test('an object into a string, an array into a struct, an object into a slice', () => {
    const text = '{"priorityClassName":{},"restorePVC":[],"loadAffinity":{}}';
    expect(problems(text)).toEqual([
      goDecode('priorityClassName', '{}', 'cannot decode an object into priorityClassName (a Go string): only a JSON string decodes into a string: quote the value'),
      goDecode('restorePVC', '[]', 'cannot decode an array into restorePVC (Go type *RestorePVC): only a JSON object decodes into a struct'),
      goDecode('loadAffinity', '{}', 'cannot decode an object into loadAffinity (Go type []*kube.LoadAffinity): only a JSON array decodes into a slice'),
    ]);
    // decode.go indirect() allocates the nil *RestorePVC before it sees the array.
    expect(decode(text).value).toEqual({ restorePVC: {} });
  });

  test('the top level must be an object', () => {
    expect(problems('[1]')).toEqual([goDecode('', '[1]', 'cannot decode an array into the top level (Go type NodeAgentConfigs): only a JSON object decodes into a struct')]);
    expect(decode('[1]').value).toEqual({});
  });

  test('a map entry of the wrong type is still stored, as the zero value', () => {
    const text = '{"podLabels":{"team":5,"tier":"db"}}';
    expect(problems(text)).toEqual([
      goDecode('podLabels.team', '5', 'cannot decode the number 5 into podLabels.team (a Go string): only a JSON string decodes into a string: quote the value'),
    ]);
    expect(decode(text).value).toEqual({ podLabels: { team: '', tier: 'db' } });
  });
});

describe('duplicate keys: members apply in order', () => {
  test('a scalar: the last value wins', () => {
    const text = '{"priorityClassName":"a","priorityClassName":"b"}';
    expect(decode(text).value).toEqual({ priorityClassName: 'b' });
    expect(problems(text)).toEqual([duplicate('priorityClassName', 'priorityClassName', 'the last value wins')]);
    const [start, end] = decode(text).sourceOf(['priorityClassName']);
    expect([start, text.slice(start, end)]).toEqual([45, '"b"']);
  });

  test('a pointer to a struct: the later object is decoded into the earlier one', () => {
    const text = '{"loadConcurrency":{"globalConfig":1},"loadConcurrency":{"prepareQueueLength":5}}';
    expect(decode(text).value).toEqual({ loadConcurrency: { globalConfig: 1n, prepareQueueLength: 5n } });
    expect(problems(text)).toEqual([
      duplicate('loadConcurrency', 'loadConcurrency', "merged into the earlier object (a field set in both takes this copy's value)"),
    ]);
  });

  test('a wrong type in the first copy is a decode error although the last copy is fine', () => {
    const text = '{"loadConcurrency":{"globalConfig":"x"},"loadConcurrency":{"globalConfig":2}}';
    expect(decode(text).value).toEqual({ loadConcurrency: { globalConfig: 2n } });
    expect(problems(text)).toEqual([
      goDecode('loadConcurrency.globalConfig', '"x"', 'cannot decode the string "x" into loadConcurrency.globalConfig (a Go int): only integer literals decode into an int'),
      duplicate('loadConcurrency', 'loadConcurrency', "merged into the earlier object (a field set in both takes this copy's value)"),
    ]);
  });

  test('a later copy of the wrong type leaves the earlier value', () => {
    const text = '{"priorityClassName":"a","priorityClassName":1}';
    expect(decode(text).value).toEqual({ priorityClassName: 'a' });
    expect(problems(text)).toEqual([
      goDecode('priorityClassName', '1', 'cannot decode the number 1 into priorityClassName (a Go string): only a JSON string decodes into a string: quote the value'),
      duplicate('priorityClassName', 'priorityClassName', 'this copy does not decode (see the go-decode error), the earlier value stays'),
    ]);
  });

  test('a backupPVC class twice in one map: the later entry replaces the earlier one whole', () => {
    const text = '{"backupPVC":{"gp3":{"readOnly":true,"annotations":{"a":"b"}},"gp3":{"storageClass":"x"}}}';
    expect(decode(text).value).toEqual({ backupPVC: { gp3: { storageClass: 'x' } } });
    expect(problems(text)).toEqual([duplicate('backupPVC.gp3', 'gp3', 'replaces the earlier entry')]);
  });

  test('backupPVC twice: the map is kept, entries add up, an entry in both is replaced', () => {
    const text = '{"backupPVC":{"gp3":{"readOnly":true},"io1":{}},"backupPVC":{"gp3":{"storageClass":"x"},"io2":{}}}';
    expect(decode(text).value).toEqual({ backupPVC: { gp3: { storageClass: 'x' }, io1: {}, io2: {} } });
    expect(problems(text)).toEqual([
      duplicate('backupPVC', 'backupPVC', "its entries are added to the earlier map (a key in both takes this copy's value)"),
    ]);
  });

  test('podLabels twice: entries add up', () => {
    const text = '{"podLabels":{"a":"1","b":"2"},"podLabels":{"b":"3","c":"4"}}';
    expect(decode(text).value).toEqual({ podLabels: { a: '1', b: '3', c: '4' } });
    expect(problems(text)).toEqual([
      duplicate('podLabels', 'podLabels', "its entries are added to the earlier map (a key in both takes this copy's value)"),
    ]);
  });

  test('a label twice in one map: the last value wins', () => {
    expect(decode('{"podLabels":{"a":"1","a":"2"}}').value).toEqual({ podLabels: { a: '2' } });
    expect(problems('{"podLabels":{"a":"1","a":"2"}}')).toEqual([duplicate('podLabels.a', 'a', 'the last value wins')]);
  });

  test('a slice of structs: elements decode into the earlier elements, then the slice is cut', () => {
    const text =
      '{"loadConcurrency":{"perNodeConfig":[{"number":1,"nodeSelector":{"matchLabels":{"a":"b"}}},{"number":2}]},' +
      '"loadConcurrency":{"perNodeConfig":[{"number":3}]}}';
    expect(decode(text).value).toEqual({ loadConcurrency: { perNodeConfig: [{ nodeSelector: { matchLabels: { a: 'b' } }, number: 3n }] } });
    expect(problems(text)).toEqual([
      duplicate('loadConcurrency', 'loadConcurrency', "merged into the earlier object (a field set in both takes this copy's value)"),
    ]);
  });

  test('a slice of pointers (loadAffinity): the element pointed at merges', () => {
    const text = '{"loadAffinity":[{"nodeSelector":{"matchLabels":{"a":"b"}}}],"loadAffinity":[{"storageClass":"x"}]}';
    expect(decode(text).value).toEqual({ loadAffinity: [{ nodeSelector: { matchLabels: { a: 'b' } }, storageClass: 'x' }] });
    expect(problems(text)).toEqual([
      duplicate('loadAffinity', 'loadAffinity', "decoded into the earlier list element by element (elements merge), then cut to this copy's length"),
    ]);
  });

  test('an empty array makes an empty slice', () => {
    expect(decode('{"loadAffinity":[{"storageClass":"x"}],"loadAffinity":[]}').value).toEqual({ loadAffinity: [] });
  });

  // Simplified: Go decodes a later, longer copy into the spare capacity an earlier copy left, so
  // cut-off elements can come back (Go 1.19 gives [{number 9}, {number 2}] here); how much
  // capacity there is depends on Go's allocator, so the model starts them anew and warns.
  test('a later, longer copy over elements an earlier copy cut off: read as new, with a warning', () => {
    const text =
      '{"loadConcurrency":{"perNodeConfig":[{"number":1},{"number":2},{"number":3}]},' +
      '"loadConcurrency":{"perNodeConfig":[{"number":9}]},' +
      '"loadConcurrency":{"perNodeConfig":[{},{}]}}';
    expect(decode(text).value).toEqual({ loadConcurrency: { perNodeConfig: [{ number: 9n }, {}] } });
    expect(problems(text)).toContainEqual({
      rule: 'duplicate-key', severity: 'warning', path: 'loadConcurrency.perNodeConfig', at: '[{},{}]',
      message: 'this copy of the list is longer than the one before it, which cut off elements 1 to 2: Go may decode elements 1 to 1 into what is left of them; lint-configmap reads them as new',
      hint: 'write the list once',
    });
  });
});

describe('null', () => {
  const NULL_IS_UNSET = 'null is the same as leaving it out here; remove it';
  const nullValue = (path: string, message = NULL_IS_UNSET, hint?: string) =>
    ({ rule: 'null-value', severity: 'warning', path, at: 'null', message, ...(hint ? { hint } : {}) });

  test('on a pointer, a map or a slice: nil, which clears an earlier value', () => {
    const text = '{"loadConcurrency":{"globalConfig":3},"loadConcurrency":null,"podLabels":null,"loadAffinity":null}';
    expect(decode(text).value).toEqual({});
    expect(problems(text)).toEqual([
      duplicate('loadConcurrency', 'loadConcurrency', 'null clears the earlier value'),
      nullValue('loadConcurrency'),
      nullValue('podLabels'),
      nullValue('loadAffinity'),
    ]);
  });

  test('on a string, a bool, an int or a struct value: ignored, the earlier value stays', () => {
    const text = '{"priorityClassName":"a","priorityClassName":null,"privilegedFsBackup":null,"loadConcurrency":{"perNodeConfig":[{"nodeSelector":null,"number":null}]}}';
    expect(decode(text).value).toEqual({ priorityClassName: 'a', loadConcurrency: { perNodeConfig: [{}] } });
    expect(problems(text)).toEqual([
      duplicate('priorityClassName', 'priorityClassName', 'null is ignored here, the earlier value stays'),
      nullValue('priorityClassName'),
      nullValue('privilegedFsBackup'),
      nullValue('loadConcurrency.perNodeConfig[0].nodeSelector'),
      nullValue('loadConcurrency.perNodeConfig[0].number'),
    ]);
  });

  test('as a map entry: the zero value is stored under the key', () => {
    const text = '{"podLabels":{"a":null},"backupPVC":{"gp3":null}}';
    expect(decode(text).value).toEqual({ podLabels: { a: '' }, backupPVC: { gp3: {} } });
    expect(problems(text)).toEqual([
      nullValue('podLabels.a', 'null stores "" under "a"', 'write the value, or remove the entry'),
      nullValue('backupPVC.gp3', 'null stores {} (an empty object) under "gp3"', 'write the value, or remove the entry'),
    ]);
  });

  test('as an element: an empty struct element; a nil element in a slice of pointers, left to the schema', () => {
    const text = '{"loadConcurrency":{"perNodeConfig":[null,{"number":1}]},"loadAffinity":[null]}';
    expect(decode(text).value).toEqual({ loadConcurrency: { perNodeConfig: [{}, { number: 1n }] }, loadAffinity: [null] });
    expect(problems(text)).toEqual([
      nullValue('loadConcurrency.perNodeConfig[0]', 'null leaves this element {} (an empty object)', 'write the element, or remove it'),
    ]);
  });

  test('the whole value null: an empty configuration', () => {
    expect(decode('null').value).toEqual({});
    expect(problems('null')).toEqual([nullValue('', 'the whole value is null: Go decodes nothing from it, as from {}')]);
  });
});

describe('key matching: exact, else case-insensitive with Unicode simple folding', () => {
  const folded = (path: string, key: string, canonical: string) => ({
    rule: 'case-insensitive-key', severity: 'warning', path, at: `"${key}"`,
    message: `"${key}" works only because Velero matches keys case-insensitively`, hint: `write "${canonical}"`,
  });

  test('BackupPVC sets backupPVC; class names (map keys) are exact', () => {
    const text = '{"BackupPVC":{"GP3":{"READONLY":true}}}';
    expect(decode(text).value).toEqual({ backupPVC: { GP3: { readOnly: true } } });
    expect(problems(text)).toEqual([folded('BackupPVC', 'BackupPVC', 'backupPVC'), folded('backupPVC.GP3.READONLY', 'READONLY', 'readOnly')]);
  });

  test('U+017F LONG S matches s, U+212A KELVIN SIGN matches k', () => {
    const text = '{"bac\u212aupPVC":{"gp3":{"\u017ftorageClass":"fast"}},"cachePVC":{"re\u017fidentThre\u017fholdInMB":7}}';
    expect(decode(text).value).toEqual({ backupPVC: { gp3: { storageClass: 'fast' } }, cachePVC: { residentThresholdInMB: 7n } });
    expect(problems(text)).toEqual([
      folded('["bac\u212aupPVC"]', 'bac\u212aupPVC', 'backupPVC'),
      folded('backupPVC.gp3["\u017ftorageClass"]', '\u017ftorageClass', 'storageClass'),
      folded('cachePVC["re\u017fidentThre\u017fholdInMB"]', 're\u017fidentThre\u017fholdInMB', 'residentThresholdInMB'),
    ]);
  });

  test('other look-alikes do not match: dotless i, full-width letters', () => {
    const text = '{"pr\u0131orityClassName":"a","\uff50odLabels":{}}';
    expect(decode(text).value).toEqual({});
    expect(problems(text).map((p) => [p.rule, p.path, p.message])).toEqual([
      ['schema', '["pr\u0131orityClassName"]', 'unknown key "pr\u0131orityClassName"'],
      ['schema', '["\uff50odLabels"]', 'unknown key "\uff50odLabels"'],
    ]);
  });

  test('both spellings present: each sets the one field, in order; the exact one does not outrank a later folded one', () => {
    expect(decode('{"backupPVC":{"gp3":{"readOnly":true,"ReadOnly":false}}}').value).toEqual({ backupPVC: { gp3: { readOnly: false } } });
    expect(decode('{"backupPVC":{"gp3":{"ReadOnly":false,"readOnly":true}}}').value).toEqual({ backupPVC: { gp3: { readOnly: true } } });
    const text = '{"loadConcurrency":{"globalConfig":1},"LOADCONCURRENCY":{"prepareQueueLength":4}}';
    expect(decode(text).value).toEqual({ loadConcurrency: { globalConfig: 1n, prepareQueueLength: 4n } });
    expect(problems(text)).toEqual([
      folded('LOADCONCURRENCY', 'LOADCONCURRENCY', 'loadConcurrency'),
      duplicate('LOADCONCURRENCY', 'LOADCONCURRENCY', "merged into the earlier object (a field set in both takes this copy's value)"),
    ]);
  });
});

describe('unknown keys: Go skips them; the lint says so', () => {
  const PROTO_HINT_TOP = 'expected one of: loadConcurrency, loadAffinity, backupPVC, podResources, restorePVC, priorityClassName, privilegedFsBackup, cachePVC, podLabels, podAnnotations';

  test('__proto__ at the top level and nested is an unknown key and touches nothing', () => {
    const text = '{"__proto__":{"polluted":true},"loadConcurrency":{"__proto__":{"globalConfig":5},"constructor":1,"globalConfig":2}}';
    const { value } = decode(text);
    expect(value).toEqual({ loadConcurrency: { globalConfig: 2n } });
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems(text)).toEqual([
      { rule: 'schema', severity: 'error', path: '__proto__', at: '"__proto__"', message: 'unknown key "__proto__"', hint: PROTO_HINT_TOP },
      { rule: 'schema', severity: 'error', path: 'loadConcurrency.__proto__', at: '"__proto__"', message: 'unknown key "__proto__"', hint: 'expected one of: globalConfig, perNodeConfig, prepareQueueLength' },
      { rule: 'schema', severity: 'error', path: 'loadConcurrency.constructor', at: '"constructor"', message: 'unknown key "constructor"', hint: 'expected one of: globalConfig, perNodeConfig, prepareQueueLength' },
    ]);
  });

  test('__proto__ as a map key is an ordinary entry', () => {
    const { value, problems: found } = decode('{"podLabels":{"__proto__":"x"}}');
    expect(found).toEqual([]);
    const labels = (value as { podLabels: Record<string, string> }).podLabels;
    expect(Object.getPrototypeOf(labels)).toBeNull();
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(labels['__proto__']).toBe('x');
  });

  test('a typo gets a did-you-mean hint; a misplaced key the right form', () => {
    expect(problems('{"loadConcurency":{},"prepareQueueLength":1}')).toEqual([
      { rule: 'schema', severity: 'error', path: 'loadConcurency', at: '"loadConcurency"', message: 'unknown key "loadConcurency"', hint: 'did you mean "loadConcurrency"?' },
      {
        rule: 'schema', severity: 'error', path: 'prepareQueueLength', at: '"prepareQueueLength"', message: 'unknown key "prepareQueueLength"',
        hint: 'prepareQueueLength belongs under loadConcurrency: {"loadConcurrency": {"prepareQueueLength": 10}}',
      },
    ]);
  });

  test('a field the Velero release does not have yet is skipped as Go skips it: no decode error inside', () => {
    expect(problems('{"cachePVC":{"storageClass":5}}', '1.17.2')).toEqual([
      {
        rule: 'velero-version', severity: 'error', path: 'cachePVC', at: '"cachePVC"',
        message: '"cachePVC" was introduced in Velero 1.18.0; checked against Velero 1.17.2',
        hint: 'Velero 1.17.2 ignores it: remove "cachePVC", or upgrade Velero to 1.18.0 or later',
      },
    ]);
    expect(decode('{"cachePVC":{"storageClass":5}}', '1.17.2').value).toEqual({});
  });
});

describe('syntax: checked whole first, nothing decoded on an error', () => {
  const syntax = (text: string, at: number, message: string) => {
    const decoded = decode(text);
    expect(decoded.value).toBeUndefined();
    expect(decoded.problems).toEqual([
      { path: [], rule: 'json-syntax', severity: 'error', range: [at, at + 1], message: `invalid JSON: ${message}`, hint: `json.Unmarshal decodes nothing then: ${ON_ERROR}` },
    ]);
  };

  test('a raw tab in a string', () => syntax('{"priorityClassName":"a\tb"}', 23, "invalid character '\\t' in string literal: write a tab as \\t"));
  test('another raw control character', () => syntax('{"priorityClassName":"a\u0001"}', 23, "invalid character '\\x01' in string literal: write control characters as \\u escapes"));
  test('a trailing comma, at the comma', () =>
    syntax('{"podLabels":{"a":"b",}}', 21, "trailing comma before '}': JSON allows none (Go: invalid character '}' looking for beginning of object key string)"));
  test('a trailing comma in a list', () => syntax('{"loadAffinity":[{}, ]}', 19, "trailing comma before ']': JSON allows none (Go: invalid character ']' looking for beginning of value)"));
  test('a comment', () => syntax('// tuning\n{}', 0, "invalid character '/' looking for beginning of value: JSON has no comments"));
  test('single quotes', () => syntax("{'podLabels':{}}", 1, "invalid character '\\'' looking for beginning of object key string: JSON strings take double quotes"));
  test('a leading zero', () => syntax('{"loadConcurrency":{"globalConfig":01}}', 36, "invalid character '1' after object key:value pair: JSON numbers have no leading zeros"));
  test('NaN', () => syntax('{"loadConcurrency":{"globalConfig":NaN}}', 35, "invalid character 'N' looking for beginning of value: NaN and Infinity are not JSON numbers"));
  test('a byte order mark', () => syntax('\ufeff{}', 0, "invalid character '\\ufeff' looking for beginning of value: remove the byte order mark"));
  test('two values', () => syntax('{}{}', 2, "invalid character '{' after top-level value"));
  test('unquoted keys', () => syntax('{podLabels: {}}', 1, "invalid character 'p' looking for beginning of object key string"));
  test('a missing comma', () => syntax('{"a": 1 "b": 2}', 8, 'invalid character \'"\' after object key:value pair'));
  test('the end of the input', () => syntax('{"podLabels":', 13, 'unexpected end of JSON input'));
  test('nothing at all', () => syntax('', 0, 'unexpected end of JSON input'));
  test('whitespace Go allows around the value: space, tab, newline, carriage return', () => {
    expect(decode(' \t\r\n{}\n ').problems).toEqual([]);
  });
});

describe('nesting', () => {
  test(`deeper than 512 levels: one finding, nothing decoded`, () => {
    const text = '{"podLabels":' + '['.repeat(600) + ']'.repeat(600) + '}';
    expect(problems(text)).toEqual([
      {
        rule: 'nesting-depth', severity: 'error', path: '', at: '[',
        message: 'the JSON nests deeper than 512 levels here: not decoded',
        hint: 'nothing in the node-agent configuration nests more than 7 levels: look for a runaway [ or {',
      },
    ]);
    expect(decode(text).problems[0].range[0]).toBe('{"podLabels":'.length + 511);
  });

  test('deeper than Go allows (10000): a syntax error, and no stack overflow at 200000', () => {
    const text = '['.repeat(200000) + ']'.repeat(200000);
    expect(problems(text).map((p) => [p.rule, p.message])).toEqual([['json-syntax', "invalid JSON: invalid character '[' exceeded max depth"]]);
  });
});

describe('sourceOf: where the effective value was set', () => {
  const text = '{"loadConcurrency":{"globalConfig":1,"perNodeConfig":[{"number":2}]},"LoadConcurrency":{"globalConfig":3}}';
  const at = (path: (string | number)[], atKey = false) => {
    const [start, end] = decode(text).sourceOf(path, atKey);
    return text.slice(start, end);
  };

  test('a value set twice: the last setter', () => expect(at(['loadConcurrency', 'globalConfig'])).toBe('3'));
  test('its key, as written', () => expect(at(['loadConcurrency'], true)).toBe('"LoadConcurrency"'));
  test('a value the earlier copy set', () => expect(at(['loadConcurrency', 'perNodeConfig', 0, 'number'])).toBe('2'));
  test('a path Go never set: the deepest set ancestor', () => expect(at(['loadConcurrency', 'perNodeConfig', 0, 'nodeSelector'])).toBe('{"number":2}'));
  test('the root', () => expect(at([])).toBe(text));
});
