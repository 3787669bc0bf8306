// Checks the viewer of one volume in headless chromium and firefox-esr, opened from file://:
//   node check_viewer.mjs --root DIR --expect FILE.json --screenshots DIR [--browsers chromium,firefox]
// DIR is a volume (a station-written disc extracted with osirrox, an export folder, or the
// synthetic fixture of make_fixture.mjs). FILE.json says what the volume holds:
//   {"patientName": "Yamada^Tarou=...",        DICOM PN; every component must be shown
//    "seriesCount": 5,
//    "disc": {"index": 1, "of": 1},                                              (optional)
//    "ct": {"series": 1, "images": 5, "presets": ["P","L","B"],     ([] on the thumbnails tier)
//           "pixelSpacing": [0.5, 0.5], "columns": 512,
//           "header": ["Patient's Name"]},                                        (optional)
//    "noPreviews": {"series": 1},         a series shown without previews (tier none, optional)
//    "originals": {"series": 1, "folder": "DICOM",   pick this folder in "Open original images"
//                  "ramp": {"perColumn": 4, "offset": -974}}  (chromium; optional; ramp: the
//                                    first image's value at column x, to predict grey levels)
//    "multiframe": {"series": 2, "frames": 6},                                    (optional)
//    "sr": {"series": 3, "text": "..."}, "pdf": {"series": 4},                    (optional)
//    "video": {"series": 5, "mustPlayIn": ["chromium"]},                          (optional)
//    "unplayableVideo": {"series": 6},   a stream no browser plays: the file must be offered
// "series" is the series' ordinal in VOLUME.JS. Prints one line per failure; exit code 1 if any.

import fs from 'node:fs';
import path from 'node:path';
import { deadline, finish, inEachBrowser, openPage, parseArgs } from './browsers.mjs';

const args = parseArgs(process.argv.slice(2), ['root', 'expect', 'screenshots']);
const root = path.resolve(args.root);
const expect = JSON.parse(fs.readFileSync(args.expect, 'utf8'));
const shots = path.resolve(args.screenshots);
fs.mkdirSync(shots, { recursive: true });
const names = args.browsers ? args.browsers.split(',') : undefined;

// Touch screens on both, as on tablets with a mouse: puppeteer reloads the page when hasTouch changes.
const DESKTOP = { width: 1280, height: 900, hasTouch: true };
const PHONE = { width: 390, height: 844, hasTouch: true, isMobile: false };

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until `fn` (run in the page) returns a truthy value; fails with `what` after `seconds`.
async function until(page, fn, arg, seconds, what) {
  try {
    return await deadline(page.waitForFunction(fn, { timeout: seconds * 1000, polling: 50 }, arg),
                          seconds + 2, what);
  } catch (e) {
    throw new Error(`waited ${seconds} s for ${what}: ${e.message.split('\n')[0]}`);
  }
}

const state = (page) => page.evaluate(() => window.burnstationViewer.state());

// Files the viewer loads must be ASCII: file:// gives scripts no charset.
function checkAscii(fail) {
  const dir = path.join(root, 'VIEWER');
  for (const name of fs.readdirSync(dir)) {
    if (!/\.JS$/.test(name)) continue;
    const bytes = fs.readFileSync(path.join(dir, name));
    const at = bytes.findIndex((b) => b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09));
    if (at >= 0) fail(`VIEWER/${name} has a non-ASCII byte at offset ${at}`);
  }
}

// A link target (relative to the viewer page) must be a file inside the volume.
function fileOnVolume(href) {
  const p = decodeURIComponent(new URL(href).pathname);
  return p.startsWith(root + path.sep) && fs.existsSync(p) && fs.statSync(p).isFile();
}

async function allImagesLoaded(page, fail, label) {
  try {
    await until(page, () => Array.from(document.images).every(
      (i) => !i.getAttribute('src') || (i.complete && i.naturalWidth > 0)), null, 15,
      'images loading');
  } catch (e) {
    const broken = await page.evaluate(() => Array.from(document.images)
      .filter((i) => i.getAttribute('src') && !(i.complete && i.naturalWidth > 0))
      .map((i) => i.getAttribute('src')));
    fail(`${label}: images not loaded: ${broken.join(', ') || e.message}`);
  }
}

async function selectSeries(page, ordinal) {
  await page.click(`button.series[data-ordinal="${ordinal}"]`);
  await until(page, (o) => window.burnstationViewer.state().series === o, ordinal, 5,
              `selecting series ${ordinal}`);
}

// The shown preview must be the file for the state's image and preset, loaded.
async function shownImageMatches(page, folderHint) {
  return until(page, (hint) => {
    const s = window.burnstationViewer.state();
    const img = document.getElementById('image');
    const want = `${s.preset}${String(s.image).padStart(7, '0')}.JPG`;
    const src = img.getAttribute('src') || '';
    return src.endsWith('/' + want) && (!hint || src.startsWith(hint)) && img.complete &&
      img.naturalWidth > 0 && !img.hidden && new URL(img.currentSrc || img.src).pathname.endsWith(want);
  }, folderHint || '', 5, 'the shown image to match the state and load');
}

// Drags the measure tool over ~100 pixels of the shown content (`selector`: the preview <img> or
// the original's <canvas>) and compares the length shown with columns/contentWidth*spacing.
async function measureAlongRow(page, selector, columns, spacing, what, fail) {
  await page.click('button[data-tool="measure"]');
  const g = await page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height,
             nw: e.naturalWidth || e.width };
  });
  const k = g.width / g.nw;                           // client px per content px
  if (!(k > 0)) { fail(`${what}: the shown content has no size (${JSON.stringify(g)})`); return; }
  const x0 = Math.round(g.left + g.width * 0.2), y0 = Math.round(g.top + g.height / 2);
  const x1 = Math.round(x0 + 100 * k);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(Math.round((x0 + x1) / 2), y0);
  await page.mouse.move(x1, y0);
  await page.mouse.up();
  const contentPx = (x1 - x0) / k;                    // ~100, exact for the pointer positions
  const want = contentPx * (columns / g.nw) * spacing;
  const s = await state(page);
  const text = await page.$eval('#measure-text', (e) => e.textContent);
  if (s.measurementMm === null || Math.abs(s.measurementMm - want) > 0.05 + want * 0.005) {
    fail(`${what}: measuring ${contentPx.toFixed(2)} pixels of ${g.nw} gave ${s.measurementMm} mm, ` +
         `expected ${want.toFixed(2)} mm`);
  }
  if (!text.includes(`${(s.measurementMm || 0).toFixed(1)} mm`)) {
    fail(`${what}: measurement text "${text}" does not show the length`);
  }
}

// The reader of original files: the volume's VIEWER/DCMREAD.JS when it defines one, else the
// test stand-in (stand_in_originals.js), so the viewer's side of that mode is tested either way.
const realReader = /BurnstationOriginals\s*=/.test(
  fs.existsSync(path.join(root, 'VIEWER', 'DCMREAD.JS'))
    ? fs.readFileSync(path.join(root, 'VIEWER', 'DCMREAD.JS'), 'utf8') : '');
const standIn = fs.readFileSync(new URL('./stand_in_originals.js', import.meta.url), 'utf8');

// Grey-level range of the original's canvas (red channel; previews are grey).
const canvasRange = (page) => page.$eval('#stage canvas', (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let min = 255, max = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i] < min) min = d[i]; if (d[i] > max) max = d[i]; }
  return { min, max };
});

async function setWindow(page, center, width) {
  await page.evaluate((c, w) => {
    document.getElementById('window-center').value = String(c);
    const wi = document.getElementById('window-width');
    wi.value = String(w);
    wi.dispatchEvent(new Event('change', { bubbles: true }));
  }, center, width);
  await until(page, (cw) => {
    const r = window.burnstationViewer.state().originalResult;
    return r && r.center === cw[0] && r.width === cw[1];
  }, [center, width], 15, `the original redrawn with window ${center}/${width}`);
}

// Picks the volume's DICOM folder with the folder picker (only chromium can give a folder to
// <input webkitdirectory> over its protocol) and checks that the original is drawn, that a
// window outside the data makes it uniformly black or white, that its own window does not,
// and that measurement uses the original's pixel spacing.
async function checkOriginals(browser, recorder, fail, name) {
  const o = expect.originals;
  const page = await browser.newPage();
  recorder.attach(page, 'VIEWER.HTM (originals)');
  try {
    if (!realReader) await page.evaluateOnNewDocument(standIn);
    await page.setViewport(DESKTOP);
    await deadline(page.goto(new URL(`file://${path.join(root, 'VIEWER.HTM')}`).href,
                             { waitUntil: 'load', timeout: 20000 }), 25, 'loading VIEWER.HTM');
    await until(page, () => window.burnstationViewer.state().series !== null, null, 10, 'viewer start');
    await selectSeries(page, o.series);
    const input = await page.$('#originals-input');
    await input.uploadFile(path.join(root, o.folder || 'DICOM'));
    await until(page, () => window.burnstationViewer.state().mode === 'original', null, 20,
                'the original image to be drawn after picking the folder');
    const mark = await page.$eval('#mark', (e) => (e.hidden ? '' : e.textContent));
    if (!/original/i.test(mark) || /not for diagnosis/i.test(mark)) {
      fail(`originals: the mark says "${mark}" over an original image`);
    }
    const own = await canvasRange(page);
    if (own.max - own.min < 50) fail(`originals: own window gives a flat image (${own.min}..${own.max})`);
    await page.screenshot({ path: path.join(shots, `viewer-original-${name}.png`) });
    // Where the volume's pixel values are known (the synthetic ramp: value = perColumn * x +
    // offset along every row of the first image), the grey levels must be the ones the DICOM
    // linear window function predicts, for two different windows.
    if (o.ramp) {
      for (const [c, w] of [[40, 400], [100, 50]]) {
        await setWindow(page, c, w);
        const row = await page.$eval('#stage canvas', (cv) => {
          const d = cv.getContext('2d').getImageData(0, cv.height >> 1, cv.width, 1).data;
          const out = [];
          for (let i = 0; i < d.length; i += 4) out.push(d[i]);
          return out;
        });
        const bad = [];
        for (let x = 0; x < row.length; x += 7) {
          const v = o.ramp.perColumn * x + o.ramp.offset;
          let want;
          if (v <= c - 0.5 - (w - 1) / 2) want = 0;
          else if (v > c - 0.5 + (w - 1) / 2) want = 255;
          else want = ((v - (c - 0.5)) / (w - 1) + 0.5) * 255;
          if (Math.abs(row[x] - want) > 2) bad.push(`x=${x}: ${row[x]} not ${want.toFixed(1)}`);
        }
        if (bad.length) fail(`originals: window ${c}/${w} gives other grey levels than predicted (${bad.slice(0, 4).join('; ')})`);
      }
    }
    await setWindow(page, 1e6, 1);
    const above = await canvasRange(page);
    await setWindow(page, -1e6, 1);
    const below = await canvasRange(page);
    if (above.min !== above.max || below.min !== below.max || above.min === below.min) {
      fail(`originals: windows above and below the data should give two uniform images, gave ` +
           `${above.min}..${above.max} and ${below.min}..${below.max}`);
    }
    await page.click('#own-window');
    await until(page, () => window.burnstationViewer.state().window === null &&
                window.burnstationViewer.state().mode === 'original', null, 15, 'own window');
    await until(page, (r) => {
      const c = document.querySelector('#stage canvas');
      if (!c) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let min = 255, max = 0;
      for (let i = 0; i < d.length; i += 4) { if (d[i] < min) min = d[i]; if (d[i] > max) max = d[i]; }
      return min === r.min && max === r.max;
    }, own, 15, 'the own window to come back');
    // A preset is a true window on the original values.
    const preset = await page.$$eval('#presets button', (b) => b.length > 1 ? b[1].getAttribute('data-prefix') : null);
    if (preset) {
      await page.click(`#presets button[data-prefix="${preset}"]`);
      await until(page, () => {
        const s = window.burnstationViewer.state();
        return s.window && s.originalResult && s.originalResult.center === s.window.center &&
          s.originalResult.width === s.window.width;
      }, null, 15, `preset ${preset} as a window on the original`);
    }
    // Moving on draws the next original.
    const before = await state(page);
    await page.focus('#viewport');
    await page.keyboard.press('ArrowDown');
    await until(page, (p) => {
      const s = window.burnstationViewer.state();
      return s.position === p + 1 && s.mode === 'original';
    }, before.position, 15, 'the next original after ArrowDown');
    const r = (await state(page)).originalResult;
    if (r && r.pixelSpacing && r.columns) {
      await until(page, () => !window.burnstationViewer.state().rendering, null, 15, 'drawing to end');
      await measureAlongRow(page, '#stage canvas', r.columns, r.pixelSpacing[1], 'originals', fail);
    }
  } finally {
    await page.close().catch(() => {});
  }
}

// Touch, brightness/contrast from the keyboard, header fields and keyboard selection of a series.
async function checkControls(page, fail, browser) {
  const ct = expect.ct;
  await selectSeries(page, ct.series);
  await page.click('button[data-tool="scroll"]');
  const box = await (await page.$('#viewport')).boundingBox();
  const cx = Math.round(box.x + box.width / 2), cy = Math.round(box.y + box.height / 2);
  let s = await state(page);
  const before = s.position;
  const t = await page.touchscreen.touchStart(cx, cy);
  await t.move(cx, cy + 15);
  await t.move(cx, cy + 30);
  await t.end();
  s = await state(page);
  if (s.position <= before) fail(`touch: a swipe down did not move on (position ${before} -> ${s.position})`);
  const a = await page.touchscreen.touchStart(cx - 50, cy);
  const b = await page.touchscreen.touchStart(cx + 50, cy);
  await a.move(cx - 100, cy);
  await b.move(cx + 100, cy);
  await a.end();
  await b.end();
  s = await state(page);
  if (!(s.zoom > 1.3)) fail(`touch: pinching out did not zoom in (zoom ${s.zoom})`);
  await page.click('#zoom-fit');

  await page.focus('#brightness');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  s = await state(page);
  const filter = await page.$eval('#image', (i) => i.style.filter);
  if (!(s.brightness > 100) || !/brightness\(1\.[0-9]+\)/.test(filter)) {
    fail(`brightness: keys on the slider gave brightness ${s.brightness}, filter "${filter}"`);
  }
  await page.click('#reset');

  await page.click('#header-fields summary');
  const rows = await page.$$eval('#header-table tr', (r) => r.map((x) => x.textContent.trim()));
  if (!rows.length || !rows.some((r) => r.length > 3)) fail('header fields: none shown for the CT image');
  if (ct.header) {
    for (const h of ct.header) {
      if (!rows.some((r) => r.includes(h))) fail(`header fields: "${h}" not shown`);
    }
  }
  await page.click('#header-fields summary');

  // Keyboard only: a series button takes focus and Enter selects it.
  const other = await page.$$eval('button.series', (b, o) => b.map((x) => x.getAttribute('data-ordinal'))
    .filter((x) => x !== String(o))[0], ct.series);
  if (other) {
    await page.focus(`button.series[data-ordinal="${other}"]`);
    await page.keyboard.press('Enter');
    await until(page, (o) => String(window.burnstationViewer.state().series) === o, other, 5,
                'Enter on a focused series button to select it');
  }
}

// A volume without previews (tier none): the viewer says so, shows no image and no preview mark,
// and still lists the header fields.
async function checkNoPreviews(page, fail, browser) {
  await selectSeries(page, expect.noPreviews.series);
  const s = await state(page);
  const g = await page.evaluate(() => ({
    src: document.getElementById('image').getAttribute('src'),
    mark: !document.getElementById('mark').hidden,
    message: (document.querySelector('#document .message') || {}).textContent || '',
    header: document.querySelectorAll('#header-table th').length }));
  if (g.src) fail(`no previews: an image is shown (${g.src})`);
  if (g.mark) fail('no previews: the preview mark is shown without a preview');
  if (!/no preview/i.test(g.message)) fail(`no previews: no message says so ("${g.message}")`);
  if (!g.header) fail('no previews: no header fields');
  if (s.mode !== 'none') fail(`no previews: mode ${s.mode}`);
  await page.screenshot({ path: path.join(shots, `viewer-nopreview-${browser}.png`) });
}

async function checkPatient(page, fail) {
  const shown = await page.$eval('#patient-name', (e) => e.textContent);
  const parts = String(expect.patientName).split(/[=^]/).filter((x) => x.trim());
  for (const p of parts) {
    if (!shown.includes(p.trim())) fail(`patient name: "${p}" not shown (shown: "${shown}")`);
  }
  if (expect.disc) {
    const disc = await page.$eval('#disc', (e) => e.textContent);
    const want = `Disc ${expect.disc.index} of ${expect.disc.of}`;
    if (!disc.includes(want)) fail(`"${want}" not shown (shown: "${disc}")`);
  }
  const count = await page.$$eval('button.series', (b) => b.length);
  if (count !== expect.seriesCount) fail(`${count} series listed, expected ${expect.seriesCount}`);
}

async function checkCt(page, fail, browser) {
  const ct = expect.ct;
  await selectSeries(page, ct.series);
  await shownImageMatches(page);
  let s = await state(page);
  if (s.position !== 0) fail(`CT: starts at position ${s.position}, expected 0`);
  if (ct.images && s.count !== ct.images) fail(`CT: ${s.count} images, expected ${ct.images}`);
  const mark = await page.$eval('#mark', (e) => (e.hidden ? '' : e.textContent));
  if (!/not for diagnosis/i.test(mark)) fail(`CT: no "not for diagnosis" mark on the preview ("${mark}")`);

  // Wheel: one notch, one image, both ways.
  const box = await (await page.$('#viewport')).boundingBox();
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2));
  await page.mouse.wheel({ deltaY: 100 });
  await until(page, () => window.burnstationViewer.state().position !== 0, null, 5, 'wheel down');
  await pause(300);   // a second step would show up by now
  s = await state(page);
  if (s.position !== 1) fail(`CT: one wheel notch down moved to position ${s.position}, expected 1`);
  await shownImageMatches(page);
  await page.mouse.wheel({ deltaY: -100 });
  await until(page, () => window.burnstationViewer.state().position !== 1, null, 5, 'wheel up');
  await pause(300);
  s = await state(page);
  if (s.position !== 0) fail(`CT: one wheel notch up moved to position ${s.position}, expected 0`);

  // Keys: ArrowDown twice, ArrowUp once.
  await page.focus('#viewport');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await pause(300);
  s = await state(page);
  if (s.position !== 1) fail(`CT: ArrowDown, ArrowDown, ArrowUp ended at ${s.position}, expected 1`);
  await shownImageMatches(page);

  // Wheels as other devices send them: a notch of 3 lines (Firefox's line mode), and touchpad
  // pixel deltas that only add up to one notch.
  const wheel = (events) => page.evaluate((ev) => {
    const v = document.getElementById('viewport');
    for (const e of ev) v.dispatchEvent(new WheelEvent('wheel', { ...e, bubbles: true, cancelable: true }));
  }, events);
  await wheel([{ deltaY: 3, deltaMode: 1 }]);
  s = await state(page);
  if (s.position !== 2) fail(`CT: a 3-line wheel notch moved from 1 to ${s.position}, expected 2`);
  await wheel([1, 2, 3, 4, 5].map(() => ({ deltaY: 10, deltaMode: 0 })));
  s = await state(page);
  if (s.position !== 3) fail(`CT: 5 touchpad deltas of 10 px moved from 2 to ${s.position}, expected 3`);
  await wheel([{ deltaY: -3, deltaMode: 1 }, { deltaY: -3, deltaMode: 1 }]);
  s = await state(page);
  if (s.position !== 1) fail(`CT: two 3-line notches up moved from 3 to ${s.position}, expected 1`);
  await shownImageMatches(page);
  await page.screenshot({ path: path.join(shots, `viewer-ct-${browser}.png`) });

  // Presets: every one loads its own rendering of the same image.
  const prefixes = await page.$$eval('#presets button', (b) => b.map((x) => x.getAttribute('data-prefix')));
  if (ct.presets && prefixes.join() !== ct.presets.join()) {
    fail(`CT: preset buttons ${prefixes.join()} , expected ${ct.presets.join()}`);
  }
  for (const prefix of prefixes.slice(1).concat(prefixes.slice(0, 1))) {
    await page.click(`#presets button[data-prefix="${prefix}"]`);
    try {
      await until(page, (p) => window.burnstationViewer.state().preset === p, prefix, 5, `preset ${prefix}`);
      await shownImageMatches(page);
      s = await state(page);
      if (s.position !== 1) fail(`CT: preset ${prefix} changed the position to ${s.position}`);
    } catch (e) {
      fail(`CT: preset ${prefix}: ${e.message}`);
    }
    if (prefix === prefixes[1]) await page.screenshot({ path: path.join(shots, `viewer-ct-preset-${browser}.png`) });
  }

  // Measurement: 100 preview pixels along a row. The expectation comes from the expectations
  // file and the JPEG's real size, not from VOLUME.JS: mm = px * columns / previewWidth * spacing.
  if (ct.pixelSpacing) {
    await measureAlongRow(page, '#image', ct.columns, ct.pixelSpacing[1], 'CT preview', fail);
    await page.screenshot({ path: path.join(shots, `viewer-measure-${browser}.png`) });
    await page.click('#reset');
    await page.click('button[data-tool="scroll"]');
  }

  // Drag with the scroll tool moves through images; zoom makes the image bigger.
  const before = (await state(page)).position;
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2));
  await page.mouse.down();
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2 + 30), { steps: 3 });
  await page.mouse.up();
  s = await state(page);
  if (s.position <= before) fail(`CT: dragging down did not move on (position ${before} -> ${s.position})`);
  const w0 = await page.$eval('#image', (i) => i.getBoundingClientRect().width);
  await page.click('#zoom-in');
  const w1 = await page.$eval('#image', (i) => i.getBoundingClientRect().width);
  s = await state(page);
  if (!(s.zoom > 1 && w1 > w0 * 1.1)) fail(`CT: zoom in did not enlarge the image (${w0} -> ${w1})`);
  await page.click('#zoom-fit');
}

async function checkMultiframe(page, fail, browser) {
  const mf = expect.multiframe;
  await selectSeries(page, mf.series);
  await shownImageMatches(page);
  const s0 = await state(page);
  if (s0.count < mf.frames) fail(`multi-frame: ${s0.count} images, expected ${mf.frames} frames`);
  await page.click('#cine');
  // Playing: the frame advances over time, through at least 3 different frames.
  const seen = new Set([s0.frame]);
  const end = Date.now() + 8000;
  while (seen.size < 3 && Date.now() < end) {
    await pause(50);
    seen.add((await state(page)).frame);
  }
  if (seen.size < 3) fail(`multi-frame: cine showed frames ${[...seen].join(',')} in 8 s`);
  await page.screenshot({ path: path.join(shots, `viewer-cine-${browser}.png`) });
  await page.click('#cine');
  await pause(100);
  const a = (await state(page)).position;
  await pause(500);
  const s1 = await state(page);
  if (s1.playing || s1.position !== a) fail('multi-frame: Stop did not stop the cine');
  await shownImageMatches(page);
}

async function checkSr(page, fail, browser) {
  await selectSeries(page, expect.sr.series);
  const text = await page.$eval('#document .sr-text', (e) => e.textContent).catch(() => null);
  const norm = (t) => String(t).replace(/\s+/g, ' ').trim();
  if (text === null) fail('SR: no report text shown');
  else if (expect.sr.text && !norm(text).includes(norm(expect.sr.text))) {
    fail(`SR: the report text shown ("${norm(text).slice(0, 80)}") is not the expected one`);
  }
  await page.screenshot({ path: path.join(shots, `viewer-sr-${browser}.png`) });
}

async function checkPdf(page, fail) {
  await selectSeries(page, expect.pdf.series);
  const href = await page.$eval('#document a.pdf-link', (a) => a.href).catch(() => null);
  if (!href) fail('PDF: no link to the document');
  else if (!fileOnVolume(href)) fail(`PDF: the link ${href} does not point to a file on the volume`);
}

async function checkVideo(page, fail, browser, v = expect.video) {
  const mustPlay = (v.mustPlayIn || ['chromium']).includes(browser);
  await selectSeries(page, v.series);
  await until(page, () => document.querySelector('#document video') ||
              document.querySelector('#document .cannot-play:not([hidden])'), null, 5, 'video element');
  const played = await page.evaluate(async () => {
    const video = document.querySelector('#document video');
    if (!video || video.hidden) return 'no video element';
    video.muted = true;
    try { await video.play(); } catch (e) { return `play() refused: ${e.message}`; }
    const t0 = Date.now();
    while (Date.now() - t0 < 10000) {
      if (video.currentTime > 0.3) return 'played';
      if (video.error) return `error ${video.error.code}`;
      await new Promise((r) => setTimeout(r, 50));
    }
    return `currentTime stayed ${video.currentTime}`;
  });
  await page.screenshot({ path: path.join(shots, `viewer-video${v.series}-${browser}.png`) });
  console.log(`       [${browser}] video: ${played}`);
  if (played === 'played' && v.mustOffer) {
    fail('video: a stream expected to be unplayable played');
  } else if (played === 'played') {
    await page.evaluate(() => document.querySelector('#document video').pause());
  } else if (mustPlay) {
    fail(`video: did not play (${played})`);
  } else {
    // Where a browser cannot play the stream, the viewer must say so and offer the file.
    await until(page, () => document.querySelector('#document .cannot-play:not([hidden])'), null, 10,
                `video did not play (${played}) and the viewer did not offer the file`)
      .catch((e) => fail(e.message));
  }
  const links = await page.$$eval('#document a[class^="video-file"]', (a) => a.map((x) => x.href));
  if (!links.length) fail('video: no link to the video file');
  for (const l of links) if (!fileOnVolume(l)) fail(`video: the link ${l} is not a file on the volume`);
}

// A phone-sized window: nothing wider than the screen, the image area usable.
async function checkPhone(page, fail, browser) {
  await page.setViewport(PHONE);
  await pause(300);
  const g = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    vp: document.getElementById('viewport').getBoundingClientRect().width }));
  if (g.scroll > g.inner + 1) fail(`phone: the page is ${g.scroll} px wide on a ${g.inner} px screen`);
  if (g.vp < 300) fail(`phone: the image area is only ${g.vp} px wide`);
  await page.screenshot({ path: path.join(shots, `viewer-phone-${browser}.png`) });
  await page.setViewport(DESKTOP);
}

const failures = [];
checkAscii((m) => failures.push(m));
failures.push(...await inEachBrowser(async (browser, recorder, name) => {
  const page = await openPage(browser, recorder, path.join(root, 'VIEWER.HTM'), 'VIEWER.HTM');
  await page.setViewport(DESKTOP);
  try {
    await until(page, () => window.burnstationViewer && window.burnstationViewer.state().series !== null,
                null, 10, 'the viewer to show a series');
  } catch (e) {
    const problem = await page.$eval('#problem', (p) => (p.hidden ? '' : p.textContent)).catch(() => '');
    throw new Error(`${e.message}${problem ? ` (the viewer says: ${problem})` : ''}`);
  }
  const step = async (label, fn) => {
    const before = recorder.failures.length;
    try {
      await fn(page, (m) => recorder.fail(m), name);
    } catch (e) {
      recorder.fail(`${label}: ${e.message}`);
    }
    console.log(`${recorder.failures.length > before ? 'FAILED' : 'ok    '} [${name}] ${label}`);
  };
  await step('patient', checkPatient);
  await step('images', (p, f) => allImagesLoaded(p, f, 'VIEWER.HTM'));
  await page.screenshot({ path: path.join(shots, `viewer-${name}.png`) });
  if (expect.ct) await step('CT', checkCt);
  if (expect.ct) await step('touch, keys, header fields', checkControls);
  if (expect.multiframe) await step('multi-frame', checkMultiframe);
  if (expect.noPreviews) await step('no previews', checkNoPreviews);
  if (expect.sr) await step('SR', checkSr);
  if (expect.pdf) await step('PDF', checkPdf);
  if (expect.video) await step('video', checkVideo);
  // A stream no browser decodes (MPEG-2 in MP4): the viewer must say so and offer the file.
  if (expect.unplayableVideo) {
    await step('unplayable video', (p, f, b) => checkVideo(p, f, b,
      { series: expect.unplayableVideo.series, mustPlayIn: [], mustOffer: true }));
  }
  await step('phone', checkPhone);
  const buttonShown = await page.$eval('#originals', (e) => !e.hidden);
  if (buttonShown !== realReader) {
    recorder.fail(`"Open original images" is ${buttonShown ? 'shown' : 'hidden'} while ` +
                  `VIEWER/DCMREAD.JS ${realReader ? 'defines' : 'does not define'} a reader`);
  }
  if (expect.originals && name !== 'chromium') {
    console.log(`note   [${name}] originals: not checked here (only chromium's protocol can give ` +
                'a folder to <input webkitdirectory>)');
  }
  if (expect.originals && name === 'chromium') {
    await step(`originals (${realReader ? 'VIEWER/DCMREAD.JS' : 'test stand-in reader'})`,
               (p, f) => checkOriginals(browser, recorder, f, name));
  }
  await step('images', (p, f) => allImagesLoaded(p, f, 'VIEWER.HTM at the end'));
}, names));
finish(failures, 'check_viewer');
