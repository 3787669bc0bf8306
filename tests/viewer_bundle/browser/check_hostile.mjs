// The viewer against a VOLUME.JS with wrong types, markup in text, and paths that leave the
// medium (a damaged or crafted disc): it must not break (no page or console error), run no
// injected markup, request nothing outside file://, and link only to files on the volume.
//   node check_hostile.mjs --root GOOD_VOLUME --work DIR [--browsers chromium,firefox]

import fs from 'node:fs';
import path from 'node:path';
import { deadline, finish, inEachBrowser, openPage, parseArgs } from './browsers.mjs';

const args = parseArgs(process.argv.slice(2), ['root', 'work']);
const work = path.resolve(args.work);
const root = path.join(work, 'HOSTILE');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
fs.cpSync(path.resolve(args.root), root, { recursive: true });

const INJECTED = '<img src=x onerror="window.__pwned=1">^Evil';
const hostile = {
  format: 1,
  disc: { index: 'x', of: -1 },
  patient: { name: INJECTED, id: { a: 1 }, birthDate: 5 },
  institution: ['<b>x</b>'],
  studies: [
    null,
    { description: '<b>bold</b>', series: 'not an array' },
    { description: 'Odd', series: [
      null,
      { ordinal: '1', folder: '../../etc', thumbnail: 'http://example.invalid/t.jpg',
        presets: [{ prefix: '../x' }, { prefix: 'P', name: '<i>P</i>' }, 'junk'],
        instances: [
          null, 5,
          { kind: 'image', frames: -3, firstImage: 'abc', rows: 'NaN', columns: 1e9,
            pixelSpacing: ['a', 'b'], header: 'x', file: 'javascript:alert(1)' },
          { kind: 'pdf', document: 'javascript:window.__pwned=1', note: '<b>note</b>' },
          { kind: 'video', video: 'http://example.invalid/v.mp4' },
          { kind: 'sr', text: { x: 1 } },
          { kind: '<script>', header: [[1, 2], 'x', null, ['<b>k</b>', '<img src=y onerror=1>']] },
        ] },
      { ordinal: 2, folder: 'IHE_PDI/S0000001', thumbnail: 'IHE_PDI/S0000001/THUMB.JPG',
        presets: [{ prefix: 'P', name: 'Soft', center: '40', width: '400' }],
        instances: [{ kind: 'image', frames: 2, firstImage: 1, rows: 400, columns: 512,
                      pixelSpacing: [0.5, 0.5], frameTimeMs: 'fast',
                      header: [['Name', '<b>x</b>']] }] },
    ] },
  ],
};
fs.writeFileSync(path.join(root, 'VIEWER', 'VOLUME.JS'),
  `burnstationVolume(${JSON.stringify(hostile).replace(/[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))});\n`);

const failures = await inEachBrowser(async (browser, recorder) => {
  const fail = (m) => recorder.fail(m);
  const page = await openPage(browser, recorder, path.join(root, 'VIEWER.HTM'), 'hostile VIEWER.HTM');
  await deadline(page.waitForFunction(() => window.burnstationViewer &&
    window.burnstationViewer.state().series !== null, { timeout: 10000 }), 12, 'viewer start');
  const ordinals = await page.$$eval('button.series', (b) => b.map((x) => x.getAttribute('data-ordinal')));
  if (ordinals.length !== 2) fail(`${ordinals.length} series listed, expected the 2 objects that are series`);
  for (const o of ordinals) {
    await page.click(`button.series[data-ordinal="${o}"]`);
    await page.focus('#viewport');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowDown');
    await page.evaluate(() => document.getElementById('cine').click());
    await new Promise((r) => setTimeout(r, 300));
    await page.evaluate(() => document.getElementById('cine').click());
  }
  const g = await page.evaluate(() => ({
    pwned: window.__pwned === 1,
    name: document.getElementById('patient-name').textContent,
    injectedElements: document.querySelectorAll('#top img, #top b, #studies b, #studies i, #presets i, #header-table b, #header-table img, #document b').length,
    hrefs: Array.from(document.querySelectorAll('[href], [src]'))
      .map((e) => e.href || e.src).filter((u) => u),
  }));
  if (g.pwned) fail('markup from VOLUME.JS ran as script');
  if (g.injectedElements) fail(`markup from VOLUME.JS became ${g.injectedElements} element(s)`);
  if (!g.name.includes('<img src')) fail(`the patient name is not shown as text ("${g.name}")`);
  for (const u of g.hrefs) {
    const url = new URL(u);
    const p = decodeURIComponent(url.pathname);
    if (url.protocol !== 'file:' || !p.startsWith(root + path.sep)) fail(`a link or source leaves the volume: ${u}`);
  }
}, args.browsers ? args.browsers.split(',') : undefined);
finish(failures, 'check_hostile');
