import * as nodeModule from 'node:module';

// Node >= 22.1 can cache compiled code on disk between runs; older Node has no such function, so this does nothing.
// Imported first by the CLI entry so that it runs before the other modules are loaded.
const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
try {
  enable?.();
} catch {
  // A cache that cannot be set up (read-only home, say) only costs speed.
}
