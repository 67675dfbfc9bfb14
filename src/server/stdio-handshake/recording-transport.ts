import { PassThrough, Writable, type Readable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import {
  canonicalMessage,
  fitsInputs,
  inputsDigest,
  INPUT_ENV_BEYOND_SETTINGS,
  LineSplitter,
  MAX_EXCHANGES,
  MAX_RECORDS,
  newSalt,
  parseMessage,
  RECORDABLE_METHODS,
  recordFileFor,
  writeRecords,
  type Exchange,
  type FrontHandoff,
  type HandshakeRecord,
} from './record';

// The real server's side of the recorded opening (see record.ts): it records this session's opening
// as it answers it, and of the answers the front already gave it sends none again, but compares
// each with its own. A difference (the record no longer fits) is announced as a list change, so the
// client asks again, and the record is written anew.

/** After the last answer of an opening this long, the opening is taken as over and written. */
const SAVE_AFTER_MS = 1000;

const LIST_CHANGED: Record<string, string> = {
  'tools/list': 'notifications/tools/list_changed',
  'prompts/list': 'notifications/prompts/list_changed',
  'resources/templates/list': 'notifications/resources/list_changed',
};

interface Entry extends Exchange {
  method: string;
  /** JSON of the request's id while its answer is awaited. */
  awaiting?: string;
}

class OpeningRecorder {
  readonly #entries: Entry[] = [];
  readonly #lines = new LineSplitter();
  #recording = true;
  #saved = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly handoff: FrontHandoff,
    private readonly settingKeys: readonly string[],
    private readonly dataDir: string,
  ) {
    process.once('exit', () => this.save());
  }

  /** The client's bytes, before the server reads them. */
  inbound(chunk: Buffer): void {
    if (!this.#recording) return;
    for (const line of this.#lines.push(chunk)) {
      const message = parseMessage(line);
      const method = message?.method;
      if (!message || typeof method !== 'string' || !RECORDABLE_METHODS.has(method) || this.#entries.length >= MAX_EXCHANGES) {
        this.#recording = false; // the opening is over: a call, a read of the fleet, or a client's answer
        this.save();
        return;
      }
      this.#entries.push({ method, in: canonicalMessage(message), out: null, awaiting: message.id !== undefined ? JSON.stringify(message.id) : undefined });
    }
    if (this.#lines.overflow) this.#recording = false;
  }

  /**
   * The server's message on its way out: recorded if it answers the opening; `drop` when the front
   * already gave this answer, with the list change to announce if its answer was not this one.
   */
  outbound(message: JSONRPCMessage): { drop: boolean; announce?: string } {
    const response = message as { id?: unknown; method?: unknown; result?: unknown; error?: unknown };
    if (response.id === undefined || response.method !== undefined) return { drop: false };
    const id = JSON.stringify(response.id);
    const out = JSON.stringify(response.error !== undefined ? { error: response.error } : { result: response.result });
    const entry = this.#entries.find((e) => e.awaiting === id);
    if (entry) {
      entry.out = out;
      entry.awaiting = undefined;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.save(), SAVE_AFTER_MS).unref();
    }
    const given = this.handoff.answered.get(id);
    if (given === undefined) return { drop: false };
    this.handoff.answered.delete(id);
    if (given === out) return { drop: true };
    process.stderr.write(`mcp: the recorded opening no longer fits (${entry?.method ?? 'an answer'} differs); announcing the change and recording it anew\n`);
    return { drop: true, announce: entry && LIST_CHANGED[entry.method] };
  }

  /** Writes the opening answered so far, unless the records already hold it. */
  save(): void {
    const done = this.#entries.findIndex((e) => e.awaiting !== undefined);
    const exchange = this.#entries.slice(0, done < 0 ? undefined : done).map((e) => ({ in: e.in, out: e.out }));
    const text = JSON.stringify(exchange);
    if (exchange.length === 0 || text === this.#saved) return;
    this.#saved = text;
    const file = recordFileFor(this.handoff.bundle);
    if (!file) return;
    const { inputs } = this.handoff;
    const fits = (r: HandshakeRecord) => fitsInputs(r, inputs);
    const known = this.handoff.records.find((r) => fits(r) && r.dataDir === this.dataDir && JSON.stringify(r.exchange) === text);
    if (known) return;
    const salt = newSalt();
    const { digest, keys } = inputsDigest(inputs, salt, [...this.settingKeys, ...INPUT_ENV_BEYOND_SETTINGS]);
    const record = { salt, keys, digest, dataDir: this.dataDir, exchange };
    // The same client under the same inputs replaces its older record; other clients' stay.
    const others = this.handoff.records.filter((r) => !(fits(r) && r.exchange[0]?.in === exchange[0].in));
    this.handoff.records = [record, ...others].slice(0, MAX_RECORDS);
    writeRecords(file, this.handoff.records);
  }
}

/**
 * The stdio transport of a session the core serves: over what the front read when it answered from a
 * record, else over stdin; recording the opening when the front ran. `input` is what the session reads.
 */
export function openStdioTransport(handoff: FrontHandoff | undefined, settingKeys: readonly string[], dataDir: string): { transport: StdioServerTransport; input: Readable } {
  const source = handoff?.input ?? process.stdin;
  if (!handoff) return { transport: new StdioServerTransport(source, process.stdout), input: source };
  const recorder = new OpeningRecorder(handoff, settingKeys, dataDir);
  // The recorder sees each chunk first; the transport reads the same bytes from its own stream.
  const input = new PassThrough();
  source.on('data', (chunk: Buffer) => {
    recorder.inbound(chunk);
    input.write(chunk);
  });
  source.once('end', () => input.end());
  source.once('error', (error) => input.destroy(error));
  const transport = new StdioServerTransport(input, process.stdout);
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    const { drop, announce } = recorder.outbound(message);
    if (!drop) return send(message);
    if (announce) await send({ jsonrpc: '2.0', method: announce });
  };
  return { transport, input };
}

/**
 * Where a bridged session writes the owner's lines for the client: stdout, less the answers the front
 * already gave (an owner that appeared while the bundle loaded answers the opening again).
 */
export function clientOutput(handoff: FrontHandoff | undefined): NodeJS.WritableStream {
  if (!handoff || handoff.answered.size === 0) return process.stdout;
  const lines = new LineSplitter(Infinity);
  let filtering = true;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!filtering) return void process.stdout.write(chunk, () => done());
      for (const line of lines.push(chunk)) {
        const id = parseMessage(line)?.id;
        if (id === undefined || !handoff.answered.delete(JSON.stringify(id))) process.stdout.write(line + '\n');
      }
      if (handoff.answered.size === 0) {
        // Every answer given again is dropped: from here the owner's bytes pass as they are.
        filtering = false;
        process.stdout.write(lines.takePending());
      }
      done();
    },
  });
}
