import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github';
import { formatGitlab, toGitlab } from '../../src/report/gitlab';
import { escapeXml, formatJunit } from '../../src/report/junit';
import { finding, result } from './fixtures';

/** What the Actions runner does with a log line (ActionCommand.TryParseV2): command, properties, unescaped data. */
function runnerParse(line: string): { command: string; props: Record<string, string>; data: string } | undefined {
  if (!line.startsWith('::')) return undefined;
  const end = line.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  const props: Record<string, string> = {};
  const unescape = (s: string, pairs: [string, string][]) => pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  const DATA: [string, string][] = [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']];
  const PROP: [string, string][] = [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']];
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), PROP);
    }
  }
  return { command, props, data: unescape(line.slice(end + 2), DATA) };
}

const HOSTILE_PATH = 'a,line=999::x/%0A\r\n::error::y.py';
const HOSTILE_MESSAGE = 'value 100%25 "\n::error file=z::forged\r\nend" :,';

describe('--format github', () => {
  it('escapes as the runner unescapes: %, CR and LF in data; also : and , in properties', () => {
    expect(escapeData('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac:d,e');
    expect(escapeProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
  });

  it('one command per finding; every value comes back exactly, nothing else is a command', () => {
    const findings = [
      finding({ path: HOSTILE_PATH, message: HOSTILE_MESSAGE, hint: 'h%', severity: 'high', line: 4, column: 2, endLine: 4, endColumn: 9 }),
      finding({ severity: 'medium', line: 3, endLine: 5 }),
      finding({ severity: 'low' }),
      finding({ severity: 'info', docsUrl: '' }),
    ];
    const lines = formatGithub(result(findings)).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toHaveLength(4);
    const parsed = lines.slice(0, -1).map(runnerParse);
    expect(parsed.map((p) => p?.command)).toEqual(['error', 'warning', 'notice', 'notice']);
    expect(parsed[0]!.props).toEqual({ file: HOSTILE_PATH, line: '4', endLine: '4', col: '2', endColumn: '9', title: 'HTTPS Guard parse/error (high)' });
    expect(parsed[0]!.data).toBe(`${HOSTILE_MESSAGE}\nh%\n${findings[0].docsUrl}`);
    // Columns only for a one-line range, as the runner wants.
    expect(parsed[1]!.props).toMatchObject({ line: '3', endLine: '5' });
    expect(parsed[1]!.props.col).toBeUndefined();
    expect(parsed[3]!.data).toBe(`${findings[3].message}\n${findings[3].hint}`);
    expect(formatGithub(result([]))).toBe('');
  });
});

describe('--format gitlab', () => {
  it('is a Code Quality report: description, check_name, fingerprint, severity, location.path and lines.begin', () => {
    const report = JSON.parse(formatGitlab(result([finding({ severity: 'high', line: 7, endLine: 9 }), finding({ ruleId: 'django/hsts-off', severity: 'medium' }), finding({ severity: 'low' }), finding({ severity: 'info' })])));
    expect(report[0]).toEqual({
      description: 'SECURE_SSL_REDIRECT is False Set SECURE_SSL_REDIRECT = True.',
      check_name: 'parse/error',
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      severity: 'critical',
      location: { path: 'app/settings.py', lines: { begin: 7, end: 9 } },
    });
    expect(report.map((i: { severity: string }) => i.severity)).toEqual(['critical', 'major', 'minor', 'info']);
  });

  it('fingerprints survive a line move and tell identical findings apart', () => {
    const a = finding({ line: 3 });
    const moved = toGitlab(result([{ ...a, line: 40, endLine: 40 }]))[0].fingerprint;
    expect(toGitlab(result([a]))[0].fingerprint).toBe(moved);
    const twice = toGitlab(result([a, { ...a, line: 9 }]));
    expect(twice[0].fingerprint).not.toBe(twice[1].fingerprint);
    expect(toGitlab(result([finding({ message: 'other' })]))[0].fingerprint).not.toBe(moved);
  });
});

/** Parses with expat (Debian's Python): well-formedness as a real XML parser sees it, and the values it reads. */
function expat(xml: string): unknown {
  const script = [
    'import json, sys, xml.etree.ElementTree as E',
    'root = E.fromstring(sys.stdin.buffer.read())',
    'print(json.dumps([{"tag": e.tag, "attrib": e.attrib, "text": e.text} for e in root.iter()]))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('--format junit', () => {
  const evil = finding({ path: 'a&b<c>"d\'.py', message: 'x\x1b[2J \ud800 y\u0000 ]]> </failure><x>', hint: 'h\tt\r\nu', severity: 'high' });
  const xml = formatJunit(result([evil, finding({ path: 'app/settings.py', line: 9 })]));

  it('is well-formed XML, whatever the repository puts in paths and messages', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it.skipIf(!fs.existsSync('/usr/bin/python3'))('reads back, through expat, as one suite per file and one failure per finding', () => {
    const nodes = expat(xml) as { tag: string; attrib: Record<string, string>; text: string | null }[];
    const suites = nodes.filter((n) => n.tag === 'testsuite');
    expect(suites.map((s) => s.attrib.name)).toEqual(['a&b<c>"d\'.py', 'app/settings.py', 'app/wsgi.py']);
    expect(suites.map((s) => [s.attrib.tests, s.attrib.failures])).toEqual([['1', '1'], ['1', '1'], ['1', '0']]);
    const failures = nodes.filter((n) => n.tag === 'failure');
    expect(failures).toHaveLength(2);
    expect(failures[0].attrib.message).toBe('x\\x1b[2J \\ud800 y\\x00 ]]> </failure><x>');
    expect(failures[0].text).toContain('hint: h\tt\r\nu');
    expect(nodes.find((n) => n.tag === 'testsuites')!.attrib).toMatchObject({ tests: '3', failures: '2' });
  });

  it('escapes markup, keeps line breaks in attributes, and shows what XML 1.0 cannot hold', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeXml('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d');
    expect(escapeXml('\u0001\uffff\udc00😀')).toBe('\\x01\\uffff\\udc00😀');
  });
});
