import { Tree, TreeBuffer } from '@lezer/common';
import { parser } from './grammar/parser.js';
import type { ParsedPython, PythonSyntaxError } from './parse';

/**
 * A parse result as plain data, for postMessage: a lezer Tree holds class instances (node types, node sets) that
 * structured clone drops. The tree's exact shape is kept (same children, positions and buffers), so the rebuilt
 * tree is the one the parser made, not a re-balanced copy.
 */
export interface PlainParse {
  /** The text parsed, only when it differs from the text given (brackets nested too deep were blanked). */
  text?: string;
  tree?: PlainTree;
  errors: PythonSyntaxError[];
}

type PlainNode = PlainTree | PlainBuffer;
interface PlainTree {
  t: number;
  c: PlainNode[];
  p: readonly number[];
  l: number;
}
interface PlainBuffer {
  b: Uint16Array | Uint32Array;
  l: number;
}

function plainTree(tree: Tree): PlainTree {
  return { t: tree.type.id, c: tree.children.map((c) => (c instanceof TreeBuffer ? { b: c.buffer, l: c.length } : plainTree(c as Tree))), p: tree.positions, l: tree.length };
}

function fromPlain(n: PlainTree): Tree {
  const types = parser.nodeSet.types;
  const children = n.c.map((c) => ('b' in c ? new TreeBuffer(c.b as Uint16Array, c.l, parser.nodeSet) : fromPlain(c)));
  return new Tree(types[n.t], children, n.p, n.l);
}

export function toPlain(original: string, parsed: ParsedPython): PlainParse {
  return { text: parsed.text === original ? undefined : parsed.text, tree: parsed.tree && plainTree(parsed.tree), errors: parsed.errors };
}

export function fromPlainParse(original: string, plain: PlainParse): ParsedPython {
  return { text: plain.text ?? original, tree: plain.tree && fromPlain(plain.tree), errors: plain.errors };
}
