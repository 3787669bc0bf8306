// Writes a small synthetic volume in the layout of viewer_bundle/DESIGN.md, for testing the
// viewer and the web-page checks without the C++ side:
//   node make_fixture.mjs OUT [EXPECT_JSON]
// OUT gets VIEWER.HTM + VIEWER/ (copied from viewer_bundle/web), VIEWER/VOLUME.JS (Japanese
// patient name as \u escapes), a CT series of 5 images with P/L/B previews and T thumbnails
// (pixel spacing 0.5 mm, previews at half size), a 6-frame US instance, an SR, a PDF and an
// H.264 video, plus INDEX.HTM and IHE_PDI/ pages like the ones the station writes. Every image
// differs per image and per preset (ffmpeg testsrc frames, hue by preset) so a test can tell
// which one is shown. EXPECT_JSON (default OUT.expect.json) says what the volume holds, in the
// format check_viewer.mjs and check_web.mjs read.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '../../../viewer_bundle/web');

const argv = process.argv.slice(2);
let tier = 'full';
const tierAt = argv.indexOf('--tier');
if (tierAt >= 0) tier = argv.splice(tierAt, 2)[1];
const out = argv[0];
if (!out || !['full', 'thumbnails', 'none'].includes(tier)) {
  console.error('usage: node make_fixture.mjs OUT [EXPECT_JSON] [--tier full|thumbnails|none]');
  process.exit(2);
}
const expectFile = argv[1] || `${out.replace(/\/+$/, '')}.expect.json`;

const PATIENT_NAME = 'Yamada^Tarou=\u5c71\u7530^\u592a\u90ce';
const SR_TEXT = 'Findings: no focal lesion.\nImpression: normal study.\n\u6240\u898b\u306a\u3057';

function ffmpeg(args) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args],
               { stdio: ['ignore', 'inherit', 'inherit'], timeout: 60000 });
}

// `count` JPEGs PREFIX0000001.JPG.. of testsrc frames (each frame shows a different counter and
// pattern); hue shifts per preset so P, L and B of the same image differ.
function jpegs(dir, prefix, count, size, hue) {
  ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`, '-frames:v', String(count),
          '-vf', `hue=h=${hue}`, '-q:v', '4', path.join(dir, `${prefix}%07d.JPG`)]);
}

function copyTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name), dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

// JSON with every non-ASCII character as a \u escape (file:// gives scripts no charset).
function asciiJson(value) {
  return JSON.stringify(value, null, 1).replace(/[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function xmlEscape(t) {
  return String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

// An XHTML page as IHE PDI wants it: no script. Non-ASCII as character references.
function xhtml(title, body) {
  const ascii = (s) => s.replace(/[\u007f-\uffff]/g, (c) => `&#${c.charCodeAt(0)};`);
  return ascii('<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" ' +
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    `<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />` +
    `<title>${xmlEscape(title)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`);
}

fs.rmSync(out, { recursive: true, force: true });
copyTree(webDir, out);
const pdi = path.join(out, 'IHE_PDI');

// Series 1: CT, 5 images, 512 columns x 400 rows, previews 256 x 200.
const ct = path.join(pdi, 'S0000001');
fs.mkdirSync(ct, { recursive: true });
jpegs(ct, 'P', 5, '256x200', 0);
jpegs(ct, 'L', 5, '256x200', 120);
jpegs(ct, 'B', 5, '256x200', 240);
jpegs(ct, 'T', 5, '128x100', 0);
fs.copyFileSync(path.join(ct, 'T0000003.JPG'), path.join(ct, 'THUMB.JPG'));

// Series 2: US, one instance of 6 frames, 640 x 480, previews 320 x 240.
const us = path.join(pdi, 'S0000002');
fs.mkdirSync(us, { recursive: true });
jpegs(us, 'P', 6, '320x240', 60);
jpegs(us, 'T', 6, '128x96', 60);
fs.copyFileSync(path.join(us, 'T0000001.JPG'), path.join(us, 'THUMB.JPG'));

// Series 4: a PDF (minimal, valid enough for any reader); series 5: a 2 s H.264 video.
fs.mkdirSync(path.join(out, 'PDF'), { recursive: true });
fs.writeFileSync(path.join(out, 'PDF', 'D0000001.PDF'),
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
  '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n' +
  'trailer<</Root 1 0 R>>\n%%EOF\n');
fs.mkdirSync(path.join(out, 'VIDEO'), { recursive: true });
ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '4', '-c:v', 'libx264',
        '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
        path.join(out, 'VIDEO', 'V0000001.MP4')]);
// MPEG-2 re-wrapped into MP4 (the DVD/USB MPEG-2 profiles): browsers cannot decode it, so the
// viewer must offer the file instead.
ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '2', '-c:v', 'mpeg2video',
        '-q:v', '5', path.join(out, 'VIDEO', 'V0000002.MP4')]);

// Minimal DICOM Part 10 files (Explicit VR Little Endian) for the CT series, so the "open original
// images" mode has originals to read: 16-bit MONOCHROME2, stored value 4*x + 50*n (a ramp along
// the row, different per image), rescale -1024, own window 40/400, pixel spacing 0.5 mm.
function dicomElement(group, element, vr, value) {
  let v = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' ? [0] : [0x20])]);
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(element, 2);
  head.write(vr, 4, 'ascii');
  if (long) head.writeUInt32LE(v.length, 8); else head.writeUInt16LE(v.length, 6);
  return Buffer.concat([head, v]);
}
const uint16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };

function ctDicom(n, rows, columns, sopInstance) {
  const ctImage = '1.2.840.10008.5.1.4.1.1.2';
  const pixels = Buffer.alloc(rows * columns * 2);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) pixels.writeUInt16LE(4 * x + 50 * n, 2 * (y * columns + x));
  }
  const meta = Buffer.concat([
    dicomElement(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    dicomElement(0x0002, 0x0002, 'UI', ctImage),
    dicomElement(0x0002, 0x0003, 'UI', sopInstance),
    dicomElement(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
    dicomElement(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.9.7.99')]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  return Buffer.concat([
    Buffer.alloc(128), Buffer.from('DICM', 'ascii'),
    dicomElement(0x0002, 0x0000, 'UL', groupLength), meta,
    dicomElement(0x0008, 0x0005, 'CS', 'ISO_IR 192'),
    dicomElement(0x0008, 0x0016, 'UI', ctImage),
    dicomElement(0x0008, 0x0018, 'UI', sopInstance),
    dicomElement(0x0008, 0x0060, 'CS', 'CT'),
    dicomElement(0x0010, 0x0010, 'PN', PATIENT_NAME),
    dicomElement(0x0010, 0x0020, 'LO', 'P1'),
    dicomElement(0x0020, 0x000d, 'UI', '1.2.826.0.1.3680043.9.7.1'),
    dicomElement(0x0020, 0x000e, 'UI', '1.2.826.0.1.3680043.9.7.2.1'),
    dicomElement(0x0020, 0x0013, 'IS', String(n)),
    dicomElement(0x0028, 0x0002, 'US', uint16(1)),
    dicomElement(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    dicomElement(0x0028, 0x0010, 'US', uint16(rows)),
    dicomElement(0x0028, 0x0011, 'US', uint16(columns)),
    dicomElement(0x0028, 0x0030, 'DS', '0.5\\0.5'),
    dicomElement(0x0028, 0x0100, 'US', uint16(16)),
    dicomElement(0x0028, 0x0101, 'US', uint16(12)),
    dicomElement(0x0028, 0x0102, 'US', uint16(11)),
    dicomElement(0x0028, 0x0103, 'US', uint16(0)),
    dicomElement(0x0028, 0x1050, 'DS', '40'),
    dicomElement(0x0028, 0x1051, 'DS', '400'),
    dicomElement(0x0028, 0x1052, 'DS', '-1024'),
    dicomElement(0x0028, 0x1053, 'DS', '1'),
    dicomElement(0x7fe0, 0x0010, 'OW', pixels)]);
}

const header = (modality, extra) => [
  ["Patient's Name", PATIENT_NAME], ['Patient ID', 'P1'], ['Modality', modality],
  ['Study Date', '2026-11-30'], ...extra];

const ctInstances = [1, 2, 3, 4, 5].map((n) => ({
  number: String(n), uid: `1.2.826.0.1.3680043.9.7.1.${n}`, sopClass: '1.2.840.10008.5.1.4.1.1.2',
  kind: 'image', file: `DICOM/PA000001/ST000001/SE000001/IM00000${n}`,
  transferSyntax: '1.2.840.10008.1.2.1', rows: 400, columns: 512, frames: 1, firstImage: n,
  previewColumns: 256, previewRows: 200, pixelSpacing: [0.5, 0.5],
  window: { center: 40, width: 400 },
  header: header('CT', [['Instance Number', String(n)], ['Slice Thickness', '1 mm']]),
}));

const volume = {
  format: 1,
  disc: { index: 1, of: 1, fileSetId: 'BS2612020301_1', label: 'DICOM PLUS WEB' },
  created: '2026-12-02T03:00:00+00:00',
  institution: 'General Hospital', station: 'BURNSTATION', tier: 'full',
  patient: { name: PATIENT_NAME, id: 'P1', birthDate: '1970-01-01', sex: 'M' },
  studies: [{
    uid: '1.2.826.0.1.3680043.9.7.1', date: '2026-11-30', time: '10:20',
    description: 'CT CHEST', accession: 'A1', modalities: 'CT\\US\\SR\\OT\\XC',
    series: [
      { ordinal: 1, uid: '1.2.826.0.1.3680043.9.7.2.1', number: '3', modality: 'CT',
        description: 'AX 1mm', folder: 'IHE_PDI/S0000001', page: 'IHE_PDI/S0000001.HTM',
        thumbnail: 'IHE_PDI/S0000001/THUMB.JPG',
        presets: [{ name: 'Soft tissue', prefix: 'P', center: 40, width: 400 },
                  { name: 'Lung', prefix: 'L', center: -600, width: 1500 },
                  { name: 'Bone', prefix: 'B', center: 400, width: 1800 }],
        instances: ctInstances },
      { ordinal: 2, uid: '1.2.826.0.1.3680043.9.7.2.2', number: '4', modality: 'US',
        description: 'Cine loop', folder: 'IHE_PDI/S0000002', page: 'IHE_PDI/S0000002.HTM',
        thumbnail: 'IHE_PDI/S0000002/THUMB.JPG',
        presets: [{ name: 'Own window', prefix: 'P', center: 128, width: 256 }],
        instances: [{
          number: '1', uid: '1.2.826.0.1.3680043.9.7.3.1',
          sopClass: '1.2.840.10008.5.1.4.1.1.3.1', kind: 'image',
          file: 'DICOM/PA000001/ST000001/SE000002/IM000001',
          transferSyntax: '1.2.840.10008.1.2.4.50', rows: 480, columns: 640, frames: 6,
          firstImage: 1, previewColumns: 320, previewRows: 240, frameTimeMs: 100,
          header: header('US', [['Number of Frames', '6']]) }] },
      { ordinal: 3, uid: '1.2.826.0.1.3680043.9.7.2.3', number: '5', modality: 'SR',
        description: 'Report', folder: 'IHE_PDI/S0000003', page: 'IHE_PDI/S0000003.HTM',
        thumbnail: '', presets: [],
        instances: [{
          number: '1', uid: '1.2.826.0.1.3680043.9.7.3.2',
          sopClass: '1.2.840.10008.5.1.4.1.1.88.11', kind: 'sr',
          file: 'DICOM/PA000001/ST000001/SE000003/IM000001',
          transferSyntax: '1.2.840.10008.1.2.1', text: SR_TEXT,
          header: header('SR', [['Completion Flag', 'COMPLETE']]) }] },
      { ordinal: 4, uid: '1.2.826.0.1.3680043.9.7.2.4', number: '6', modality: 'OT',
        description: 'Referral letter', folder: 'IHE_PDI/S0000004', page: 'IHE_PDI/S0000004.HTM',
        thumbnail: '', presets: [],
        instances: [{
          number: '1', uid: '1.2.826.0.1.3680043.9.7.3.3',
          sopClass: '1.2.840.10008.5.1.4.1.1.104.1', kind: 'pdf',
          file: 'DICOM/PA000001/ST000001/SE000004/IM000001',
          transferSyntax: '1.2.840.10008.1.2.1', document: 'PDF/D0000001.PDF',
          header: header('OT', [['Document Title', 'Referral']]) }] },
      { ordinal: 5, uid: '1.2.826.0.1.3680043.9.7.2.5', number: '7', modality: 'XC',
        description: 'Endoscopy video', folder: 'IHE_PDI/S0000005', page: 'IHE_PDI/S0000005.HTM',
        thumbnail: '', presets: [],
        instances: [{
          number: '1', uid: '1.2.826.0.1.3680043.9.7.3.4',
          sopClass: '1.2.840.10008.5.1.4.1.1.77.1.1.1', kind: 'video',
          file: 'DICOM/PA000001/ST000001/SE000005/IM000001',
          transferSyntax: '1.2.840.10008.1.2.4.102', rows: 240, columns: 320, frames: 100,
          video: 'VIDEO/V0000001.MP4',
          header: header('XC', [['Number of Frames', '100']]) }] },
      { ordinal: 6, uid: '1.2.826.0.1.3680043.9.7.2.6', number: '8', modality: 'ES',
        description: 'MPEG-2 video', folder: 'IHE_PDI/S0000006', page: 'IHE_PDI/S0000006.HTM',
        thumbnail: '', presets: [],
        instances: [{
          number: '1', uid: '1.2.826.0.1.3680043.9.7.3.5',
          sopClass: '1.2.840.10008.5.1.4.1.1.77.1.1.1', kind: 'video',
          file: 'DICOM/PA000001/ST000001/SE000006/IM000001',
          transferSyntax: '1.2.840.10008.1.2.4.100', rows: 240, columns: 320, frames: 50,
          video: 'VIDEO/V0000002.MP4',
          header: header('ES', [['Number of Frames', '50']]) }] },
    ],
  }],
};
for (const inst of ctInstances) {
  const file = path.join(out, inst.file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, ctDicom(Number(inst.number), inst.rows, inst.columns, inst.uid));
}
fs.writeFileSync(path.join(out, 'VIEWER', 'VOLUME.JS'),
                 `burnstationVolume(${asciiJson(volume)});\n`);

// Smaller preview tiers (DESIGN.md): thumbnails keeps only T images and no presets; none keeps
// no image at all. The volume says so the way the station writes it.
if (tier !== 'full') {
  volume.tier = tier;
  volume.disc = { index: 2, of: 3, fileSetId: 'BS2612020301_2', label: 'DICOM PLUS WEB' };
  for (const se of volume.studies[0].series) {
    se.presets = [];
    if (tier === 'none') se.thumbnail = '';
    for (const inst of se.instances) {
      if (inst.previewColumns) { inst.previewColumns = 0; inst.previewRows = 0; }
    }
    const dir = path.join(out, se.folder);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      if (tier === 'none' || /^[PLB]\d{7}\.JPG$/.test(f)) fs.rmSync(path.join(dir, f));
    }
  }
  fs.writeFileSync(path.join(out, 'VIEWER', 'VOLUME.JS'),
                   `burnstationVolume(${asciiJson(volume)});\n`);
}

// The IHE PDI side: INDEX.HTM, IHE_PDI/INDEX.HTM and a page per series, as the station writes.
const seriesRows = volume.studies[0].series.map((se) => {
  const thumb = se.thumbnail ? `<img src="${se.thumbnail}" alt="" width="64" /> ` : '';
  return `<li>${thumb}<a href="${se.page}">Series ${se.number} ${se.modality} ` +
         `${xmlEscape(se.description)}</a></li>`;
}).join('\n');
fs.writeFileSync(path.join(out, 'INDEX.HTM'), xhtml('Medical images', [
  `<h1>${xmlEscape('Yamada Tarou (\u5c71\u7530 \u592a\u90ce)')}</h1>`,
  '<p>Patient ID P1, born 1970-01-01. Disc 1 of 1.</p>',
  '<p><a href="VIEWER.HTM">Open the viewer</a> | <a href="IHE_PDI/INDEX.HTM">Image pages</a> | ' +
  '<a href="README.TXT">README.TXT</a></p>',
  `<ul>\n${seriesRows}\n</ul>`].join('\n')));
fs.writeFileSync(path.join(pdi, 'INDEX.HTM'), xhtml('Series', [
  `<h1>${xmlEscape('Yamada Tarou (\u5c71\u7530 \u592a\u90ce)')}</h1>`,
  `<ul>\n${seriesRows.replace(/IHE_PDI\//g, '')}\n</ul>`,
  '<p><a href="../INDEX.HTM">Back</a></p>'].join('\n')));
for (const se of volume.studies[0].series) {
  const images = [];
  for (const inst of se.instances) {
    if (inst.kind !== 'image') continue;
    for (let f = 0; f < inst.frames; f++) {
      const n = String(inst.firstImage + f).padStart(7, '0');
      const folder = `S${String(se.ordinal).padStart(7, '0')}`;
      const thumb = `<img src="${folder}/T${n}.JPG" alt="Image ${n}" />`;
      if (!fs.existsSync(path.join(pdi, folder, `T${n}.JPG`))) continue;
      images.push(fs.existsSync(path.join(pdi, folder, `P${n}.JPG`))
        ? `<a href="${folder}/P${n}.JPG">${thumb}</a>` : thumb);
    }
  }
  for (const inst of se.instances) {
    if (inst.kind === 'pdf') images.push(`<p><a href="../${inst.document}">Open the PDF</a></p>`);
    if (inst.kind === 'video') images.push(`<p><a href="../${inst.video}">Open the video</a></p>`);
    if (inst.kind === 'sr') images.push(`<pre>${xmlEscape(inst.text)}</pre>`);
  }
  fs.writeFileSync(path.join(out, se.page), xhtml(`Series ${se.number}`, [
    `<h1>Series ${se.number} ${se.modality} ${xmlEscape(se.description)}</h1>`,
    '<p>Preview &#8212; not for diagnosis.</p>',
    images.join('\n'), '<p><a href="INDEX.HTM">Back</a></p>'].join('\n')));
}
fs.writeFileSync(path.join(out, 'README.TXT'),
                 'Medical images of Yamada^Tarou, patient ID P1.\r\nOpen INDEX.HTM.\r\n');

const expectations = {
  patientName: PATIENT_NAME,
  seriesCount: 6,
  disc: { index: 1, of: 1 },
  ct: { series: 1, images: 5, presets: ['P', 'L', 'B'], pixelSpacing: [0.5, 0.5], columns: 512,
        header: ["Patient's Name", 'Slice Thickness'] },
  multiframe: { series: 2, frames: 6 },
  sr: { series: 3, text: SR_TEXT },
  pdf: { series: 4 },
  video: { series: 5 },
  unplayableVideo: { series: 6 },
  // Image 1 of the CT: stored 4 * x + 50, rescale -1024.
  originals: { series: 1, folder: 'DICOM', ramp: { perColumn: 4, offset: 50 - 1024 } },
};
if (tier === 'thumbnails') {
  expectations.disc = { index: 2, of: 3 };
  expectations.ct.presets = [];
} else if (tier === 'none') {
  expectations.disc = { index: 2, of: 3 };
  delete expectations.ct;
  delete expectations.multiframe;
  expectations.noPreviews = { series: 1 };
}
fs.writeFileSync(expectFile, JSON.stringify(expectations, null, 2) + '\n');
console.log(`fixture written to ${out}, expectations to ${expectFile}`);
