import net from 'node:net';

/** Sends bytes as they are (no client normalises them) and reads the answer until the server closes or answers in full. */
export function rawHttp(base: string, request: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    const finish = () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), headers: head, body: rest.join('\r\n\r\n') });
      socket.destroy();
    };
    socket.on('data', (chunk) => {
      data += chunk;
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      const bodyAt = data.indexOf('\r\n\r\n');
      if (length && bodyAt >= 0 && Buffer.byteLength(data.slice(bodyAt + 4)) >= Number(length)) finish();
    });
    socket.on('end', finish);
    socket.on('error', reject);
  });
}
