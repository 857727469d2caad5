import { getOctokit } from '@actions/github';
import type { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import type { Finding, ScanResult } from '../types';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL: api.github.com, a GHES host's /api/v3, or a test fake. */
  baseUrl: string;
  /** Milliseconds in one second of waiting (backoff, Retry-After, write pacing): 1000, smaller only in tests. */
  secondMs?: number;
  warn(message: string): void;
  debug(message: string): void;
}

/** Attempts after the first for 5xx and network errors (plugin-retry waits 1, 4, 9 s between them). */
export const RETRIES = 3;
/** The longest Retry-After (or rate-limit reset) worth waiting for; a longer one fails the request at once. */
export const MAX_WAIT_SECONDS = 60;
/** Secondary rate limits: how many times one request is retried. */
const RATE_LIMIT_RETRIES = 2;
/** All API work of one run stops after this (real time), so a sick API cannot hold the job. */
export const BUDGET_SECONDS = 300;
const ATTEMPT_TIMEOUT_SECONDS = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The HTTP status of an Octokit error (0 for a network failure or our own refusal). */
export function statusOf(e: unknown): number {
  const status = (e as { status?: unknown })?.status;
  return typeof status === 'number' ? status : 0;
}

function retryAfterSeconds(e: unknown): number | undefined {
  const headers = (e as { response?: { headers?: Record<string, string | undefined> } })?.response?.headers;
  const value = headers?.['retry-after'];
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/** An error no layer retries (plugin-retry only retries errors that carry the request); callers still read status. */
function finalError(message: string, status: number): Error {
  return Object.assign(new Error(message), { status, final: true });
}

/**
 * Innermost request hook, under plugin-retry: it times out each attempt, enforces the run's time budget, and
 * honours Retry-After on 5xx and 429 answers (plugin-retry's own backoff ignores the header) by waiting before
 * the retry happens, or by giving up when the server asks for longer than we are willing to wait.
 */
function patience(options: Required<Pick<ClientOptions, 'secondMs'>>) {
  const deadline = Date.now() + BUDGET_SECONDS * 1000;
  return (octokit: Octokit) => {
    octokit.hook.wrap('request', async (request, req) => {
      if (Date.now() > deadline) throw finalError(`the GitHub API time budget (${BUDGET_SECONDS} s) is used up`, 0);
      req.request = { ...req.request, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_SECONDS * 1000) };
      try {
        return await request(req);
      } catch (e) {
        const status = statusOf(e);
        const wait = retryAfterSeconds(e);
        // 403 and 429 with "secondary rate limit" belong to plugin-throttling, which reads Retry-After itself.
        if (wait === undefined || !(status >= 500 || (status === 429 && !/secondary rate/i.test((e as Error).message)))) throw e;
        if (wait > MAX_WAIT_SECONDS || Date.now() + wait * 1000 > deadline) {
          throw finalError(`${(e as Error).message} (GitHub asked to retry after ${wait} s; not waiting that long)`, status);
        }
        await sleep(wait * options.secondMs);
        throw e;
      }
    });
    return {};
  };
}

/** Bottleneck's Group interface as plugin-throttling uses it for write pacing: key(id).schedule(options, fn). */
function pacingGroup(minTimeMs: number) {
  let next = 0;
  const limiter = {
    schedule: async <T>(_options: unknown, fn: (...args: unknown[]) => T | Promise<T>, ...args: unknown[]): Promise<T> => {
      const now = Date.now();
      const at = Math.max(now, next);
      next = at + minTimeMs;
      await sleep(at - now);
      return fn(...args);
    },
  };
  return { key: () => limiter };
}

function throttleOptions(o: Required<Pick<ClientOptions, 'secondMs' | 'warn'>>): ThrottlingOptions {
  const handler = (kind: string) => (retryAfter: number, req: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
    o.warn(`GitHub ${kind} on ${req.method} ${req.url}: ${retrying ? `retrying in ${retryAfter} s` : 'giving up'}.`);
    return retrying;
  };
  const options: ThrottlingOptions = {
    onSecondaryRateLimit: handler('secondary rate limit'),
    onRateLimit: handler('rate limit'),
    retryAfterBaseValue: o.secondMs,
    fallbackSecondaryRateRetryAfter: 60,
  };
  // The plugin spaces writes 1 s apart (as GitHub asks) in fixed queues; tests that shrink the second pace alike.
  if (o.secondMs !== 1000) {
    Object.assign(options, { write: pacingGroup(o.secondMs), notifications: pacingGroup(3 * o.secondMs) });
  }
  return options;
}

export function createClient(o: ClientOptions): GitHubClient {
  const secondMs = o.secondMs ?? 1000;
  const log = { debug: o.debug, info: o.debug, warn: o.warn, error: o.warn };
  return getOctokit(
    o.token,
    {
      baseUrl: o.baseUrl,
      log,
      retry: { retries: RETRIES, retryAfterBaseValue: secondMs },
      throttle: throttleOptions({ secondMs, warn: o.warn }),
    },
    patience({ secondMs }),
    retry,
    throttling,
  );
}

/** Removes the token from text we print: error messages can echo request details. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}

/**
 * The scan's text without the token: a rule that fails reports its error's message as a finding, and that text
 * reaches the log, the comment, the check run and SARIF.
 */
export function scrubResult(result: ScanResult, token: string): ScanResult {
  if (!token) return result;
  const has = (t: string | undefined) => t !== undefined && t.includes(token);
  const clean = (f: Finding): Finding => {
    const reason = f.suppression?.reason;
    if (!has(f.message) && !has(f.hint) && !has(reason)) return f;
    const out = { ...f, message: scrub(f.message, token), hint: scrub(f.hint, token) };
    return f.suppression && reason !== undefined ? { ...out, suppression: { ...f.suppression, reason: scrub(reason, token) } } : out;
  };
  return {
    ...result,
    findings: result.findings.map(clean),
    skipped: result.skipped.map((x) => (has(x.reason) ? { ...x, reason: scrub(x.reason, token) } : x)),
    ...(result.suppressedFindings ? { suppressedFindings: result.suppressedFindings.map(clean) } : {}),
  };
}

/** One line for a log or a warning: status and GitHub's message, never headers. */
export function describeError(e: unknown, token: string): string {
  const status = statusOf(e);
  const message = (e as Error)?.message ?? String(e);
  return scrub(status ? `HTTP ${status}: ${message}` : message, token);
}
