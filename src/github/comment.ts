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
  user?: { login?: string; type?: string } | null;
}

/** GITHUB_TOKEN's author: what an installation token that may not ask about itself is taken to be. */
export const ACTIONS_BOT = 'github-actions[bot]';

const identities = new WeakMap<GitHubClient, Promise<string>>();

/**
 * The login the token writes as. `GET /user` answers for personal and user tokens; an installation token (the
 * Actions GITHUB_TOKEN, a GitHub App's) gets 403 there, and GraphQL's `viewer` names its bot (`<app>[bot]`);
 * when that fails too, it is the Actions token's `github-actions[bot]`.
 */
export function tokenIdentity(client: GitHubClient): Promise<string> {
  let found = identities.get(client);
  if (!found) {
    found = (async () => {
      try {
        return (await client.rest.users.getAuthenticated()).data.login;
      } catch (e) {
        if (![401, 403].includes(statusOf(e))) throw e;
      }
      try {
        const r = await client.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
        if (typeof r.viewer?.login === 'string' && r.viewer.login) return r.viewer.login;
      } catch {
        // Falls through to the Actions bot.
      }
      return ACTIONS_BOT;
    })();
    identities.set(client, found);
  }
  return found;
}

/**
 * Every page is searched. Anyone can paste the marker into a comment, another bot or a member too: only a comment
 * the token's own identity wrote is ours; the oldest, so a duplicate never wins.
 */
async function findComment(client: GitHubClient, repo: Repo, issue: number, self: string, marker: string): Promise<IssueComment | undefined> {
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 })) {
    for (const c of page.data as IssueComment[]) {
      if (c.body?.startsWith(marker) && c.user?.login?.toLowerCase() === self.toLowerCase()) return c;
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function transient(e: unknown): boolean {
  const status = statusOf(e);
  return (status >= 500 || status === 429) && !(e as { final?: boolean }).final;
}

/**
 * One comment per pull request and step (`marker` holds the step's `id`), edited in place on every run. A clean
 * pull request without a comment gets none; one that had findings gets its comment edited to the clean state.
 * Creating is not idempotent, so a failed
 * create is never blindly retried: the comments are searched again first, in case the failed request landed.
 */
export async function upsertComment(client: GitHubClient, repo: Repo, issue: number, body: string, clean: boolean, secondMs = 1000, marker = COMMENT_MARKER): Promise<CommentResult> {
  const self = await tokenIdentity(client);
  for (let attempt = 1; ; attempt++) {
    const existing = await findComment(client, repo, issue, self, marker);
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
