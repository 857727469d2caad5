/**
 * Reports as a sequence of strings whose concatenation is the report, so that a large one is written piece by
 * piece instead of being built as one string (and, for JSON and SARIF, one object tree) first.
 */
export type Chunks = Iterable<string>;

/**
 * An array of a JSON report whose elements are made when written: each is serialised and dropped in turn. The
 * factory is called on every pass, so the elements may be made by a generator that keeps state.
 */
export class Streamed<T = unknown> {
  constructor(private readonly items: () => Iterable<T>) {}

  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }
}

export function streamed<T>(items: () => Iterable<T>): Streamed<T> {
  return new Streamed(items);
}

/**
 * The chunks of `JSON.stringify(value, null, 2)`, the same text, where `value` may hold Streamed arrays (they
 * read as plain arrays). Containers with a Streamed inside are written key by key; everything else, each element
 * of a Streamed included (it is not looked into), by JSON.stringify itself.
 */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  if (value instanceof Streamed) {
    let first = true;
    for (const item of value) {
      yield `${first ? '[' : ','}\n${indent}  `;
      first = false;
      yield leaf(omittable(item) ? null : item, `${indent}  `);
    }
    yield first ? '[]' : `\n${indent}]`;
  } else if (Array.isArray(value) && holdsStreamed(value)) {
    if (value.length === 0) return yield '[]';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${indent}  `;
      yield* jsonChunks(omittable(value[i]) ? null : value[i], `${indent}  `);
    }
    yield `\n${indent}]`;
  } else if (isObject(value) && holdsStreamed(value)) {
    let first = true;
    for (const [k, v] of Object.entries(value)) {
      if (omittable(v)) continue;
      yield `${first ? '{' : ','}\n${indent}  ${JSON.stringify(k)}: `;
      first = false;
      yield* jsonChunks(v, `${indent}  `);
    }
    yield first ? '{}' : `\n${indent}}`;
  } else yield leaf(value, indent);
}

function leaf(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  // A JSON text has no raw line break inside a string, so each one starts a line to indent.
  return indent && text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
}

/** JSON.stringify leaves such values out of objects and writes null for them in arrays. */
function omittable(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Whether a Streamed sits anywhere below: only the few containers of a report's frame are looked through. */
function holdsStreamed(v: unknown): boolean {
  if (v instanceof Streamed) return true;
  if (Array.isArray(v)) return v.some(holdsStreamed);
  if (isObject(v)) return Object.values(v).some(holdsStreamed);
  return false;
}

/** The plain value a frame with Streamed arrays stands for (tests and callers that want the object). */
export function materialize<T>(value: unknown): T {
  if (value instanceof Streamed) return [...value] as T;
  if (Array.isArray(value)) return (holdsStreamed(value) ? value.map((v) => materialize(v)) : value) as T;
  if (isObject(value) && holdsStreamed(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)])) as T;
  return value as T;
}

export function joinChunks(chunks: Chunks): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}
