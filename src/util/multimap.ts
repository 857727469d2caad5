/** Appends to the list under `key` in place: copying the list on every add is quadratic on large inputs. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
