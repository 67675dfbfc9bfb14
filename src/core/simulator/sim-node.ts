import http from 'node:http';
import net from 'node:net';
import ssh2 from 'ssh2';

const { Server: SshServer, utils: sshUtils } = ssh2; // CommonJS package: no named ESM exports

export const SIM_BEHAVIOURS = ['healthy', 'slow', 'refusing', 'hanging', 'slowloris', 'http_5xx', 'reset', 'tls_mismatch', 'flapping', 'outage'] as const;
export type SimBehaviour = (typeof SIM_BEHAVIOURS)[number];

export interface SimNodeSpec {
  ip: string;
  /** How the fleet finds this node: its IP unless several nodes share one (the single-address demo). */
  name?: string;
  http_port?: number;
  tcp_port?: number;
  ssh_port?: number;
  behaviour: SimBehaviour;
  /** `slow`: delay before answering. */
  slow_ms?: number;
  /** `flapping`: time up, then the same time down, repeating. */
  flap_period_ms?: number;
  /** `outage`: down from `down_at_ms` until `up_at_ms` after start. */
  down_at_ms?: number;
  up_at_ms?: number;
  /** OpenSSH private host key; the demo keeps one in its data dir so pinned keys stay valid across runs. */
  ssh_host_key?: string;
}

let sharedHostKey: string | undefined;
/** An ed25519 host key that ssh2 itself can parse: about 1 in 1,500 of its generated keys it calls malformed. */
export function generatedHostKey(): string {
  for (let attempt = 0; !sharedHostKey && attempt < 20; attempt++) {
    const key = sshUtils.generateKeyPairSync('ed25519').private;
    if (!(sshUtils.parseKey(key) instanceof Error)) sharedHostKey = key;
  }
  if (!sharedHostKey) throw new Error('could not generate an SSH host key that ssh2 parses');
  return sharedHostKey;
}

/** What a simulated node answers to every command: it has no shell, and says so. */
export const SIMULATED_SSH_NOTICE = 'simulated demo node: nothing runs here (the demo fleet has no real machines)';
export const SIMULATED_EXIT_CODE = 126;

/** The command as the operator typed it, without the runner's process-group wrapper. */
const unwrapCommand = (command: string): string => {
  const wrapped = /exec \/bin\/sh -c '((?:[^']|'\\'')*)'$/.exec(command);
  return wrapped ? wrapped[1].replace(/'\\''/g, "'") : command;
};

/**
 * One simulated machine on its own loopback address: HTTP, plain TCP and SSH endpoints that behave
 * as chosen. "Down" closes the listeners and drops open connections, so probes see a real refusal.
 */
export class SimNode {
  #behaviour: SimBehaviour;
  #up = true;
  readonly #sockets = new Set<net.Socket>();
  readonly #servers: Array<{ server: net.Server; port: number }> = [];
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(readonly spec: SimNodeSpec) {
    this.#behaviour = spec.behaviour;
  }

  get behaviour(): SimBehaviour {
    return this.#behaviour;
  }

  get up(): boolean {
    return this.#up && this.#behaviour !== 'refusing';
  }

  async start(): Promise<void> {
    const { http_port, tcp_port, ssh_port } = this.spec;
    if (http_port) this.#servers.push({ server: this.#httpServer(), port: http_port });
    // The demo's TCP probe and SSH share a port: the SSH server answers both.
    if (tcp_port && tcp_port !== ssh_port) this.#servers.push({ server: net.createServer(() => {}), port: tcp_port });
    if (ssh_port) this.#servers.push({ server: this.#sshServer(), port: ssh_port });
    for (const { server } of this.#servers) {
      server.on('connection', (socket: net.Socket) => this.#accept(socket));
    }
    await this.setBehaviour(this.#behaviour);
  }

  async setBehaviour(behaviour: SimBehaviour): Promise<void> {
    this.#behaviour = behaviour;
    for (const timer of this.#timers.splice(0)) clearTimeout(timer);
    if (behaviour === 'flapping') {
      const period = this.spec.flap_period_ms ?? 1000;
      let up = true;
      const flip = async (): Promise<void> => {
        up = !up;
        await this.#setUp(up);
        this.#timers.push(setTimeout(flip, period));
      };
      this.#timers.push(setTimeout(flip, period));
      await this.#setUp(true);
    } else if (behaviour === 'outage') {
      await this.#setUp(true);
      this.#timers.push(setTimeout(() => void this.#setUp(false), this.spec.down_at_ms ?? 0));
      if (this.spec.up_at_ms !== undefined) this.#timers.push(setTimeout(() => void this.#setUp(true), this.spec.up_at_ms));
    } else {
      await this.#setUp(behaviour !== 'refusing');
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearTimeout(timer);
    await this.#setUp(false);
  }

  #accept(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    if (this.#behaviour === 'reset') socket.resetAndDestroy();
  }

  async #setUp(up: boolean): Promise<void> {
    this.#up = up;
    if (!up) for (const socket of this.#sockets) socket.destroy();
    await Promise.all(
      this.#servers.map(({ server, port }) =>
        up === server.listening
          ? undefined
          : new Promise<void>((resolve, reject) => {
              if (!up) server.close(() => resolve());
              else {
                server.once('error', reject);
                server.listen({ host: this.spec.ip, port }, () => {
                  server.off('error', reject);
                  resolve();
                });
              }
            }),
      ),
    );
  }

  #httpServer(): net.Server {
    const server = http.createServer((req, res) => {
      switch (this.#behaviour) {
        case 'hanging':
          return; // accepted, never answers
        case 'http_5xx':
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}');
          return;
        case 'slowloris': {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 100_000 });
          const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('.')), 200);
          res.on('close', () => clearInterval(drip));
          return;
        }
        case 'slow':
          setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), this.spec.slow_ms ?? 300);
          return;
        default:
          res.writeHead(200, { 'content-type': 'application/json' }).end(`{"status":"ok","node":"${this.spec.ip}"}`);
      }
    });
    server.keepAliveTimeout = 65_000;
    // tls_mismatch: the port answers plain bytes to whoever connects, which breaks a TLS handshake.
    server.prependListener('connection', (socket: net.Socket) => {
      if (this.#behaviour === 'tls_mismatch') socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    return server;
  }

  #sshServer(): net.Server {
    // A real SSH handshake; any login is accepted (loopback only), and every command or shell gets an
    // honest "simulated" answer at once, so metrics and commands on demo nodes fail clearly, never hang.
    const ssh = new SshServer({ hostKeys: [this.spec.ssh_host_key ?? generatedHostKey()] }, (client) => {
      client.on('error', () => {});
      client.on('authentication', (ctx) => ctx.accept());
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('error', () => {});
        const answer = (channel: import('ssh2').ServerChannel, what: string): void => {
          channel.on('error', () => {});
          channel.stderr.write(`${SIMULATED_SSH_NOTICE}; ${what} did not run\n`);
          channel.exit(SIMULATED_EXIT_CODE);
          channel.end();
        };
        session.on('exec', (accept, _reject, info) => answer(accept(), `"${unwrapCommand(info.command).slice(0, 80)}"`));
        session.on('shell', (accept) => answer(accept(), 'the shell'));
        session.on('pty', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
      });
    });
    // ssh2's Server wraps a net.Server; hand out the inner one so listen/close work like the others.
    // The wrapper re-emits the inner server's errors (EADDRINUSE at listen): the inner one's listener
    // reports them, and this one keeps them from being unhandled.
    ssh.on('error', () => {});
    return (ssh as unknown as { _srv: net.Server })._srv;
  }
}
