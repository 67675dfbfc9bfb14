import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

// The built command keeps V8's code cache per start (bin/run-code-cached.mjs). A warm start must
// behave exactly as a cold one, and a damaged, foreign or unwritable cache must cost nothing but time.
const dataDir = tempDir('mco-code-cache-data-');
function exportNodes(cacheDir: string, env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, ['bin/mcp-orchestrator.mjs', 'export'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, MCO_CODE_CACHE_DIR: cacheDir, ...env } });
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ nodes: {} });
  return run;
}
const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin')) : []);
const crcHolds = (file: Buffer) => file.readUInt32BE(0) === zlib.crc32(file.subarray(4));

describe('the code cache of the built command', () => {
  it('is saved by a first start, then used as it is', () => {
    const dir = path.join(tempDir('mco-code-cache-'), 'made-by-the-command');
    exportNodes(dir);
    const [name] = cacheFiles(dir);
    expect(name).toMatch(/^export-[0-9a-f]{12}-[0-9a-f]{12}\.bin$/);
    const file = path.join(dir, name);
    const saved = fs.readFileSync(file);
    expect(saved.length).toBeGreaterThan(100_000);
    expect(crcHolds(saved)).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const before = fs.statSync(file);
    exportNodes(dir);
    // Accepted by V8, so not written again.
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(fs.statSync(file).ino).toBe(before.ino);
    expect(cacheFiles(dir)).toEqual([name]);
  });

  it('runs an ASCII bundle read as Latin-1 (the built ones are ASCII) and any other as UTF-8, cold and warm', () => {
    for (const built of ['out/cli/cli.cjs', 'out/cli/stdio-front.cjs']) expect(fs.readFileSync(built).every((byte) => byte < 0x80), built).toBe(true);
    const dir = tempDir('mco-code-cache-');
    const bundle = path.join(tempDir('mco-install-'), 'cli.cjs');
    fs.writeFileSync(bundle, 'console.log("Jimmy Wärting, 노드 ✓");\n');
    const loader = new URL('../../bin/run-code-cached.mjs', import.meta.url).href;
    for (const start of ['cold', 'warm']) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', `(await import(${JSON.stringify(loader)})).runCodeCached(${JSON.stringify(bundle)}, 'mcp')`], { encoding: 'utf8', env: { ...process.env, MCO_CODE_CACHE_DIR: dir } });
      expect(run.stdout, start).toBe('Jimmy Wärting, 노드 ✓\n');
    }
  });

  it('recompiles over a damaged or foreign cache instead of running it', () => {
    const dir = tempDir('mco-code-cache-');
    exportNodes(dir);
    const [name] = cacheFiles(dir);
    const file = path.join(dir, name);
    const good = fs.readFileSync(file);

    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    fs.writeFileSync(file, damaged);
    exportNodes(dir);
    expect(crcHolds(fs.readFileSync(file))).toBe(true);

    // A checksum that holds over bytes V8 did not write: V8 refuses it, and a good one replaces it.
    const foreign = Buffer.alloc(good.length, 7);
    foreign.writeUInt32BE(zlib.crc32(foreign.subarray(4)), 0);
    fs.writeFileSync(file, foreign);
    exportNodes(dir);
    const rewritten = fs.readFileSync(file);
    expect(rewritten.equals(foreign)).toBe(false);
    expect(crcHolds(rewritten)).toBe(true);

    fs.writeFileSync(file, Buffer.alloc(0));
    exportNodes(dir);
    expect(crcHolds(fs.readFileSync(file))).toBe(true);
  });

  it('is skipped when turned off or when it cannot be written', () => {
    const off = tempDir('mco-code-cache-');
    exportNodes(off, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(cacheFiles(off)).toEqual([]);

    const blocked = path.join(tempDir('mco-code-cache-'), 'not-a-directory');
    fs.writeFileSync(blocked, 'a file where the cache directory would be');
    const run = exportNodes(blocked);
    expect(run.stderr).toBe('');
  });

  it('keeps one file per start of each installation, replaced when that installation is rebuilt', () => {
    const dir = tempDir('mco-code-cache-');
    const installs = [tempDir('mco-install-a-'), tempDir('mco-install-b-')].map((root) => path.join(root, 'cli.cjs'));
    for (const bundle of installs) fs.writeFileSync(bundle, 'module.exports = 1; console.log(["ran", ...process.argv.slice(1)].join(" "));\n');
    const run = (bundle: string, label: string) => {
      const loader = new URL('../../bin/run-code-cached.mjs', import.meta.url).href;
      const started = spawnSync(process.execPath, ['--input-type=module', '-e', `(await import(${JSON.stringify(loader)})).runCodeCached(${JSON.stringify(bundle)}, ${JSON.stringify(label)})`], { encoding: 'utf8', env: { ...process.env, MCO_CODE_CACHE_DIR: dir } });
      expect(started.stdout.trim(), started.stderr).toBe('ran');
    };
    run(installs[0], 'mcp');
    run(installs[1], 'mcp');
    run(installs[0], 'import');
    run(installs[0], 'import-tailscale');
    const before = cacheFiles(dir).sort();
    expect(before).toHaveLength(4);
    // A rebuild of installation a: its mcp cache is replaced; b's and a's other starts stay.
    fs.utimesSync(installs[0], new Date(), new Date(Date.now() + 60_000));
    run(installs[0], 'mcp');
    const after = cacheFiles(dir).sort();
    expect(after).toHaveLength(4);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(before.filter((f) => !after.includes(f))).toEqual([before.find((f) => f.startsWith('mcp-') && !after.includes(f))]);
  });

  it("never runs a cache that another user could have planted: foreign owner, writable by others, a symlink, or a shared directory", () => {
    // V8 matches a cache to its source by length: B's cache under A's name runs B's code as A.
    const root = tempDir('mco-code-cache-plant-');
    const bundle = (name: string) => {
      const file = path.join(root, name, 'cli.cjs');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, `console.log("ran ${name}");\n`);
      return file;
    };
    const [a, b] = [bundle('A'), bundle('B')];
    const loader = new URL('../../bin/run-code-cached.mjs', import.meta.url).href;
    const run = (file: string, dir: string) => {
      const started = spawnSync(process.execPath, ['--input-type=module', '-e', `(await import(${JSON.stringify(loader)})).runCodeCached(${JSON.stringify(file)}, 'mcp')`], { encoding: 'utf8', env: { ...process.env, MCO_CODE_CACHE_DIR: dir } });
      expect(started.status, started.stderr).toBe(0);
      return started.stdout.trim();
    };
    const dirA = path.join(root, 'cache-a');
    const dirB = path.join(root, 'cache-b');
    expect(run(b, dirB)).toBe('ran B');
    expect(run(a, dirA)).toBe('ran A');
    const nameA = path.join(dirA, cacheFiles(dirA)[0]);
    const planted = fs.readFileSync(path.join(dirB, cacheFiles(dirB)[0]));
    const plant = () => {
      fs.rmSync(nameA, { force: true });
      fs.writeFileSync(nameA, planted, { mode: 0o600 });
      fs.chmodSync(nameA, 0o600);
    };
    plant();
    expect(run(a, dirA)).toBe('ran B'); // the risk: our own private file is trusted, and this is why

    plant();
    fs.chmodSync(nameA, 0o666);
    expect(run(a, dirA)).toBe('ran A'); // writable by others: not used, and replaced by our own
    expect(fs.statSync(nameA).mode & 0o777).toBe(0o600);

    plant();
    fs.chmodSync(dirA, 0o777);
    expect(run(a, dirA)).toBe('ran A'); // a directory others can write to: not read, not written
    expect(fs.readFileSync(nameA).equals(planted)).toBe(true);
    fs.chmodSync(dirA, 0o700);

    fs.rmSync(nameA);
    fs.symlinkSync(path.join(dirB, cacheFiles(dirB)[0]), nameA);
    expect(run(a, dirA)).toBe('ran A'); // a symlink: not followed
    expect(fs.lstatSync(nameA).isSymbolicLink()).toBe(false);

    if (process.getuid?.() === 0) {
      plant();
      fs.chownSync(nameA, 65534, 65534); // nobody's file, as in the review
      expect(run(a, dirA)).toBe('ran A');
      fs.chownSync(dirA, 65534, 65534);
      plant();
      fs.chownSync(nameA, 65534, 65534);
      expect(run(a, dirA)).toBe('ran A'); // nobody's directory
    } else console.log('[code-cache] not root: the foreign-owner cases need chown and are left out');
  });
});
