import { PassThrough } from 'node:stream';
import { readLockOwnerAsync } from '../../core/registry/data-dir-owner';
import { canonicalMessage, currentInputs, fitsInputs, leaveHandoff, LineSplitter, parseMessage, readRecords, recordFileFor, type FrontHandoff, type HandshakeRecord } from './record';

// The first code `mcp-orchestrator mcp` runs (out/cli/stdio-front.cjs, Node built-ins only): when a
// record of this build and these inputs exists, it answers the client's opening from it while the
// bundle (out/cli/cli.cjs) is not yet read, then loads the bundle, whose real server takes over.

/** A client that has not finished its opening by then still gets its core: the bundle loads anyway. */
const LOAD_AFTER_MS = 500;

/**
 * Answers the opening from a record when one fits, and calls `load` (which runs the bundle) once the
 * opening is over, the client leaves the record, or LOAD_AFTER_MS passes; at once when none fits.
 */
export function answerFromRecord(bundle: string, load: () => void): void {
  // Turned off: no record is read or written, and stdin is left to the real server alone.
  if (['1', 'true'].includes(process.env.MCO_DISABLE_HANDSHAKE_RECORD ?? '')) return load();
  const records = readRecords(recordFileFor(bundle));
  const handoff: FrontHandoff = { bundle, records, inputs: currentInputs(), answered: new Map() };
  leaveHandoff(handoff);
  const fitting = records.filter((record) => record.exchange.length > 0 && fitsInputs(record, handoff.inputs));
  if (fitting.length === 0) return load();
  // A service or the app that owns the data directory answers through its socket, with its own settings.
  readLockOwnerAsync(fitting[0].dataDir).then(
    (owner) => (owner ? load() : answerOpening(handoff, fitting, load)),
    () => load(),
  );
}

function answerOpening(handoff: FrontHandoff, fitting: HandshakeRecord[], load: () => void): void {
  const input = new PassThrough();
  handoff.input = input;
  const lines = new LineSplitter();
  let candidates = fitting;
  let position = 0;
  let answering = true;
  const handOver = () => {
    if (!answering) return;
    answering = false;
    clearTimeout(timer);
    setImmediate(load);
  };
  const timer = setTimeout(handOver, LOAD_AFTER_MS);
  // A client gone before the bundle loads (EPIPE on an answer) is met by stdin's end, as later on.
  process.stdout.on('error', () => undefined);

  const take = (line: string) => {
    const message = parseMessage(line);
    const key = message && canonicalMessage(message);
    candidates = candidates.filter((record) => record.exchange[position].in === key);
    const id = message && message.id !== undefined ? JSON.stringify(message.id) : undefined;
    // Off the record (or an id used twice): the real server answers this and all that follows.
    if (candidates.length === 0 || (id !== undefined && handoff.answered.has(id))) return handOver();
    const { out } = candidates[0].exchange[position++];
    if (id !== undefined && out !== null) {
      process.stdout.write(`{"jsonrpc":"2.0","id":${id},${out.slice(1)}\n`);
      handoff.answered.set(id, out);
    }
    candidates = candidates.filter((record) => record.exchange.length > position);
    if (candidates.length === 0) handOver(); // the opening is answered: now the core
  };

  process.stdin.on('data', (chunk: Buffer) => {
    input.write(chunk);
    if (!answering) return;
    for (const line of lines.push(chunk)) {
      take(line);
      if (!answering) return;
    }
    if (lines.overflow) handOver();
  });
  process.stdin.on('end', () => {
    input.end();
    handOver();
  });
  process.stdin.on('error', (error) => {
    input.destroy(error);
    handOver();
  });
}
