import { RETRIES, statusOf, type GitHubClient } from './client';
import type { Repo } from './event';

/** Hidden first line of our comment: how a re-run finds it again among all comments of the pull request. */
export const COMMENT_MARKER = '<!-- https-guard:summary -->';
/** GitHub rejects comment bodies over 65,536 characters; we stay well under it. */
export const COMMENT_LIMIT = 60_000;

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'not needed';

export interface CommentResult {
  outcome: CommentOutcome;
  url?: string;
}

interface IssueComment {
  id: number;
  body?: string;
  html_url: string;
  user?: { type?: string } | null;
  author_association?: string;
}

/** People whose comment may be ours: the token of a personal access token belongs to a member of the repository. */
const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * Every page is searched. Anyone can paste the marker into a comment: only a bot's (Actions or app token) or a
 * repository member's (personal token) counts, a bot's first; among equals the oldest, so a duplicate never wins.
 */
async function findComment(client: GitHubClient, repo: Repo, issue: number): Promise<IssueComment | undefined> {
  let member: IssueComment | undefined;
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 })) {
    for (const c of page.data as IssueComment[]) {
      if (!c.body?.startsWith(COMMENT_MARKER)) continue;
      if (c.user?.type === 'Bot') return c;
      if (TRUSTED.has(c.author_association ?? '')) member ??= c;
    }
  }
  return member;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transient(e: unknown): boolean {
  const status = statusOf(e);
  return (status >= 500 || status === 429) && !(e as { final?: boolean }).final;
}

/**
 * One comment per pull request, edited in place on every run. A clean pull request without a comment gets none;
 * one that had findings gets its comment edited to the clean state. Creating is not idempotent, so a failed
 * create is never blindly retried: the comments are searched again first, in case the failed request landed.
 */
export async function upsertComment(client: GitHubClient, repo: Repo, issue: number, body: string, clean: boolean, secondMs = 1000): Promise<CommentResult> {
  for (let attempt = 1; ; attempt++) {
    const existing = await findComment(client, repo, issue);
    if (existing) {
      if (existing.body === body) return { outcome: 'unchanged', url: existing.html_url };
      const { data } = await client.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
      return { outcome: 'updated', url: data.html_url };
    }
    if (clean) return { outcome: 'not needed' };
    try {
      const { data } = await client.rest.issues.createComment({ ...repo, issue_number: issue, body, request: { retries: 0 } });
      return { outcome: 'created', url: data.html_url };
    } catch (e) {
      if (attempt > RETRIES || !transient(e)) throw e;
      await sleep(attempt * attempt * secondMs);
    }
  }
}
