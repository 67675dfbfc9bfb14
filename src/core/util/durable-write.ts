import fs from 'node:fs';
import path from 'node:path';
import { OrchestratorError } from '../../shared/errors';

const STORAGE_CODES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an I/O error occurred',
};

/** A write that could not complete, as the 507 every face answers: the cause named, nothing written. */
export function storageError(file: string, error: unknown): OrchestratorError {
  if (error instanceof OrchestratorError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const cause = STORAGE_CODES[code] ?? (error as Error)?.message ?? String(error);
  return new OrchestratorError('insufficient_storage', `Could not write ${file}: ${cause}${code ? ` (${code})` : ''}. Nothing was changed; the previous file is intact.`, [
    { field: 'data_dir', message: `${path.dirname(file)}: ${cause}` },
  ]);
}

/** Writes every byte (a short write is continued; no progress is an I/O error). */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let offset = 0; offset < bytes.length; ) {
    const written = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw Object.assign(new Error('no progress writing'), { code: 'EIO' });
    offset += written;
  }
}

/**
 * Replaces `file` with `data` so that either the whole new content or the old file survives, never
 * a torn one: every byte is written (short writes are continued, ENOSPC is an error), fsynced, then
 * renamed over the original and the directory fsynced. On failure the temp file is removed and a
 * storage error is thrown. (atomically's writeFileSync ignores a short write and renames it anyway.)
 */
export function writeFileDurably(file: string, data: string | Uint8Array, mode = 0o600): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'w', mode);
    writeAllSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw storageError(file, error);
  }
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dir);
    fs.closeSync(dir);
  } catch {
    /* directory fsync is not supported everywhere (Windows); the rename already happened */
  }
}

/**
 * writeFileDurably for big files, off the event loop: the chunks are made one by one (a generator) and
 * written with awaits between them, so a 200 MB file never stops the service answering.
 */
export async function writeFileDurablyAsync(file: string, chunks: Iterable<Uint8Array>, mode = 0o600, stillWanted: () => boolean = () => true): Promise<void> {
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(temp, 'w', mode);
    for (const chunk of chunks) {
      for (let offset = 0; offset < chunk.length; ) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
        if (bytesWritten <= 0) throw Object.assign(new Error('no progress writing'), { code: 'EIO' });
        offset += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    handle = null;
    // A newer write of the same file (written at once meanwhile) must not be replaced by this older one.
    if (!stillWanted()) return void (await fs.promises.rm(temp, { force: true }));
    await fs.promises.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.promises.rm(temp, { force: true });
    throw storageError(file, error);
  }
  try {
    const dir = await fs.promises.open(path.dirname(file), 'r');
    await dir.sync();
    await dir.close();
  } catch {
    /* directory fsync is not supported everywhere (Windows); the rename already happened */
  }
}

/** Appends one line to a log file; a failed append is a storage error naming the cause. */
export function appendLineDurably(file: string, line: string, mode = 0o600): void {
  try {
    fs.appendFileSync(file, line, { mode });
  } catch (error) {
    throw storageError(file, error);
  }
}
