// Launches Debian's chromium (DevTools protocol) and firefox-esr (WebDriver BiDi) through
// puppeteer-core the way a user runs them: file:// pages may NOT fetch sibling files. Every page
// opened here records console errors, page errors and any request that leaves file://, since a
// medium must work with no network. Every wait has a deadline: a check fails, it never hangs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// A static import would die with ERR_MODULE_NOT_FOUND before we can say what to do.
async function loadPuppeteer() {
  if (!fs.existsSync(path.join(here, 'node_modules', 'puppeteer-core'))) {
    throw new Error('puppeteer-core is missing: run npm ci in tests/viewer_bundle/browser');
  }
  return (await import('puppeteer-core')).default;
}

export const BROWSERS = ['chromium', 'firefox'];

// Rejects with a readable message when `promise` takes longer than `seconds`.
export function deadline(promise, seconds, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${seconds} s`)),
                       seconds * 1000);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function launch(name) {
  const puppeteer = await loadPuppeteer();
  const common = { headless: true, protocolTimeout: 30000, timeout: 30000 };
  if (name === 'chromium') {
    // No --allow-file-access-from-files: the default keeps file:// fetch blocked.
    return deadline(puppeteer.launch({
      ...common,
      browser: 'chrome',
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-background-networking', '--disable-component-update',
             '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    }), 60, 'launching chromium');
  }
  if (name === 'firefox') {
    // puppeteer sets security.fileuri.strict_origin_policy=false unless told otherwise, which
    // lets file:// pages fetch anything; a user's Firefox has it true.
    return deadline(puppeteer.launch({
      ...common,
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      extraPrefsFirefox: {
        'security.fileuri.strict_origin_policy': true,
        'media.autoplay.default': 0,
        'browser.shell.checkDefaultBrowser': false,
      },
    }), 60, 'launching firefox-esr');
  }
  throw new Error(`unknown browser ${name}`);
}

// Collects what must never happen on a medium's pages.
export class Recorder {
  constructor(browserName) {
    this.browser = browserName;
    this.failures = [];
  }
  fail(message) {
    this.failures.push(`[${this.browser}] ${message}`);
  }
  attach(page, label) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.fail(`${label}: console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => {
      this.fail(`${label}: page error: ${err && err.message ? err.message : err}`);
    });
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:') &&
          url !== 'about:blank') {
        this.fail(`${label}: request that is not file://: ${url}`);
      }
    });
    page.on('requestfailed', (req) => {
      this.fail(`${label}: request failed: ${req.url()}`);
    });
  }
}

export async function openPage(browser, recorder, file, label) {
  const page = await deadline(browser.newPage(), 20, `${label}: new page`);
  page.setDefaultTimeout(15000);
  recorder.attach(page, label);
  await deadline(page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 20000 }), 25,
                 `${label}: loading ${file}`);
  return page;
}

// Proves the browser blocks a file:// page from fetching a sibling file, as a user's browser
// does. Without this the tests could pass on a browser more permissive than any patient's.
export async function checkFileRestrictions(browser, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-fileuri-'));
  try {
    fs.writeFileSync(path.join(dir, 'DATA.TXT'), 'secret');
    fs.writeFileSync(path.join(dir, 'PAGE.HTM'),
                     '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head>' +
                     '<body><p id="r">pending</p></body></html>');
    const page = await deadline(browser.newPage(), 20, `${name}: new page`);
    try {
      await deadline(page.goto(pathToFileURL(path.join(dir, 'PAGE.HTM')).href,
                               { waitUntil: 'load', timeout: 20000 }), 25,
                     `${name}: self-check page`);
      const result = await deadline(page.evaluate(async () => {
        try {
          const r = await fetch('DATA.TXT');
          const t = await r.text();
          return `fetched: ${t}`;
        } catch (e) {
          return 'blocked';
        }
      }), 15, `${name}: self-check fetch`);
      if (result !== 'blocked') {
        return [`[${name}] file:// restrictions are OFF (a page fetched a sibling file: ` +
                `${result}); the browser tests would prove nothing`];
      }
      return [];
    } finally {
      await page.close().catch(() => {});
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Runs `body(browser, recorder)` in each browser; returns every failure as a readable line.
// A browser that cannot start is a failure, not a skip.
export async function inEachBrowser(body, names = BROWSERS) {
  const failures = [];
  try {
    await loadPuppeteer();
  } catch (e) {
    return [e.message];
  }
  for (const name of names) {
    const recorder = new Recorder(name);
    let browser;
    try {
      browser = await launch(name);
      failures.push(...await checkFileRestrictions(browser, name));
      await body(browser, recorder, name);
    } catch (e) {
      recorder.fail(`aborted: ${e && e.stack ? e.stack : e}`);
    } finally {
      if (browser) await deadline(browser.close(), 20, `closing ${name}`).catch(() => {});
    }
    failures.push(...recorder.failures);
  }
  return failures;
}

// Small argument parser: --name value pairs.
export function parseArgs(argv, required) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}: expected --name value pairs`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const r of required) {
    if (!args[r]) throw new Error(`missing --${r}`);
  }
  return args;
}

// Prints the failures and sets the exit code; a hung browser cannot keep the process alive.
export function finish(failures, what) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(failures.length ? `${what}: ${failures.length} failure(s)` : `${what}: all passed`);
  process.exit(failures.length ? 1 : 0);
}

// Run directly, only the self-check.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  inEachBrowser(async () => {}).then((f) => finish(f, 'browsers self-check'),
                                      (e) => finish([String(e)], 'browsers self-check'));
}
