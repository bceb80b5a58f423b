// node make-fixtures.mjs in.png out-prefix: writes out-prefix.ppm (RGB) and out-prefix.y4m
// (I420, BT.601 limited range, 30 fps, one frame; Chromium's fake camera repeats it).
import { readFileSync, writeFileSync } from 'node:fs';
import { decodePng } from './png.mjs';

const [input, prefix] = process.argv.slice(2);
const { width, height, rgb } = decodePng(readFileSync(input));
writeFileSync(`${prefix}.ppm`, Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`), rgb]));

if (width % 2 || height % 2) throw new Error('the Y4M fixture needs even dimensions');
const cw = width / 2,
  ch = height / 2;
const y = Buffer.alloc(width * height),
  u = Buffer.alloc(cw * ch),
  v = Buffer.alloc(cw * ch);
const clamp = (x) => Math.max(0, Math.min(255, Math.round(x)));
for (let i = 0; i < width * height; i++) {
  const r = rgb[3 * i],
    g = rgb[3 * i + 1],
    b = rgb[3 * i + 2];
  y[i] = clamp(16 + 0.256788 * r + 0.504129 * g + 0.097906 * b);
}
for (let j = 0; j < ch; j++) {
  for (let i = 0; i < cw; i++) {
    let r = 0,
      g = 0,
      b = 0;
    for (const [dx, dy] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      const k = 3 * ((2 * j + dy) * width + 2 * i + dx);
      r += rgb[k] / 4;
      g += rgb[k + 1] / 4;
      b += rgb[k + 2] / 4;
    }
    u[j * cw + i] = clamp(128 - 0.148223 * r - 0.290993 * g + 0.439216 * b);
    v[j * cw + i] = clamp(128 + 0.439216 * r - 0.367788 * g - 0.071427 * b);
  }
}
const header = `YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`;
writeFileSync(`${prefix}.y4m`, Buffer.concat([Buffer.from(header), Buffer.from('FRAME\n'), y, u, v]));
console.log(`fixtures: ${prefix}.ppm and ${prefix}.y4m (${width}x${height})`);
