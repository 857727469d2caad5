import type { Repo } from './event';

/** encodeURIComponent leaves `!'()*` alone; parentheses would end a Markdown link, so they are encoded too. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeSegment).join('/');
}

/** `{server}/{owner}/{repo}/blob/{sha}/{path}#L{line}`: the file as it is at the commit the findings are about. */
export function blobUrl(serverUrl: string, repo: Repo, sha: string, path: string, line: number): string {
  return `${serverUrl}/${encodeSegment(repo.owner)}/${encodeSegment(repo.repo)}/blob/${sha}/${encodePath(path)}#L${Math.max(1, line)}`;
}
