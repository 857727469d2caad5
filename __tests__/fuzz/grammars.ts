import fc from 'fast-check';
import { grammar, lines } from './harness';

// Python tokens, shared by the Python parser, gunicorn config and whole-scan fuzz tests.
const PY_TOKENS = [
  'import os', 'from x import *', 'from . import y', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'DEBUG', 'bind',
  'forwarded_allow_ips', 'secure_scheme_headers', 'os.environ', 'os.environ.get(', 'os.environ.setdefault(', 'os.getenv(',
  '"DJANGO_SETTINGS_MODULE"', "'proj.settings'", 'get_wsgi_application()', 'application', ' = ', '=', '+=', ':', ',',
  '(', ')', '[', ']', '{', '}', 'True', 'False', 'None', '31536000', '0x1F', '1_000', '1e9', '.5', 'if', 'else', 'elif',
  'def f():', 'class C:', 'return', 'lambda', 'for', 'in', 'not', 'and', 'or', '"', "'", '"""', "'''", 'f"', "rb'", 'u"',
  '\\', '#', '    ', '\t', '\n', '@decorator', 'async', 'await', 'yield', '*', '**', '{x}', '...', ';', 'print(', 'x',
];
export const PY_TEXT = fc.oneof(grammar(PY_TOKENS, 60), lines(PY_TOKENS, 16, 8));
