/** Longest prefix compared: a hostile key or id cannot make a suggestion quadratic in its length. */
const CLIP = 80;

/** Levenshtein distance of the first CLIP characters of each string, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  a = a.slice(0, CLIP);
  b = b.slice(0, CLIP);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
