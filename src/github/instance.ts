import { CHECK_NAME } from './check-run';
import { COMMENT_MARKER } from './comment';

/**
 * The `id` input tells apart several HTTPS Guard steps on one commit (a matrix, two `paths`): each keeps its own
 * comment, check run and summary heading. Empty is the single-step default, with the names it always had.
 */
export const MAX_ID_LENGTH = 40;
const ID = /^[A-Za-z0-9._-]+$/;

/**
 * The id ends up in an HTML comment, a check name and a Markdown heading, so only a plain name is taken. An id
 * outside that is refused, not rewritten: two rewritten ids could collide and fight over one comment.
 */
export function parseInstanceId(raw: string): { id: string } | { error: string } {
  const id = raw.trim();
  if (id === '') return { id: '' };
  if (id.length > MAX_ID_LENGTH) return { error: `input id must be at most ${MAX_ID_LENGTH} characters, got ${id.length}` };
  if (!ID.test(id)) {
    // Named by code point, not echoed: the value may come from an event (a branch name) and reach the log.
    const chars = [...id];
    const at = chars.findIndex((ch) => !ID.test(ch));
    const name = `U+${chars[at].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { error: `input id may hold only letters, digits, ".", "_" and "-" (e.g. "api" or "nginx-edge"); character ${at + 1} is ${name}` };
  }
  return { id };
}

/** The hidden first line that finds this step's comment again: the default marker stays as it always was. */
export function commentMarkerFor(id: string): string {
  return id ? `${COMMENT_MARKER.slice(0, -' -->'.length)}:${id} -->` : COMMENT_MARKER;
}

/** The check run's name, also the heading of the job summary and the comment. */
export function checkNameFor(id: string): string {
  return id ? `${CHECK_NAME} (${id})` : CHECK_NAME;
}
