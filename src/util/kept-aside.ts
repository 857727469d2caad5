// Names that mark a file or folder as a copy kept aside rather than what runs: shared by the file roles and by
// nginx include expansion.

/** A copy kept aside: `settings_old.py`, `nginx.conf.bak`, `backup/`. Not what runs; judged as an example. */
export const STALE = new Set(['old', 'bak', 'backup', 'backups', 'orig', 'obsolete', 'deprecated', 'unused', 'archive', 'archived']);

/**
 * A date as backups and snapshots are named: `20201222`, `201222` (YYMMDD), `2020-12-22`, `2020_12_22`. A folder or a
 * file name's last word so named is a copy taken that day (stringkeepeer's `sites-enabled/201222/`).
 */
export function isDateName(s: string): boolean {
  const m = /^(\d{2}|\d{4})[-_]?(\d{2})[-_]?(\d{2})$/.exec(s);
  if (!m) return false;
  if (m[1].length === 4 && !/^(19|20)/.test(m[1])) return false;
  // Separators only between all three parts, or none.
  if (/[-_]/.test(s) && !/^\d+[-_]\d{2}[-_]\d{2}$/.test(s)) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** A folder name that marks a copy kept aside (`backup/`, `old/`, `201222/`). */
export function keptAsideFolder(name: string): boolean {
  return STALE.has(name.toLowerCase()) || isDateName(name);
}
