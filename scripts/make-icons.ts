// Draws the tray and app icons into resources/ (run once; the PNGs are committed):
// a filled circle per state colour at 16 px and @2x, macOS template images, and a 512 px app icon.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const COLOURS = { green: [46, 157, 79], amber: [217, 154, 0], red: [214, 69, 69], grey: [138, 144, 153] } as const;

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA PNG of a disc (optionally with a ring), anti-aliased by 4× supersampling. */
function disc(size: number, [r, g, b]: readonly number[], ring = false): Buffer {
  const rows: Buffer[] = [];
  const centre = size / 2;
  const radius = size * 0.42;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const d = Math.hypot(x + (sx + 0.5) / 4 - centre, y + (sy + 0.5) / 4 - centre);
          if (d <= radius && (!ring || d >= radius * 0.55)) cover++;
        }
      row.set([r, g, b, Math.round((cover / 16) * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const out = path.resolve('resources');
fs.mkdirSync(out, { recursive: true });
for (const [name, rgb] of Object.entries(COLOURS)) {
  fs.writeFileSync(path.join(out, `tray-${name}.png`), disc(16, rgb));
  fs.writeFileSync(path.join(out, `tray-${name}@2x.png`), disc(32, rgb));
  // Template images are black with alpha; macOS tints them. The state shows as filled vs ring.
  const ring = name === 'grey';
  fs.writeFileSync(path.join(out, `tray-${name}Template.png`), disc(16, [0, 0, 0], ring));
  fs.writeFileSync(path.join(out, `tray-${name}Template@2x.png`), disc(32, [0, 0, 0], ring));
}
fs.writeFileSync(path.join(out, 'icon.png'), disc(512, COLOURS.green));
console.log(`icons written to ${out}`);
