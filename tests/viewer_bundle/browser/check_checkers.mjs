// Proves check_web.mjs and check_viewer.mjs catch what they are meant to catch: copies a good
// volume, breaks it in known ways, runs both checkers (chromium only, to keep it short) and
// fails unless each checker exits non-zero and reports every planted fault.
//   node check_checkers.mjs --root GOOD_VOLUME --expect FILE.json --work DIR

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { finish, parseArgs } from './browsers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2), ['root', 'expect', 'work']);
const work = path.resolve(args.work);
const bad = path.join(work, 'BROKEN');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
fs.cpSync(path.resolve(args.root), bad, { recursive: true });

const edit = (rel, fn) => {
  const p = path.join(bad, rel);
  fs.writeFileSync(p, fn(fs.readFileSync(p, 'utf8')));
};

// Faults in the IHE PDI pages, each with the failure line check_web must print.
edit('IHE_PDI/S0000002.HTM', (t) => t.replace('</body>', '<script>var x = 1;</script>\n</body>'));
edit('IHE_PDI/S0000003.HTM', (t) => t.replace('<h1>', '<h1 onclick="x()">'));
edit('IHE_PDI/S0000004.HTM', (t) => t.replace('</body>', '<p><a href="https://example.invalid/">x</a></p>\n</body>'));
edit('IHE_PDI/S0000005.HTM', (t) => t.replace('</body>', '<p>unclosed\n</body>'));
fs.rmSync(path.join(bad, 'IHE_PDI/S0000001/T0000002.JPG'));
edit('INDEX.HTM', (t) => t.replace(/Yamada/g, 'Tanaka'));
edit('README.TXT', (t) => t.replace(/\r\n/g, '\n'));
const webFaults = [
  /S0000002\.HTM: contains a <script> tag/,
  /S0000002\.HTM: 1 <script> element/,
  /S0000003\.HTM: event attributes H1\.onclick/,
  /S0000004\.HTM: link leaves the medium/,
  /S0000005\.HTM: not well-formed XHTML/,
  /S0000001\.HTM: image points to a missing file: IHE_PDI\/S0000001\/T0000002\.JPG/,
  /S0000001\.HTM: images that do not load: S0000001\/T0000002\.JPG/,
  /INDEX\.HTM: patient name part "Yamada" not shown/,
  /README\.TXT: a line does not end with CRLF/,
];

// Faults in the viewer's data and files, each with the failure line check_viewer must print.
edit('VIEWER/VOLUME.JS', (t) => t.replace('"Yamada^', '"Suzuki^'));
fs.rmSync(path.join(bad, 'IHE_PDI/S0000001/L0000002.JPG'));
edit('VIEWER/VIEWER.JS', (t) => t.replace('(function () {', '/* caf\u00e9 */\n(function () {'));
const viewerFaults = [
  /patient name: "Yamada" not shown/,
  /preset L: /,
  /VIEWER\/VIEWER\.JS has a non-ASCII byte/,
];

function run(script, faults) {
  const r = spawnSync(process.execPath,
    [path.join(here, script), '--root', bad, '--expect', args.expect,
     '--screenshots', path.join(work, 'shots'), '--browsers', 'chromium'],
    { cwd: here, encoding: 'utf8', timeout: 200000 });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  const failures = [];
  if (r.status === 0) failures.push(`${script} passed a broken volume`);
  if (r.error) failures.push(`${script}: ${r.error.message}`);
  for (const f of faults) if (!f.test(out)) failures.push(`${script} did not report ${f}`);
  if (failures.length) console.log(`--- ${script} output:\n${out}---`);
  return failures;
}

finish([...run('check_web.mjs', webFaults), ...run('check_viewer.mjs', viewerFaults)],
       'check_checkers');
