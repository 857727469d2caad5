import type { NginxDirective } from './types';

/**
 * Pre-order walk without recursion (configs may nest thousands of blocks). `visit` gets the enclosing block
 * directive of this walk (undefined at the top); returning false skips the directive's children.
 */
export function forEachNginxDirective(
  directives: NginxDirective[],
  visit: (d: NginxDirective, parent: NginxDirective | undefined) => void | boolean,
): void {
  const stack: { list: NginxDirective[]; i: number; parent: NginxDirective | undefined }[] = [
    { list: directives, i: 0, parent: undefined },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const d = top.list[top.i++];
    if (visit(d, top.parent) !== false && d.block && d.block.length > 0) stack.push({ list: d.block, i: 0, parent: d });
  }
}

/** Directives named `name` anywhere below `directives` (document order). */
export function findNginxDirectives(directives: NginxDirective[], name: string): NginxDirective[] {
  const out: NginxDirective[] = [];
  forEachNginxDirective(directives, (d) => {
    if (d.name === name) out.push(d);
  });
  return out;
}
