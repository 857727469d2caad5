import type { Finding, ScanResult } from '../types';
import { describeCounts, countBySeverity } from './common';

/**
 * Text safe in XML 1.0 element content and attribute values: the five markup characters as entities, line breaks
 * and tabs as character references (attribute normalisation would turn them into spaces), and characters XML 1.0
 * forbids (other C0 controls, lone surrogates, U+FFFE/U+FFFF) shown as `\xNN` / `\uNNNN` text.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function testcase(f: Finding): string {
  const name = `${f.ruleId} at line ${f.line}`;
  const body = [`${f.severity}: ${f.message}`, `hint: ${f.hint}`, ...(f.docsUrl ? [`docs: ${f.docsUrl}`] : []), `at ${f.path}:${f.line}:${f.column}`].join('\n');
  return (
    `    <testcase classname="${escapeXml(f.path)}" name="${escapeXml(name)}" file="${escapeXml(f.path)}" line="${f.line}">\n` +
    `      <failure type="${escapeXml(f.ruleId)}" message="${escapeXml(f.message)}">${escapeXml(body)}</failure>\n` +
    `    </testcase>\n`
  );
}

/**
 * `--format junit`: one test suite per file checked (and per file with findings), one failing test case per
 * finding; a checked file without findings has one passing case, so the report lists what was checked.
 */
export function formatJunit(result: ScanResult): string {
  const byPath = new Map<string, Finding[]>();
  for (const f of result.files) byPath.set(f.path, []);
  for (const f of result.findings) (byPath.get(f.path) ?? byPath.set(f.path, []).get(f.path)!).push(f);
  const paths = [...byPath.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let tests = 0;
  let suites = '';
  for (const p of paths) {
    const findings = byPath.get(p)!;
    const cases = findings.length ? findings.map(testcase).join('') : `    <testcase classname="${escapeXml(p)}" name="HTTPS Guard" file="${escapeXml(p)}"/>\n`;
    const n = Math.max(1, findings.length);
    tests += n;
    suites += `  <testsuite name="${escapeXml(p)}" tests="${n}" failures="${findings.length}" errors="0" skipped="0">\n${cases}  </testsuite>\n`;
  }
  const summary = escapeXml(describeCounts(countBySeverity(result.findings)));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="HTTPS Guard" tests="${tests}" failures="${result.findings.length}" errors="0">\n` +
    `  <!-- ${summary.replace(/--/g, '- -')} -->\n` +
    suites +
    '</testsuites>\n'
  );
}
