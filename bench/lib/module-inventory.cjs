// Preloaded into a backend (`node --require`) by bench/memory-breakdown.mjs:
// on SIGUSR2 it writes what the process holds — memory by kind, V8 heap
// spaces, and every loaded module grouped by package with its source size —
// to the file named by MODULE_INVENTORY_FILE. Measures only; changes nothing.
const fs = require('node:fs');
const v8 = require('node:v8');

const out = process.env.MODULE_INVENTORY_FILE;

/** `@scope/name` or `name` of a file under node_modules; else the app's own. */
function packageOf(file) {
  const parts = file.split('/node_modules/');
  if (parts.length < 2) return '(app)';
  const rest = parts[parts.length - 1].split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

function inventory() {
  const packages = {};
  for (const file of Object.keys(require.cache)) {
    const p = (packages[packageOf(file)] ??= { modules: 0, bytes: 0 });
    p.modules++;
    try {
      p.bytes += fs.statSync(file).size;
    } catch {
      // a module without a file (JSON inlined, or removed since)
    }
  }
  return {
    at: new Date().toISOString(),
    memory: process.memoryUsage(),
    heapSpaces: v8.getHeapSpaceStatistics().map(s => ({
      space: s.space_name,
      usedBytes: s.space_used_size,
    })),
    modules: Object.keys(require.cache).length,
    packages,
  };
}

if (out) {
  process.on('SIGUSR2', () => {
    if (global.gc) global.gc();
    fs.writeFileSync(out, JSON.stringify(inventory(), null, 2));
  });
}
