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

type Shape = 'disc' | 'ring' | 'triangle' | 'octagon';

/** Whether the point (x, y), in units of the icon's size centred on 0, lies inside the shape. */
function inside(shape: Shape, x: number, y: number): boolean {
  const r = 0.42;
  const d = Math.hypot(x, y);
  switch (shape) {
    case 'disc':
      return d <= r;
    case 'ring':
      return d <= r && d >= r * 0.55;
    case 'triangle': // warning: apex up
      return y >= -0.42 && y <= 0.36 && Math.abs(x) <= ((y + 0.42) / 0.78) * 0.45;
    case 'octagon': // stop sign
      return Math.abs(x) <= 0.4 && Math.abs(y) <= 0.4 && Math.abs(x) + Math.abs(y) <= 0.56;
  }
}

/** pHYs: pixels per metre. macOS reads a @2x image as Retina only with its 144-dpi mark (docs/api/tray.md, native-image.md). */
const DPI_72 = 2835;
const DPI_144 = 5669;
function physical(pixelsPerMetre: number): Buffer {
  const data = Buffer.alloc(9);
  data.writeUInt32BE(pixelsPerMetre, 0);
  data.writeUInt32BE(pixelsPerMetre, 4);
  data[8] = 1; // unit: metre
  return chunk('pHYs', data);
}

/** RGBA PNG of a shape, anti-aliased by 4× supersampling; `retina` marks it 144 dpi. */
function draw(size: number, [r, g, b]: readonly number[], shape: Shape, retina = false): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (inside(shape, (x + (sx + 0.5) / 4) / size - 0.5, (y + (sy + 0.5) / 4) / size - 0.5)) cover++;
      row.set([r, g, b, Math.round((cover / 16) * 255)], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), physical(retina ? DPI_144 : DPI_72), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A Windows .ico holding PNG images (Vista and later), as Windows recommends for tray icons (docs/api/tray.md). */
function ico(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size % 256; // 0 means 256
    entry[1] = size % 256;
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

const out = path.resolve('resources');
fs.mkdirSync(out, { recursive: true });
// macOS draws template images as a mask (alpha only), so each state needs its own shape there.
const TEMPLATE_SHAPES: Record<keyof typeof COLOURS, Shape> = { green: 'disc', amber: 'triangle', red: 'octagon', grey: 'ring' };
for (const [name, rgb] of Object.entries(COLOURS) as Array<[keyof typeof COLOURS, readonly number[]]>) {
  fs.writeFileSync(path.join(out, `tray-${name}.png`), draw(16, rgb, 'disc'));
  fs.writeFileSync(path.join(out, `tray-${name}@2x.png`), draw(32, rgb, 'disc', true));
  fs.writeFileSync(path.join(out, `tray-${name}Template.png`), draw(16, [0, 0, 0], TEMPLATE_SHAPES[name]));
  fs.writeFileSync(path.join(out, `tray-${name}Template@2x.png`), draw(32, [0, 0, 0], TEMPLATE_SHAPES[name], true));
  fs.writeFileSync(path.join(out, `tray-${name}.ico`), ico([16, 24, 32].map((size) => ({ size, png: draw(size, rgb, 'disc') }))));
}
fs.writeFileSync(path.join(out, 'icon.png'), draw(512, COLOURS.green, 'disc'));
console.log(`icons written to ${out}`);
