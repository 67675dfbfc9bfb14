import fs from 'node:fs';
import { OrchestratorError } from '../../shared/errors';
import { parseJsonBytes } from './parse-json-bytes';

// The one reader for JSON files a person points us at (NODES_FILE_PATH at start and in sync mode,
// the CLI's imports, the demo fleet): a regular file only, whatever a symlink points to (a FIFO would
// block until someone writes to it, a device never ends), and at most MAX_JSON_FILE_BYTES.

/** 10,000 nodes with room: a whole fleet, where the REST body limit (2 MiB) is for one request. */
export const MAX_JSON_FILE_BYTES = 16 * 1024 * 1024;

// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (absent on Windows, which has none).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

const kind = (stat: fs.Stats): string =>
  stat.isFIFO() ? 'a FIFO' : stat.isDirectory() ? 'a directory' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';

/** Why a file is not read: its size or kind, said without quoting it. */
export class FileRefusal extends Error {}

function check(stat: fs.Stats, maxBytes: number): void {
  if (!stat.isFile()) throw new FileRefusal(`is ${kind(stat)}, not a regular file`);
  if (stat.size > maxBytes) throw new FileRefusal(`is ${(stat.size / 1048576).toFixed(1)} MiB, more than the ${maxBytes / 1048576} MiB a file may be`);
}

const tooLarge = (maxBytes: number) => new FileRefusal(`grew past the ${maxBytes / 1048576} MiB a file may be while it was read`);

const CHUNK = 1024 * 1024;

/** The bytes of a regular file of at most `maxBytes`, read off the event loop. Throws a FileRefusal or the system's error. */
export async function readRegularFile(file: string, maxBytes = MAX_JSON_FILE_BYTES): Promise<Buffer> {
  const handle = await fs.promises.open(file, OPEN_FLAGS);
  try {
    check(await handle.stat(), maxBytes);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(CHUNK), 0, CHUNK, null);
      if (bytesRead === 0) return Buffer.concat(chunks, length);
      chunks.push(buffer.subarray(0, bytesRead));
      if ((length += bytesRead) > maxBytes) throw tooLarge(maxBytes);
    }
  } finally {
    await handle.close();
  }
}

/** The same, at start-up and in the CLI, where nothing else runs yet: bounded, so it cannot hang. */
export function readRegularFileSync(file: string, maxBytes = MAX_JSON_FILE_BYTES): Buffer {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    check(fs.fstatSync(fd), maxBytes);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const bytesRead = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (bytesRead === 0) return Buffer.concat(chunks, length);
      chunks.push(buffer.subarray(0, bytesRead));
      if ((length += bytesRead) > maxBytes) throw tooLarge(maxBytes);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a JSON file a person pointed us at; a missing, irregular, oversized, malformed or non-UTF-8 file is an error naming `field`. */
export function readJsonFile(file: string, field: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(file);
  } catch (error) {
    throw new OrchestratorError('bad_request', `${file} cannot be read: ${(error as Error).message}`, [{ field, message: error instanceof FileRefusal ? error.message : 'cannot be read' }]);
  }
  return parseJsonBytes(bytes, field, file);
}
