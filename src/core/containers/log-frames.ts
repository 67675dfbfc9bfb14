export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/**
 * Docker's log stream for a container without a TTY is multiplexed: each frame is an 8-byte header
 * (stream 1 = stdout, 2 = stderr, then a big-endian length) and its payload. With a TTY it is raw.
 */
function parse(buffer: Buffer, tty: boolean): { lines: LogLine[]; rest: Buffer } {
  const lines: LogLine[] = [];
  const push = (stream: LogLine['stream'], text: string) => {
    for (const line of text.split('\n')) if (line !== '') lines.push({ stream, text: line.replace(/\r$/, '') });
  };
  if (tty) {
    const end = buffer.lastIndexOf(0x0a) + 1;
    push('stdout', buffer.subarray(0, end).toString('utf8'));
    return { lines, rest: buffer.subarray(end) };
  }
  let at = 0;
  while (at + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(at + 4);
    if (at + 8 + size > buffer.length) break;
    push(buffer[at] === 2 ? 'stderr' : 'stdout', buffer.subarray(at + 8, at + 8 + size).toString('utf8'));
    at += 8 + size;
  }
  return { lines, rest: buffer.subarray(at) };
}

/** All complete lines of a whole log answer. */
export const splitLogFrames = Object.assign((buffer: Buffer, tty: boolean): LogLine[] => parse(buffer, tty).lines, {
  /** For a followed stream: the complete frames, and the bytes of the one still arriving. */
  partial: parse,
});
