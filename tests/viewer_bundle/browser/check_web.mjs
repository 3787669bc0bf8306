// Checks the IHE PDI web content of one volume (INDEX.HTM and every page under IHE_PDI/) in
// headless chromium and firefox-esr, opened from file://:
//   node check_web.mjs --root DIR --expect FILE.json --screenshots DIR [--browsers chromium,firefox]
// Per page: well-formed XHTML, no <script> element, no on* attribute, no javascript: URL; every
// image loads; every link and image points to a file on the volume; no console error and no
// request that is not file://. INDEX.HTM shows the patient's name (every PN component of
// "patientName" in FILE.json) and links one page per series ("seriesCount"). README.TXT has
// CRLF line ends. Prints one line per failure; exit code 1 if any.

import fs from 'node:fs';
import path from 'node:path';
import { deadline, finish, inEachBrowser, openPage, parseArgs } from './browsers.mjs';

const args = parseArgs(process.argv.slice(2), ['root', 'expect', 'screenshots']);
const root = path.resolve(args.root);
const expect = JSON.parse(fs.readFileSync(args.expect, 'utf8'));
const shots = path.resolve(args.screenshots);
fs.mkdirSync(shots, { recursive: true });
const names = args.browsers ? args.browsers.split(',') : undefined;

function htmPages(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmPages(p));
    else if (/\.HTM$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const pages = [path.join(root, 'INDEX.HTM'), ...htmPages(path.join(root, 'IHE_PDI'))];
const rel = (p) => path.relative(root, p);

// Checks that need no browser: files exist, raw text has no script, README.TXT line ends.
function staticChecks(fail) {
  for (const p of pages) {
    if (!fs.existsSync(p)) { fail(`${rel(p)} is missing`); continue; }
    const text = fs.readFileSync(p, 'latin1');
    if (/<script/i.test(text)) fail(`${rel(p)}: contains a <script> tag`);
    if (/<[^>]*\son[a-z]+\s*=/i.test(text)) fail(`${rel(p)}: contains an on* event attribute`);
    if (/javascript:/i.test(text)) fail(`${rel(p)}: contains a javascript: URL`);
  }
  if (!fs.existsSync(path.join(root, 'IHE_PDI', 'INDEX.HTM'))) fail('IHE_PDI/INDEX.HTM is missing');
  const readme = path.join(root, 'README.TXT');
  if (!fs.existsSync(readme)) {
    fail('README.TXT is missing');
  } else {
    const t = fs.readFileSync(readme, 'latin1');
    if (/[^\r]\n/.test(t) || /^\n/.test(t)) fail('README.TXT: a line does not end with CRLF');
  }
}

// A link's target must be a file on the volume (fragment and query ignored).
function checkTarget(page, url, what, fail) {
  let u;
  try { u = new URL(url); } catch (e) { fail(`${rel(page)}: ${what} "${url}" is not a URL`); return; }
  if (u.protocol === 'mailto:') return;
  if (u.protocol !== 'file:') { fail(`${rel(page)}: ${what} leaves the medium: ${url}`); return; }
  const p = decodeURIComponent(u.pathname);
  if (!(p + path.sep).startsWith(root + path.sep)) fail(`${rel(page)}: ${what} points outside the volume: ${url}`);
  else if (!fs.existsSync(p) || !fs.statSync(p).isFile()) fail(`${rel(page)}: ${what} points to a missing file: ${rel(p)}`);
}

async function checkPage(browser, recorder, file, name) {
  const fail = (m) => recorder.fail(m);
  const label = rel(file);
  const page = await openPage(browser, recorder, file, label);
  try {
    await page.setViewport({ width: 1024, height: 800 });
    // Well-formed XHTML: parse the file's text as XML in the browser.
    const source = fs.readFileSync(file, 'utf8');
    const xmlError = await page.evaluate((src) => {
      const doc = new DOMParser().parseFromString(src, 'application/xhtml+xml');
      const err = doc.getElementsByTagName('parsererror')[0];
      return err ? err.textContent.slice(0, 200) : '';
    }, source);
    if (xmlError) fail(`${label}: not well-formed XHTML: ${xmlError.replace(/\s+/g, ' ')}`);

    const dom = await page.evaluate(() => {
      const on = [];
      for (const e of document.querySelectorAll('*')) {
        for (const a of e.attributes) if (/^on/i.test(a.name)) on.push(`${e.tagName}.${a.name}`);
      }
      return {
        scripts: document.querySelectorAll('script').length, on,
        links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.href),
        images: Array.from(document.images).map((i) => i.src),
        styles: Array.from(document.querySelectorAll('link[href]')).map((l) => l.href),
        text: document.body ? document.body.innerText : '',
      };
    });
    if (dom.scripts) fail(`${label}: ${dom.scripts} <script> element(s)`);
    if (dom.on.length) fail(`${label}: event attributes ${dom.on.join(', ')}`);
    for (const l of dom.links) checkTarget(file, l, 'link', fail);
    for (const l of dom.images) checkTarget(file, l, 'image', fail);
    for (const l of dom.styles) checkTarget(file, l, 'stylesheet', fail);

    try {
      await deadline(page.waitForFunction(() => Array.from(document.images)
        .every((i) => i.complete && i.naturalWidth > 0), { timeout: 15000, polling: 100 }), 17,
        'images');
    } catch (e) {
      const broken = await page.evaluate(() => Array.from(document.images)
        .filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute('src')));
      fail(`${label}: images that do not load: ${broken.join(', ')}`);
    }

    if (file === pages[0]) {
      const parts = String(expect.patientName || '').split(/[=^]/).filter((x) => x.trim());
      for (const p of parts) {
        if (!dom.text.includes(p.trim())) fail(`INDEX.HTM: patient name part "${p}" not shown`);
      }
      // One linked page per series (IHE_PDI/S0000001.HTM ...), each of which exists.
      const seriesPages = new Set(dom.links.map((l) => decodeURIComponent(new URL(l).pathname))
        .filter((p) => /\/IHE_PDI\/S\d{7}\.HTM$/i.test(p)));
      if (expect.seriesCount !== undefined && seriesPages.size !== expect.seriesCount) {
        fail(`INDEX.HTM: links ${seriesPages.size} series pages, expected ${expect.seriesCount}`);
      }
      if (!dom.links.some((l) => /\/VIEWER\.HTM$/.test(l))) fail('INDEX.HTM: no link to VIEWER.HTM');
      if (!dom.links.some((l) => /\/README\.TXT$/.test(l))) fail('INDEX.HTM: no link to README.TXT');
      if (!dom.links.some((l) => /\/IHE_PDI\/INDEX\.HTM$/.test(l))) fail('INDEX.HTM: no link to IHE_PDI/INDEX.HTM');
    }
    const shotName = label.replace(/[\\/]/g, '_').replace(/\.HTM$/i, '');
    if (file === pages[0] || /INDEX\.HTM$/.test(label) || /S0000001\.HTM$/.test(label)) {
      await page.screenshot({ path: path.join(shots, `web-${shotName}-${name}.png`), fullPage: true });
    }
  } finally {
    await page.close().catch(() => {});
  }
}

const failures = [];
staticChecks((m) => failures.push(m));
console.log(`checking ${pages.length} pages: ${pages.map(rel).join(' ')}`);
failures.push(...await inEachBrowser(async (browser, recorder, name) => {
  for (const p of pages) {
    if (!fs.existsSync(p)) continue;
    try {
      await checkPage(browser, recorder, p, name);
    } catch (e) {
      recorder.fail(`${rel(p)}: ${e.message}`);
    }
  }
}, names));
finish(failures, 'check_web');
