import { describe, expect, it } from 'vitest';
import { findEnvironWrites } from '../../src/model/python/environ-writes';
import { parsePython } from '../../src/parsers/python/parse';
import { SourceText } from '../../src/parsers/source';

const writes = (text: string) => findEnvironWrites(parsePython(text).tree!, new SourceText('wsgi.py', text)).filter((w) => w.key === 'wsgi.url_scheme');

describe('the request headers a wsgi.url_scheme write depends on', () => {
  it('through a local name, through the if around it, and through an earlier elif test', () => {
    const [copy] = writes('def application(environ, start):\n    scheme = environ.get("HTTP_X_SCHEME", "")\n    if scheme:\n        environ["wsgi.url_scheme"] = scheme\n');
    expect(copy.headers).toEqual(['HTTP_X_SCHEME']);
    const [gate] = writes('def app(env, sr):\n    if env["HTTP_X_FORWARDED_SSL"] == "on":\n        pass\n    elif env.get("HTTPS") == "on":\n        env["wsgi.url_scheme"] = "https"\n');
    expect(gate.headers).toEqual(['HTTP_X_FORWARDED_SSL']);
  });

  it('not for server variables, other objects, or a literal written on every request', () => {
    expect(writes('def app(environ, sr):\n    if environ.get("HTTPS") == "on":\n        environ["wsgi.url_scheme"] = "https"\n')[0].headers).toEqual([]);
    expect(writes('def app(environ, sr):\n    h = other.get("HTTP_X_SCHEME")\n    environ["wsgi.url_scheme"] = h\n')[0].headers).toEqual([]);
    expect(writes('def app(environ, sr):\n    environ["wsgi.url_scheme"] = "https"\n')[0].headers).toEqual([]);
  });
});
