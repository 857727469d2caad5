import type { Finding } from '../types';
import type { ChangeSet, FilterMode } from './changes';
import type { ChangedLines } from './diff';

export interface Filtered {
  /** The findings the run reports and judges fail-on by. */
  reported: Finding[];
  notes: string[];
}

const LISTED = 5;

function touches(f: Finding, lines: Set<number>): boolean {
  for (let l = f.line; l <= Math.max(f.line, f.endLine); l++) if (lines.has(l)) return true;
  return false;
}

function listNames(paths: string[]): string {
  const shown = paths.slice(0, LISTED).join(', ');
  return paths.length > LISTED ? `${shown} and ${paths.length - LISTED} more` : shown;
}

/**
 * reviewdog's filter modes over the findings of the whole workspace. A finding spanning several lines counts as
 * on the diff when any of its lines is. A file whose diff is unknown is judged as a whole (`file`), and said so.
 */
export function filterFindings(findings: readonly Finding[], changes: ChangeSet, mode: FilterMode): Filtered {
  if (mode === 'nofilter' || changes.scope === 'repository') return { reported: [...findings], notes: [] };
  const byLines = mode === 'added' || mode === 'diff_context';
  const pick = (l: ChangedLines) => (mode === 'added' ? l.added : l.inHunks);
  const wholeFiles = new Set<string>();
  const reported = findings.filter((f) => {
    if (!changes.files.has(f.path)) return false;
    const lines = changes.files.get(f.path);
    if (!byLines) return true;
    if (lines === undefined) {
      wholeFiles.add(f.path);
      return true;
    }
    return touches(f, pick(lines));
  });
  const notes = wholeFiles.size
    ? [`No diff is available for ${listNames([...wholeFiles].sort())} (binary or too large for the API): every finding in ${wholeFiles.size === 1 ? 'it' : 'them'} is reported, as with filter-mode file.`]
    : [];
  return { reported, notes };
}
