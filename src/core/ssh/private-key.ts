import fs from 'node:fs';
import os from 'node:os';
import { OrchestratorError } from '../../shared/errors';

/** A private key is small; a FIFO, a device or a huge file must not block or flood the process. */
export const MAX_KEY_BYTES = 64 * 1024;

export async function readPrivateKey(keyPath: string, nodeId: string): Promise<Buffer> {
  const resolved = keyPath.replace(/^~(?=$|\/)/, os.homedir());
  // 409, not 400: the request is fine; the node's stored ssh.key_path does not fit this machine.
  const refuse = (why: string) =>
    new OrchestratorError('conflict', `SSH key ${keyPath} for node ${nodeId} cannot be used: ${why}; change the node's ssh.key_path`, [{ field: 'ssh.key_path', message: `of node ${nodeId} ${why}` }]);
  let handle: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait.
    handle = await fs.promises.open(resolved, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw refuse('is not a regular file');
    if (stat.size > MAX_KEY_BYTES) throw refuse(`is ${stat.size} bytes; a private key is at most ${MAX_KEY_BYTES}`);
    const buffer = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(buffer, 0, stat.size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
