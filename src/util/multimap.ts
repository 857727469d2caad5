/** Appends to the list under `key` in place: copying the list on every add is quadratic on large inputs. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The answer under (`owner`, `key`), computed once: for questions asked again and again about the same objects. */
export function memo<O extends object, V>(cache: WeakMap<O, Map<string, V>>, owner: O, key: string, compute: () => V): V {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) as V;
  const v = compute();
  byKey.set(key, v);
  return v;
}
