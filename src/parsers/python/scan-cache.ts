import { parsePython, type ParsedPython } from './parse';

/**
 * One parse per Python text for the length of a scan. Several readers take the same file apart: the template check
 * while loading, the deploy model (wsgi.py, manage.py, gunicorn.conf.py, each gunicorn reference), the shared
 * evaluator, and an evaluator per deployment environment. Keyed by text: the parse depends on nothing else, and
 * identical files share it. Callers must not change what they get (the tree is immutable; the errors are shared).
 */
let scanParses: Map<string, ParsedPython> | undefined;

/** Runs a scan with its own cache, dropped when it returns so no tree outlives the scan. */
export function withPythonParseCache<T>(fn: () => T): T {
  const before = scanParses;
  scanParses = new Map();
  try {
    return fn();
  } finally {
    scanParses = before;
  }
}

/** parsePython, once per text within withPythonParseCache; outside one, a fresh parse as before. */
export function parsePythonOnce(text: string): ParsedPython {
  if (!scanParses) return parsePython(text);
  let parsed = scanParses.get(text);
  if (!parsed) scanParses.set(text, (parsed = parsePython(text)));
  return parsed;
}
