import { describe, expect, it } from 'vitest';
import { focusFilter } from '../../src/engine/focus';

describe('focusFilter', () => {
  it('keeps the paths given and what lies under them, nothing that merely shares a prefix', () => {
    const keep = focusFilter(['a/settings.py', 'deploy', 'x/y']);
    expect(['a/settings.py', 'deploy/nginx.conf', 'deploy/a/b/c.conf', 'x/y', 'x/y/z.py'].filter(keep)).toHaveLength(5);
    expect(['a/settings.pyc', 'a/settings.py.bak', 'deploy2/nginx.conf', 'deployment', 'x/yz/a.py', 'x', 'a', ''].filter(keep)).toEqual([]);
    expect(focusFilter([''])('anything/at/all')).toBe(true);
    expect(focusFilter([])('a')).toBe(false);
  });

  it('checks a path against many focus paths in time bounded by its depth', () => {
    const many = Array.from({ length: 20000 }, (_, i) => `dir${i}/settings.py`);
    const keep = focusFilter(many);
    const probes = Array.from({ length: 20000 }, (_, i) => `dir${i}/settings.py`);
    expect(probes.every(keep)).toBe(true);
    expect(keep('dir20000/settings.py')).toBe(false);
  });
});
