// Runs a bundled CommonJS file with V8's code cache: the first start compiles it and, once warm, saves
// the compiled code under the user's cache directory; later starts load that and parse nothing. It is
// what Node 22's module.enableCompileCache() does, for Node 20, and it saves the code compiled while
// starting (not just the top level, as v8-compile-cache's produceCachedData did). V8 refuses a cache
// made by another V8, other flags or another source; we then compile as usual and save a new one.
// V8 checks the header of a cache but, in release builds, not its contents, so each file starts with
// a CRC-32 of the rest: a damaged file is recompiled over, never run.
// V8 matches a cache to its source by length only, so a cache file is code: it is used only from a
// directory and a file owned by this user and writable by no one else, never through a symlink
// (another user's file in a shared XDG_CACHE_HOME or MCO_CODE_CACHE_DIR would otherwise run as us).
// NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own name for the same switch).
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** After this long the start-up code has run. The timer does not hold the process open. */
const SAVE_AFTER_MS = 1500;

/** Where caches live: MCO_CODE_CACHE_DIR, else the user's cache directory. */
export function cacheDirectory() {
  if (process.env.MCO_CODE_CACHE_DIR) return process.env.MCO_CODE_CACHE_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library/Caches/mcp-orchestrator/code');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData/Local'), 'mcp-orchestrator/Cache/code');
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'mcp-orchestrator/code');
}

/**
 * @param {string} file the bundle
 * @param {string} label which start this is (a command): each keeps the code its own start compiled
 */
export function runCodeCached(file, label) {
  const bytes = fs.readFileSync(file);
  // The bundle is ASCII (scripts/build.mjs): read as Latin-1, the same text, decoded in less than half
  // the time of UTF-8 (a 2 MB bundle: some 10 ms of every start).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const name = label.replace(/[^a-z]/gi, '_');
  const cacheFile = ['1', 'true'].includes(process.env.NODE_DISABLE_COMPILE_CACHE ?? '') ? undefined : cacheFileFor(file, name);
  const cachedData = cacheFile && readCache(cacheFile);
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // Saved once: when start-up has run, or at exit if that comes first (a short command, a stop).
    const saveOnce = () => {
      clearTimeout(timer);
      process.off('exit', saveOnce);
      save(script, cacheFile);
    };
    const timer = setTimeout(saveOnce, SAVE_AFTER_MS).unref();
    process.once('exit', saveOnce);
  }
  return module.exports;
}

/**
 * `<start>-<installation>-<build>.bin`: one file per start of each installation (a global install and a
 * checkout keep theirs apart), replaced when that installation is rebuilt or Node changes; none where
 * there is no home to keep it in. Other caches of a start (`extension`) follow the same names.
 */
export function cacheFileFor(file, name, extension = '.bin') {
  try {
    const stat = fs.statSync(file);
    const hash = (...parts) => crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 12);
    return path.join(cacheDirectory(), `${name}-${hash(file)}-${hash(process.version, process.arch, stat.size, stat.mtimeMs)}${extension}`);
  } catch {
    return undefined;
  }
}

/** Owned by this user and writable by no one else (POSIX; on Windows the per-user profile decides). */
function ownedAndPrivate(stat) {
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cache's directory, if it is a real directory (not a symlink) that only this user can change. */
function trustedDirectory(cacheFile) {
  try {
    const stat = fs.lstatSync(path.dirname(cacheFile));
    return stat.isDirectory() && ownedAndPrivate(stat);
  } catch {
    return false;
  }
}

/**
 * A cache file's bytes, if this user alone could have written it: a real file (no symlink) owned by
 * this user, writable by no one else, in a directory of the same kind; else undefined.
 */
export function readPrivateFile(cacheFile) {
  if (!trustedDirectory(cacheFile)) return undefined;
  let fd;
  try {
    // O_NOFOLLOW: a symlink is refused; fstat checks the file that was opened, not a name swapped since.
    fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    return stat.isFile() && ownedAndPrivate(stat) ? fs.readFileSync(fd) : undefined;
  } catch {
    return undefined; // none yet
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function readCache(cacheFile) {
  const file = readPrivateFile(cacheFile);
  const data = file?.subarray(4);
  return file && file.length > 4 && file.readUInt32BE(0) === zlib.crc32(data) ? data : undefined;
}

/**
 * Writes a cache file for this user alone (0600, in a 0700 directory), replacing the old one by rename,
 * and removes the same start's files of earlier builds (`<start>-<installation>-*<extension>`). Best
 * effort: a read-only or full home only means the next start goes without. True when written.
 */
export function writePrivateFile(cacheFile, data, extension = '.bin') {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    if (!trustedDirectory(cacheFile)) return false; // someone else could change what we write
    // 'wx' creates a new file and fails on anything already there, a symlink included; rename then
    // replaces the name itself, never a file a symlink points to.
    fs.writeFileSync(temporary, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temporary, cacheFile);
    // The same start's caches of earlier builds of this installation are dead weight.
    const installation = path.basename(cacheFile).slice(0, -(12 + extension.length));
    for (const other of fs.readdirSync(path.dirname(cacheFile))) {
      if (other !== path.basename(cacheFile) && other.startsWith(installation) && other.endsWith(extension)) fs.rmSync(path.join(path.dirname(cacheFile), other), { force: true });
    }
    return true;
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
}

function save(script, cacheFile) {
  const data = script.createCachedData();
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data));
  writePrivateFile(cacheFile, Buffer.concat([crc, data]));
}
