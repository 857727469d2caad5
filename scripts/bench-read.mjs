// The baseline: walk the same tree and read every file, doing nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
let bytes = 0;
const stack = [process.argv[2]];
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) stack.push(p);
    else if (e.isFile()) {
      bytes += readFileSync(p).length;
      files++;
    }
  }
}
process.stdout.write(JSON.stringify({ files, bytes }));
