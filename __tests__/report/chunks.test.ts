import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinChunks, jsonChunks, materialize, streamed } from '../../src/report/chunks';
import { formatJson, jsonReportChunks, toJsonReport } from '../../src/report/json';
import { formatSarif, sarifChunks, toSarif } from '../../src/report/sarif';
import { conciseChunks, formatConcise, formatText, textChunks } from '../../src/report/text';
import type { Finding, ScanResult } from '../../src/types';
import { writeChunksSync } from '../../src/util/write-chunks';
import { finding, result } from './fixtures';
import GOLDEN from './text-golden.json';

/** Findings, suppressed findings and skipped files with every branch the report writers take. */
function sample(): ScanResult {
  const related = Array.from({ length: 7 }, (_, i) => ({ path: `deploy/site${i}.conf`, line: i + 1, ...(i % 2 ? { column: i } : {}), ...(i % 3 ? { message: `nginx/hsts-missing: [no] HSTS ${i}` } : {}) }));
  const findings: Finding[] = [
    finding({ path: 'app/settings.py', line: 3, related, hint: 'Set it.\x1b[31m red', message: 'line one\n::error::forged' }),
    finding({ path: 'app/settings.py', line: 9, endLine: 12, severity: 'high', ruleId: 'django/hsts-off' }),
    finding({ path: '::odd/site.conf', line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'low', ruleId: 'custom/rule', docsUrl: '' }),
    finding({ path: 'deploy/b y#%.conf', line: 4, severity: 'info', message: 'é ✓ \u2028 \u202e', hint: '' }),
  ];
  const suppressedFindings: Finding[] = [
    finding({ path: 'app/prod.py', line: 2, suppression: { path: 'app/prod.py', line: 1, reason: 'accepted [risk]' } }),
    finding({ path: 'app/prod.py', line: 5, suppression: { path: 'app/prod.py', line: 5 }, related: related.slice(0, 2) }),
  ];
  return result(findings, {
    files: [
      { path: 'app/settings.py', kind: 'django-settings', role: 'production' },
      { path: 'deploy/b y#%.conf', kind: 'nginx' },
    ],
    skipped: Array.from({ length: 12 }, (_, i) => ({ path: i === 0 ? '  ::spaced' : `big/${i}.py`, reason: i === 1 ? 'too\nlarge' : 'template' })),
    suppressedFindings,
  });
}

const TEXT_OPTIONS = [{}, { color: true }, { quiet: true }, { maxSkippedListed: 3 }, { color: true, quiet: true }];

describe('jsonChunks', () => {
  it('writes what JSON.stringify(value, null, 2) writes, Streamed arrays read as arrays', () => {
    const values: unknown[] = [
      { a: streamed(() => [1, 'two\nlines', { b: [], c: {}, d: undefined, e: [undefined, () => 1] }, undefined, null]), z: 'é\u2028' },
      { empty: streamed(() => []), nested: [{ deeper: streamed(() => [[1, [2, { x: 3 }]]]) }, 5, undefined], skip: undefined, f: () => 1 },
      [streamed(() => ['x']), streamed(function* () {
        yield { k: 1 };
        yield { k: 2 };
      })],
      { onlyStreamed: streamed(() => [{}, []]) },
      { plain: { not: ['streamed'] }, n: NaN, when: new Date(0) },
      'top',
      [],
    ];
    for (const v of values) {
      const chunks = [...jsonChunks(v)];
      expect(chunks.join('')).toBe(JSON.stringify(materialize(v), null, 2));
    }
  });

  it('makes a Streamed element only when it is written, and again on every pass', () => {
    let made = 0;
    const list = streamed(function* () {
      for (let i = 0; i < 3; i++) {
        made++;
        yield { i };
      }
    });
    // At most one element ahead of what was written.
    let written = '';
    for (const c of jsonChunks({ list })) {
      expect(made).toBeLessThanOrEqual((written.match(/"i"/g)?.length ?? 0) + 1);
      written += c;
    }
    expect(made).toBe(3);
    expect(joinChunks(jsonChunks({ list }))).toBe(joinChunks(jsonChunks({ list })));
  });
});

describe('reports in chunks', () => {
  it('JSON: the chunks make the one-string report of the same object', () => {
    for (const r of [sample(), result([]), result([finding()], { suppressedFindings: [] })]) {
      const joined = [...jsonReportChunks(r)].join('');
      expect(joined).toBe(`${JSON.stringify(toJsonReport(r), null, 2)}\n`);
      expect(formatJson(r)).toBe(joined);
    }
    expect(toJsonReport(sample()).suppressedFindings?.map((f) => f.line)).toEqual([2, 5]);
  });

  it('SARIF: the chunks make the one-string log, rule variants and fingerprint ranks included', () => {
    const dup = sample();
    dup.findings.push({ ...dup.findings[0], line: 30 });
    for (const r of [sample(), dup, result([])]) {
      const options = { root: '/repo', severityOverrides: { 'parse/error': 'low' as const } };
      const joined = [...sarifChunks(r, options)].join('');
      expect(joined).toBe(`${JSON.stringify(toSarif(r, options), null, 2)}\n`);
      expect(formatSarif(r, options)).toBe(joined);
    }
    const log = toSarif(dup);
    const ids = log.runs[0].tool.driver.rules!.map((d) => d.id);
    for (const res of log.runs[0].results!) expect(ids[res.ruleIndex!]).toBe(res.ruleId);
    expect(log.runs[0].results!.map((x) => x.partialFingerprints!['httpsGuard/v1'].split(':')[1])).toContain('2');
  });

  it('text and concise: the same bytes as the one-string writers they replace (recorded in text-golden.json)', () => {
    const golden = GOLDEN as Record<string, string>;
    for (const [i, o] of TEXT_OPTIONS.entries()) {
      expect(formatText(sample(), o)).toBe(golden[`text${i}`]);
      expect(formatConcise(sample(), o)).toBe(golden[`concise${i}`]);
      expect(formatText(result([]), o)).toBe(golden[`emptytext${i}`]);
      expect(formatConcise(result([]), o)).toBe(golden[`emptyconcise${i}`]);
      // One line per chunk.
      for (const c of [...textChunks(sample(), o), ...conciseChunks(sample(), o)]) expect(c).toMatch(/^[^\n]*\n$/);
    }
  });
});

describe('writeChunksSync', () => {
  const chunks = () => Array.from({ length: 5000 }, (_, i) => `chunk ${i} é✓\n`);

  it('writes the chunks in order to a file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hg-chunks-')), 'out');
    const fd = fs.openSync(file, 'w');
    try {
      expect(writeChunksSync(fd, chunks())).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(chunks().join(''));
  });

  it('takes partial writes and EAGAIN (a non-blocking pipe) in its stride', () => {
    const got: Buffer[] = [];
    let calls = 0;
    const write = (_fd: number, buf: Uint8Array, off: number, len: number) => {
      calls++;
      if (calls % 3 === 0) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      const n = Math.min(len, 1000);
      got.push(Buffer.from(buf.subarray(off, off + n)));
      return n;
    };
    expect(writeChunksSync(1, chunks(), write)).toBe(true);
    expect(Buffer.concat(got).toString('utf8')).toBe(chunks().join(''));
  });

  it('stops at EPIPE (the reader left) without making the rest, and throws other errors', () => {
    let made = 0;
    function* lazy() {
      for (let i = 0; i < 100_000; i++) {
        made++;
        yield 'x'.repeat(100);
      }
    }
    const epipe = () => {
      throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    };
    expect(writeChunksSync(1, lazy(), epipe)).toBe(false);
    expect(made).toBeLessThan(1000);
    const eio = () => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    };
    expect(() => writeChunksSync(1, ['a'], eio)).toThrow('EIO');
  });
});
