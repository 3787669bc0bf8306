// check_originals.mjs: the viewer's full-quality mode (viewer_bundle/web/VIEWER/DCMREAD.JS and
// its decoders) in headless chromium and firefox-esr, from file:// with file:// restrictions
// on. DICOM files are made here with bs_make_instances and DCMTK's command line tools, picked
// through a webkitdirectory <input>, rendered into a canvas, and the grey values read back
// must be what the DICOM linear VOI function predicts from the known pixel pattern, for two
// windows; damaged files must be rejected with a message, quickly.
//
// usage: node check_originals.mjs <bs_make_instances> [chromium|firefox ...]
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.error(`FAIL: puppeteer-core is not installed: run "npm ci" in ${here}`);
  process.exit(1);
}

const makeInstances = process.argv[2];
const browsers = process.argv.length > 3 ? process.argv.slice(3) : ['chromium', 'firefox'];
if (!makeInstances || !fs.existsSync(makeInstances)) {
  console.error('usage: node check_originals.mjs <path of bs_make_instances> [chromium|firefox ...]');
  process.exit(2);
}

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

function withDeadline(promise, seconds, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${seconds} s`)), seconds * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- test data

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-originals-'));
const scratch = path.join(work, 'scratch');
const series = path.join(work, 'DISC', 'DICOM', 'PA000001', 'ST000001', 'SE000001');
fs.mkdirSync(scratch, {recursive: true});
fs.mkdirSync(series, {recursive: true});

const ROWS = 96, COLUMNS = 128;  // not square: a swapped row/column shows

function run(tool, args) {
  execFileSync(tool, args, {stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000});
}

// One instance from the factory into its own folder; returns its path.
function make(name, extra) {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  run(makeInstances, ['--out', dir, '--rows', String(ROWS), '--columns', String(COLUMNS), ...extra]);
  const files = fs.readdirSync(dir);
  if (files.length !== 1) throw new Error(`bs_make_instances wrote ${files.length} files for ${name}`);
  return path.join(dir, files[0]);
}

function place(name, source) {
  fs.copyFileSync(source, path.join(series, name));
}

// The factory's CT pattern (tests/support/dicom_factory.cpp, seed 0): 12-bit stored values
// (x*3 + y*7) & 0xfff, Rescale Intercept -1024; signed: the stored value minus 2048.
// 8-bit: (x + y*3) & 0xff.
const hu = {
  unsigned12: (x, y) => ((x * 3 + y * 7) & 0xfff) - 1024,
  signed12: (x, y) => ((x * 3 + y * 7) & 0xfff) - 2048 - 1024,
  unsigned8: (x, y) => ((x + y * 3) & 0xff) - 1024,
  j2kLossy: (x, y) => j2kLossy.readUInt16LE(2 * (y * COLUMNS + x)) - 1024,
  frame: (k) => (x, y) => ((x * 3 + (y + k * ROWS) * 7) & 0xfff) - 2048 - 1024,
};

const signedLe = make('signed', ['--signed', '1']);
const unsignedLe = make('unsigned', []);
const eightBit = make('eight', ['--bits', '8']);
place('IM000001', signedLe);
run('dcmconv', ['+ti', signedLe, path.join(series, 'IM000002')]);
place('IM000003', make('sv1', ['--signed', '1', '--transfer-syntax', '1.2.840.10008.1.2.4.70']));
run('dcmcjpeg', ['+ee', unsignedLe, path.join(series, 'IM000004')]);
run('dcmcjpeg', ['+eb', eightBit, path.join(series, 'IM000005')]);
place('IM000006', make('rle', ['--signed', '1', '--transfer-syntax', '1.2.840.10008.1.2.5']));
place('IM000007', make('jls', ['--transfer-syntax', '1.2.840.10008.1.2.4.80']));
// The factory cannot encode these: it writes one fragment of synthetic bytes.
place('IM000026', make('mpeg', ['--transfer-syntax', '1.2.840.10008.1.2.4.100']));
place('IM000027', make('j2kjunk', ['--transfer-syntax', '1.2.840.10008.1.2.4.90']));

// JPEG 2000 (the J2K profiles): DCMTK has no JPEG 2000 encoder; FFmpeg's encodes the factory's
// pixels (lossless with the 5/3 wavelet) and the code stream is put into the DICOM file here.
function encapsulate(part10, transferSyntax, codestream) {
  let p = 132;
  const meta = [];
  while (part10.readUInt16LE(p) === 0x0002) {
    const element = part10.readUInt16LE(p + 2), vr = part10.toString('latin1', p + 4, p + 6);
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT', 'UC', 'UR'].includes(vr);
    const length = long ? part10.readUInt32LE(p + 8) : part10.readUInt16LE(p + 6);
    const value = p + (long ? 12 : 8);
    if (element !== 0x0000) meta.push({element, vr, long, value: part10.subarray(value, value + length)});
    p = value + length;
  }
  const pixelAt = part10.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]), p);
  let uid = Buffer.from(transferSyntax, 'latin1');
  if (uid.length % 2) uid = Buffer.concat([uid, Buffer.from([0])]);
  const header = (element, vr, long, length) => {
    const b = Buffer.alloc(long ? 12 : 8);
    b.writeUInt16LE(0x0002, 0);
    b.writeUInt16LE(element, 2);
    b.write(vr, 4, 'latin1');
    if (long) b.writeUInt32LE(length, 8);
    else b.writeUInt16LE(length, 6);
    return b;
  };
  const group = Buffer.concat(meta.map((m) => {
    const value = m.element === 0x0010 ? uid : m.value;
    return Buffer.concat([header(m.element, m.vr, m.long, value.length), value]);
  }));
  const groupLength = Buffer.concat([header(0x0000, 'UL', false, 4), Buffer.alloc(4)]);
  groupLength.writeUInt32LE(group.length, 8);
  const item = (bytes) => {
    const h = Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0]);
    const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes;
    h.writeUInt32LE(padded.length, 4);
    return Buffer.concat([h, padded]);
  };
  return Buffer.concat([
    part10.subarray(0, 132), groupLength, group, part10.subarray(p, pixelAt),
    Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    item(Buffer.alloc(0)), item(codestream), Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0])]);
}
function makeJ2k(name, source, transferSyntax, wavelet) {
  const pixels = fs.readFileSync(source).subarray(-ROWS * COLUMNS * 2);
  const raw = path.join(scratch, `${name}.raw`), j2k = path.join(scratch, `${name}.j2k`);
  fs.writeFileSync(raw, pixels);
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray16le',
                 '-s', `${COLUMNS}x${ROWS}`, '-i', raw, '-c:v', 'jpeg2000', '-pred', wavelet,
                 '-format', 'j2k', '-frames:v', '1', '-f', 'image2', '-update', '1', j2k]);
  fs.writeFileSync(path.join(series, name), encapsulate(fs.readFileSync(source), transferSyntax, fs.readFileSync(j2k)));
  // FFmpeg's own decoding of the code stream: the reference for the lossy case.
  const back = path.join(scratch, `${name}.back`);
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', j2k, '-f', 'rawvideo', '-pix_fmt', 'gray16le', back]);
  return fs.readFileSync(back);
}
makeJ2k('IM000014', signedLe, '1.2.840.10008.1.2.4.90', 'dwt53');  // reversible: lossless
const j2kLossy = makeJ2k('IM000015', unsignedLe, '1.2.840.10008.1.2.4.91', 'dwt97int');  // irreversible

// Multi-frame (3 frames; the factory's pattern continues over the frames' rows), native and
// JPEG lossless (one fragment per frame, Basic Offset Table filled).
place('IM000016', make('multi', ['--signed', '1', '--frames', '3']));
place('IM000017', make('multisv1', ['--signed', '1', '--frames', '3', '--transfer-syntax', '1.2.840.10008.1.2.4.70']));
// The object's own window; MONOCHROME1; Explicit VR Big Endian; Deflated.
function modified(name, args) {
  const out = path.join(series, name);
  fs.copyFileSync(signedLe, out);
  run('dcmodify', ['-nb', ...args, out]);
}
modified('IM000018', ['-i', '(0028,1050)=-2500\\40', '-i', '(0028,1051)=900\\400']);
modified('IM000019', ['-m', '(0028,0004)=MONOCHROME1']);
run('dcmconv', ['+tb', signedLe, path.join(series, 'IM000020')]);
run('dcmconv', ['+td', signedLe, path.join(series, 'IM000021')]);

// Colour: a JPEG (4:2:0, JFIF) made by FFmpeg, red left and green right, wrapped by img2dcm as
// JPEG Baseline YBR_FULL_422.
{
  const jpg = path.join(scratch, 'colour.jpg');
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i',
                 `color=c=0xFF0000:s=${COLUMNS}x${ROWS},drawbox=x=${COLUMNS / 2}:y=0:w=${COLUMNS / 2}:h=${ROWS}:color=0x20C040:t=fill`,
                 '-frames:v', '1', '-q:v', '2', jpg]);
  run('img2dcm', [jpg, path.join(series, 'IM000022')]);
}

// Enhanced-style: rescale, window and pixel spacing only in the functional groups (shared:
// intercept -1024, window -2800/700, spacing 0.5/0.7; frame 3: intercept -524); then the same
// in Implicit VR with sequences and items of undefined length.
{
  const multi = path.join(series, 'IM000016'), enhanced = path.join(series, 'IM000023');
  fs.copyFileSync(multi, enhanced);
  const shared = '(5200,9229)[0]', third = '(5200,9230)[2]';
  run('dcmodify', ['-nb', '-e', '(0028,1052)', '-e', '(0028,1053)',
                   '-i', `${shared}.(0028,9145)[0].(0028,1052)=-1024`, '-i', `${shared}.(0028,9145)[0].(0028,1053)=1`,
                   '-i', `${shared}.(0028,9132)[0].(0028,1050)=-2800`, '-i', `${shared}.(0028,9132)[0].(0028,1051)=700`,
                   '-i', `${shared}.(0028,9110)[0].(0028,0030)=0.5\\0.7`,
                   '-i', `${third}.(0028,9145)[0].(0028,1052)=-524`, '-i', `${third}.(0028,9145)[0].(0028,1053)=1`,
                   enhanced]);
  run('dcmconv', ['+ti', '-e', enhanced, path.join(series, 'IM000024')]);
}

// PALETTE COLOR: the 8-bit pattern through a 256-entry, 16-bit palette: red = index,
// green = 255 - index, blue = 128 (high bytes).
{
  const palette = path.join(series, 'IM000025');
  fs.copyFileSync(eightBit, palette);
  // dcmodify reads OW values as hexadecimal numbers.
  const lut = (f) => Array.from({length: 256}, (_, i) => (f(i) * 256).toString(16)).join('\\');
  run('dcmodify', ['-nb', '-m', '(0028,0004)=PALETTE COLOR', '-e', '(0028,1052)', '-e', '(0028,1053)',
                   '-i', '(0028,1101)=256\\0\\16', '-i', '(0028,1102)=256\\0\\16', '-i', '(0028,1103)=256\\0\\16',
                   '-i', `(0028,1201)=${lut((i) => i)}`, '-i', `(0028,1202)=${lut((i) => 255 - i)}`,
                   '-i', `(0028,1203)=${lut(() => 128)}`, palette]);
}

// DCMTK's own decoding of a lossy JPEG file: the reference the viewer's decoder must match.
function dcmtkDecoded(name) {
  const out = path.join(scratch, `${name}.decoded`);
  run('dcmdjpeg', [path.join(series, name), out]);
  const dump = execFileSync('dcmdump', ['+P', '0028,1052', '+P', '0028,0100', out], {encoding: 'latin1'});
  const intercept = Number(/\(0028,1052\) DS \[([^\]]*)\]/.exec(dump)[1]);
  const bytes = Number(/\(0028,0100\) US (\d+)/.exec(dump)[1]) / 8;
  const pixels = fs.readFileSync(out).subarray(-ROWS * COLUMNS * bytes);
  return (x, y) => (bytes === 1 ? pixels[y * COLUMNS + x] : pixels.readUInt16LE(2 * (y * COLUMNS + x))) + intercept;
}

// Damaged files made from the signed Explicit VR file.
const good = fs.readFileSync(signedLe);
fs.writeFileSync(path.join(series, 'IM000008'), good.subarray(0, good.length - 3000));  // truncated in the pixels
fs.writeFileSync(path.join(series, 'IM000009'), good.subarray(0, 400));  // truncated in the header
{
  // Pixel Data (7FE0,0010) OW claims 0xFFFFFFF0 bytes.
  const absurd = Buffer.from(good);
  const at = absurd.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]));
  if (at < 0) throw new Error('no Pixel Data element in the test file');
  absurd.writeUInt32LE(0xfffffff0, at + 8);
  fs.writeFileSync(path.join(series, 'IM000010'), absurd);
  // Patient's Name (0010,0010) PN claims 65000 bytes in a file of a few KB.
  const name = Buffer.from(good);
  const pn = name.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
  if (pn < 0) throw new Error("no Patient's Name element in the test file");
  name.writeUInt16LE(65000, pn + 6);
  fs.writeFileSync(path.join(series, 'IM000011'), name);
  // An undefined-length sequence that never ends, with a nested item of undefined length.
  const pixelAt = good.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57]));
  const open = Buffer.from([0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff,
                            0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
  const element = Buffer.from([0x08, 0x00, 0x00, 0x01, 0x53, 0x48, 4, 0, 0x41, 0x42, 0x43, 0x44]);
  fs.writeFileSync(path.join(series, 'IM000012'),
                   Buffer.concat([good.subarray(0, pixelAt), open, ...Array(300).fill(element)]));
}
fs.writeFileSync(path.join(series, 'IM000013'), Buffer.from('not a DICOM file at all'));

const jpegExtended = dcmtkDecoded('IM000004'), jpegBaseline = dcmtkDecoded('IM000005');

// Known points: corners, centre, and a few inside.
const points = [[0, 0], [COLUMNS - 1, 0], [0, ROWS - 1], [COLUMNS - 1, ROWS - 1], [64, 48],
                [10, 90], [100, 5], [33, 77], [127, 50]];

// Lossy coding rings at the pattern's wrap-arounds: lossy cases are checked only at points
// whose 8x8 block neighbourhood holds no wrap.
function smooth(f, x, y) {
  for (let dy = -8; dy <= 8; dy++) for (let dx = -8; dx <= 8; dx++) {
    const nx = Math.min(COLUMNS - 1, Math.max(0, x + dx)), ny = Math.min(ROWS - 1, Math.max(0, y + dy));
    if (Math.abs(f(nx, ny) - f(x, y)) > 100) return false;
  }
  return true;
}

// DICOM linear VOI function, PS3.3 C.11.2.1.2.1, output range 0..255.
function voi(x, c, w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

function range(f) {
  let lo = Infinity, hi = -Infinity;
  for (let y = 0; y < ROWS; y++) for (let x = 0; x < COLUMNS; x++) {
    lo = Math.min(lo, f(x, y));
    hi = Math.max(hi, f(x, y));
  }
  return [lo, hi];
}

// Each image case: the pattern, two windows that spread its range differently, and the
// tolerance in grey levels (0: lossless).
const images = [
  {key: 'IM000001', what: 'Explicit VR LE, signed 16-bit', f: hu.signed12, tolerance: 0},
  {key: 'IM000002', what: 'Implicit VR LE, signed 16-bit', f: hu.signed12, tolerance: 0, syntax: /Implicit/},
  {key: 'IM000003', what: 'JPEG lossless SV1 (.70), signed', f: hu.signed12, tolerance: 0},
  {key: 'IM000004', what: 'JPEG extended 12-bit (.51), against the pattern', f: hu.unsigned12, tolerance: 2},
  {key: 'IM000004', what: 'JPEG extended 12-bit (.51), against DCMTK', f: jpegExtended, tolerance: 1},
  {key: 'IM000005', what: 'JPEG baseline 8-bit (.50), against the pattern', f: hu.unsigned8, tolerance: 3},
  {key: 'IM000005', what: 'JPEG baseline 8-bit (.50), against DCMTK', f: jpegBaseline, tolerance: 1},
  {key: 'IM000006', what: 'RLE lossless, signed', f: hu.signed12, tolerance: 0},
  {key: 'IM000014', what: 'JPEG 2000 lossless (.90), signed', f: hu.signed12, tolerance: 0},
  // Checked against FFmpeg's decoding of the same code stream.
  {key: 'IM000015', what: 'JPEG 2000 (.91, irreversible)', f: hu.j2kLossy, tolerance: 1},
  {key: 'IM000016', what: 'multi-frame native, frame 1', f: hu.frame(0), tolerance: 0, frames: 3},
  {key: 'IM000016', what: 'multi-frame native, frame 3', f: hu.frame(2), tolerance: 0, frame: 2, frames: 3},
  {key: 'IM000017', what: 'multi-frame JPEG lossless, frame 2', f: hu.frame(1), tolerance: 0, frame: 1, frames: 3},
  {key: 'IM000017', what: 'multi-frame JPEG lossless, frame 3', f: hu.frame(2), tolerance: 0, frame: 2, frames: 3},
  {key: 'IM000018', what: "the object's own window", f: hu.signed12, tolerance: 0, fileWindow: {center: -2500, width: 900}},
  {key: 'IM000023', what: 'functional groups, frame 1', f: hu.frame(0), tolerance: 0, frames: 3,
   fileWindow: {center: -2800, width: 700}, spacing: [0.5, 0.7]},
  {key: 'IM000023', what: 'functional groups, frame 3 (own intercept)', f: (x, y) => hu.frame(2)(x, y) + 500,
   tolerance: 0, frame: 2, frames: 3, fileWindow: {center: -2800, width: 700}, spacing: [0.5, 0.7]},
  {key: 'IM000024', what: 'functional groups, implicit VR, undefined lengths, frame 3',
   f: (x, y) => hu.frame(2)(x, y) + 500, tolerance: 0, frame: 2, frames: 3,
   fileWindow: {center: -2800, width: 700}, spacing: [0.5, 0.7], syntax: /Implicit/},
  {key: 'IM000019', what: 'MONOCHROME1', f: hu.signed12, tolerance: 0, invert: true},
  {key: 'IM000020', what: 'Explicit VR Big Endian', f: hu.signed12, tolerance: 0, syntax: /Big Endian/},
  {key: 'IM000021', what: 'Deflated Explicit VR LE', f: hu.signed12, tolerance: 0, syntax: /Deflated/},
];
for (const image of images) {
  const [lo, hi] = range(image.f);
  image.windows = [
    {center: (lo + hi) / 2, width: hi - lo + 1},
    {center: lo + (hi - lo) * 0.3, width: Math.max(2, Math.round((hi - lo) / 3))},
  ];
  image.minmax = [lo, hi];
}

const rejected = [
  {key: 'IM000007', what: 'JPEG-LS', expect: /JPEG-LS/},
  {key: 'IM000008', what: 'truncated in the pixel data', expect: /truncated|shorter/},
  {key: 'IM000009', what: 'truncated in the header', expect: /truncated|ends/},
  {key: 'IM000010', what: 'absurd Pixel Data length', expect: /claims|truncated|shorter/},
  {key: 'IM000011', what: "absurd Patient's Name length", expect: /claims|damaged/},
  {key: 'IM000012', what: 'sequence without end', expect: /no end/},
  {key: 'IM000013', what: 'not DICOM', expect: /not a DICOM/},
  {key: 'IM000026', what: 'MPEG-2 video', expect: /video/},
  {key: 'IM000027', what: 'JPEG 2000 fragment of junk', expect: /JPEG 2000/},
];

// ---------------------------------------------------------------- browsers

async function launch(name) {
  if (name === 'chromium') {
    return puppeteer.launch({
      browser: 'chrome', executablePath: '/usr/bin/chromium', headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
  return puppeteer.launch({
    browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true,
    extraPrefsFirefox: {'security.fileuri.strict_origin_policy': true},
  });
}

async function checkBrowser(name) {
  const browser = await withDeadline(launch(name), 60, `${name}: launch`);
  try {
    // A file:// page must not be able to fetch its siblings (the restrictions are on). Probed on
    // a page of its own: the blocked request logs an error there.
    const probe = await browser.newPage();
    await withDeadline(probe.goto(pathToFileURL(path.join(here, 'ORIGTEST.HTM')).href), 30, `${name}: open probe`);
    const fetched = await withDeadline(probe.evaluate(() =>
      fetch('package.json').then(() => 'fetched', () => 'blocked')), 10, `${name}: fetch probe`);
    check(fetched === 'blocked', `${name}: a file:// page could fetch a sibling file (restrictions off)`);
    await probe.close();

    const page = await browser.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const pageUrl = pathToFileURL(path.join(here, 'ORIGTEST.HTM')).href;
    await withDeadline(page.goto(pageUrl), 30, `${name}: open ORIGTEST.HTM`);

    // Pick the disc root with the folder picker: keys must start at DICOM/.
    const folder = await page.$('#folder');
    let keys = [];
    try {
      await withDeadline(folder.uploadFile(path.join(work, 'DISC')), 20, `${name}: pick folder`);
      await withDeadline(page.waitForFunction(() => document.title.startsWith('picked')), 10,
                         `${name}: folder change event`);
      keys = await page.evaluate(() => pickedKeys());
    } catch (e) {
      console.log(`${name}: picking a folder failed: ${e.message.split('\n')[0].slice(0, 120)}`);
    }
    const prefix = 'DICOM/PA000001/ST000001/SE000001/';
    if (!keys.includes(prefix + 'IM000001')) {
      // The browser's driver cannot pick a folder: feed the files through a plain input.
      console.log(`${name}: folder picker not driveable (keys: ${keys.slice(0, 3).join(', ')}); using a plain file input`);
      const files = await page.$('#files');
      await page.evaluate(() => { document.title = ''; });
      await withDeadline(files.uploadFile(...fs.readdirSync(series).map((f) => path.join(series, f))),
                         20, `${name}: pick files`);
      await withDeadline(page.waitForFunction(() => document.title.startsWith('picked')), 10,
                         `${name}: files change event`);
      keys = await page.evaluate(() => pickedKeys());
    } else {
      console.log(`${name}: folder picker gave ${keys.length} files, e.g. ${keys[0]}`);
    }
    const keyOf = (k) => (keys.includes(prefix + k) ? prefix + k : k);
    check(keys.length === fs.readdirSync(series).length, `${name}: index() gave ${keys.length} keys`);
    // index() keys start at DICOM/ whichever folder was picked (paths as a folder picker gives).
    const normalised = await page.evaluate(() => Array.from(window.BurnstationOriginals.index([
      {webkitRelativePath: 'DICOM/PA000001/ST000001/SE000001/IM000001', name: 'IM000001'},
      {webkitRelativePath: 'MyDisc/DICOM/PA000001/ST000001/SE000002/im000001', name: 'im000001'},
      {webkitRelativePath: 'DICOM/DICOM/PA000002/ST000001/SE000001/IM000001', name: 'IM000001'},
    ]).keys()));
    check(JSON.stringify(normalised) === JSON.stringify([
      'DICOM/PA000001/ST000001/SE000001/IM000001', 'DICOM/PA000001/ST000001/SE000002/IM000001',
      'DICOM/PA000002/ST000001/SE000001/IM000001']), `${name}: index() keys ${normalised}`);

    for (const image of images) {
      const pts = image.tolerance ? points.filter(([x, y]) => smooth(image.f, x, y)) : points;
    const expectedBy = (win) => pts.map(([x, y]) => {
      const grey = voi(image.f(x, y), win.center, win.width);
      return image.invert ? 255 - grey : grey;
    });
    const frame = image.frame || 0;
      const shown = [];
      for (const win of image.windows) {
        const r = await withDeadline(page.evaluate((k, f, w, p) => show(k, f, w, p), keyOf(image.key), frame, win, pts),
                                     20, `${name}: ${image.what}`);
        if (!check(r.ok, `${name}: ${image.what}: rejected: ${r.error}`)) break;
        check(r.size[0] === COLUMNS && r.size[1] === ROWS && r.result.rows === ROWS && r.result.columns === COLUMNS,
              `${name}: ${image.what}: size ${r.size} / ${r.result.columns}x${r.result.rows}`);
        check(r.result.center === win.center && r.result.width === win.width,
              `${name}: ${image.what}: window reported ${r.result.center}/${r.result.width}`);
        check(!image.syntax || image.syntax.test(r.result.transferSyntax),
              `${name}: ${image.what}: read as ${r.result.transferSyntax}`);
        check(JSON.stringify(r.result.pixelSpacing) === JSON.stringify(image.spacing || null),
              `${name}: ${image.what}: pixel spacing ${JSON.stringify(r.result.pixelSpacing)}`);
        check(r.result.frames === (image.frames || 1), `${name}: ${image.what}: ${r.result.frames} frames reported`);
        const expected = expectedBy(win);
        const worst = Math.max(...expected.map((e, i) => Math.abs(e - r.values[i])));
        check(worst <= image.tolerance,
              `${name}: ${image.what}, window ${win.center}/${win.width}: grey ${r.values} expected ${expected} (tolerance ${image.tolerance})`);
        shown.push(r.values);
      }
      if (shown.length === 2) {
        const moved = shown[0].filter((v, i) => Math.abs(v - shown[1][i]) > 2 * image.tolerance + 1).length;
        check(moved >= Math.min(3, pts.length), `${name}: ${image.what}: changing the window changed only ${moved} of the points`);
      }
      if (image.tolerance === 0) {
        // No window given: the file's first window, else min-max of the modality values.
        const r = await withDeadline(page.evaluate((k, f, p) => show(k, f, null, p), keyOf(image.key), frame, pts),
                                     20, `${name}: ${image.what} own window`);
        const [lo, hi] = image.minmax;
        const win = image.fileWindow || {center: lo + (hi - lo + 1) / 2, width: hi - lo + 1};
        if (check(r.ok, `${name}: ${image.what} (own window): rejected: ${r.error}`)) {
          check(r.result.center === win.center && r.result.width === win.width,
                `${name}: ${image.what}: min-max window ${r.result.center}/${r.result.width}, expected ${win.center}/${win.width}`);
          const expected = expectedBy(win);
          check(expected.every((e, i) => e === r.values[i]),
                `${name}: ${image.what} (min-max window): grey ${r.values} expected ${expected}`);
        }
      }
      check(pts.length >= 5, `${name}: ${image.what}: only ${pts.length} points to check`);
      console.log(`${name}: ${image.what}: checked at ${pts.length} points`);
    }

    {
      const colourPoints = [[10, 10], [40, 80], [COLUMNS - 10, 10], [COLUMNS - 40, 80]];
      const expected = [[255, 0, 0], [255, 0, 0], [0x20, 0xc0, 0x40], [0x20, 0xc0, 0x40]];
      const r = await withDeadline(page.evaluate((k, p) => show(k, 0, null, p), keyOf('IM000022'), colourPoints),
                                   20, `${name}: colour JPEG`);
      if (check(r.ok, `${name}: colour JPEG baseline: rejected: ${r.error}`)) {
        const worst = Math.max(...expected.flatMap((e, i) => e.map((v, c) => Math.abs(v - r.rgb[i][c]))));
        check(worst <= 8, `${name}: colour JPEG baseline: ${JSON.stringify(r.rgb)} expected ${JSON.stringify(expected)}`);
        check(r.result.photometric === 'YBR_FULL_422', `${name}: colour JPEG: photometric ${r.result.photometric}`);
        console.log(`${name}: colour JPEG baseline (YBR_FULL_422, 4:2:0): checked, worst ${worst}`);
      }
    }

    {
      const r = await withDeadline(page.evaluate((k, p) => show(k, 0, null, p), keyOf('IM000025'), points),
                                   20, `${name}: palette`);
      if (check(r.ok, `${name}: PALETTE COLOR: rejected: ${r.error}`)) {
        const expected = points.map(([x, y]) => {
          const index = (x + y * 3) & 0xff;
          return [index, 255 - index, 128];
        });
        check(JSON.stringify(r.rgb) === JSON.stringify(expected),
              `${name}: PALETTE COLOR: ${JSON.stringify(r.rgb)} expected ${JSON.stringify(expected)}`);
        console.log(`${name}: PALETTE COLOR: checked`);
      }
    }

    for (const bad of rejected) {
      const started = Date.now();
      const r = await withDeadline(page.evaluate((k) => show(k, 0, {center: 0, width: 100}, [[0, 0]]), keyOf(bad.key)),
                                   10, `${name}: ${bad.what}`);
      check(!r.ok, `${name}: ${bad.what}: was rendered`);
      if (!r.ok) {
        check(bad.expect.test(r.error), `${name}: ${bad.what}: message "${r.error}" does not match ${bad.expect}`);
        console.log(`${name}: ${bad.what}: rejected in ${Date.now() - started} ms: ${r.error}`);
      }
    }
    // A frame that does not exist.
    const r = await page.evaluate((k) => show(k, 5, null, [[0, 0]]), keyOf('IM000001'));
    check(!r.ok && /frame/.test(r.error), `${name}: frame 6 of a single-frame image: ${JSON.stringify(r)}`);

    check(consoleErrors.length === 0, `${name}: console errors: ${consoleErrors.join(' | ')}`);
  } finally {
    await browser.close();
  }
}

try {
  for (const name of browsers) await checkBrowser(name);
} catch (e) {
  failures.push(`error: ${e.message}`);
} finally {
  fs.rmSync(work, {recursive: true, force: true});
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('PASS');
