import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** A regular expression written in our source: a literal, or `new RegExp(...)` / `RegExp(...)`. */
export interface SourceRegex {
  file: string;
  line: number;
  /** The pattern, or undefined when it is built at run time (then `expr` holds the code). */
  source?: string;
  flags: string;
  expr?: string;
}

function walkFiles(dir: string, out: string[]): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (/\.(ts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function staticString(n: ts.Node | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  return undefined;
}

/** Every regex in the .ts/.js files under `root` (by the TypeScript parser, so strings and comments never count). */
export function collectRegexes(root: string): SourceRegex[] {
  const out: SourceRegex[] = [];
  for (const file of walkFiles(root, []).sort()) {
    const rel = path.relative(path.dirname(root), file).split(path.sep).join('/');
    out.push(...collectRegexesIn(rel, fs.readFileSync(file, 'utf8')));
  }
  return out;
}

/** The regexes of one file's text (`rel` names it in the results). */
export function collectRegexesIn(rel: string, text: string): SourceRegex[] {
  const out: SourceRegex[] = [];
  {
    const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, rel.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (n: ts.Node) => {
      if (n.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = n.getText(sf);
        const slash = lit.lastIndexOf('/');
        out.push({ file: rel, line: lineOf(n), source: lit.slice(1, slash), flags: lit.slice(slash + 1) });
      } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
        const args = n.arguments ?? [];
        const source = staticString(args[0]);
        const flags = args.length > 1 ? staticString(args[1]) : '';
        if (source !== undefined && flags !== undefined) out.push({ file: rel, line: lineOf(n), source, flags });
        else out.push({ file: rel, line: lineOf(n), flags: flags ?? '', expr: n.getText(sf) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}
