#!/usr/bin/env node
// Headless-browser test of the page `sarx serve` serves.
// usage: node tests/browser/run.mjs path/to/sarx [artefacts-dir]
// Starts the server on a free port with a fresh registry and a random token,
// drives the page in Chromium (playwright-core, the system's /usr/bin/chromium),
// and ends with "browser: N passed, N failed" (the harness convention).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [sarxArg, artArg] = process.argv.slice(2);
if (!sarxArg) {
  console.error('usage: node tests/browser/run.mjs path/to/sarx [artefacts-dir]');
  process.exit(2);
}
const SARX = path.resolve(sarxArg);
const ARTEFACTS = path.resolve(artArg || path.join(HERE, 'artefacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = 15000;   // per action; generous for a loaded CI machine

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
  return !!ok;
}
const eq = (name, got, want) => check(name, got === want, `got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);

// ---- the server -------------------------------------------------------------
function startServer(dir, token) {
  return new Promise((resolve, reject) => {
    const child = spawn(SARX, ['serve', '--db', path.join(dir, 'reg.db'), '--port', '0', '--access-log', 'off'],
      { env: { ...process.env, SARX_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = { text: '' };
    let done = false;
    const finish = (err, url) => {
      if (done) return;
      done = true; clearTimeout(timer);
      if (err) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        err.serverLog = log.text; reject(err);
      } else resolve({ child, url, log });
    };
    const timer = setTimeout(() => finish(new Error('the server did not print "listening on http://127.0.0.1:PORT/" within 10 s')), 10000);
    child.stdout.setEncoding('utf8'); child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s) => { log.text += s; });
    child.stderr.on('data', (s) => {
      log.text += s;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log.text);
      if (m) finish(null, `http://127.0.0.1:${m[1]}/`);
    });
    child.on('error', (e) => finish(new Error(`cannot start ${SARX}: ${e.message}`)));
    child.on('exit', (code, sig) => finish(new Error(`the server exited early (status ${code}, signal ${sig})`)));
  });
}
function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

// ---- page helpers -------------------------------------------------------------
async function submitVisit(page, v) {
  await page.fill('#v-assessment_date', v.date);
  await page.fill('#v-weight', v.weight);
  await page.selectOption('#v-weight-unit', v.weightUnit);
  await page.fill('#v-height', v.height || '');
  await page.selectOption('#v-height-unit', v.heightUnit || 'cm');
  await page.fill('#v-grip_kg', v.grip || '');
  for (const [id, val] of Object.entries(v.selects || {})) await page.selectOption('#v-' + id, val);
  await page.fill('#v-conditions', v.conditions || '');
  if (v.viaKeyboard) { await page.focus('#v-grip_kg'); await page.keyboard.press('Enter'); }   // implicit submission
  else await page.click('#visit-form button[type=submit]');
}
const defCategory = (page, id) => page.getAttribute(`#definitions tr.def[data-definition="${id}"]`, 'data-category');

async function run(base, token, dirs) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-default-apps'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    try { await steps(browser, page, base, token, dirs); }
    catch (e) {    // keep what the page showed when a step failed
      await page.screenshot({ path: path.join(dirs.artefacts, 'sarx-failure.png'), fullPage: true }).catch(() => {});
      throw e;
    }
  } finally {
    await browser.close();
  }
}

// The page, step by step; a thrown error (a selector that never appears) ends the run as one failure.
async function steps(browser, page, base, token, dirs) {
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(m.text()); });

  // --- static files and the token form
  const res = await page.goto(base);
  eq('GET / answers 200', res.status(), 200);
  check('the page asks for the token', await page.isVisible('#connect-form #token'));
  eq('the token field is a password field', await page.getAttribute('#token', 'type'), 'password');
  await page.fill('#token', 'not-the-token');
  await page.click('#connect-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#connect-error').textContent.includes('401'));
  check('a wrong token (401) shows a message and asks again',
    await page.isVisible('#connect-form') && !(await page.isVisible('#app')));
  await page.fill('#token', token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#app', { state: 'visible' });
  check('the right token connects', await page.isHidden('#connect'));
  check('the token is kept in sessionStorage', await page.evaluate((t) => Object.values(sessionStorage).includes(t), token));

  // --- a new patient
  await page.fill('#p-label', 'Test Patient');
  await page.selectOption('#p-sex', 'female');
  await page.fill('#p-birth_date', '1950-01-15');
  await page.click('#patient-form button[type=submit]');
  await page.waitForSelector('#patient-view', { state: 'visible' });
  eq('the new patient is selected', (await page.textContent('#patient-title')).trim(), 'Test Patient');
  await page.waitForSelector('#patient-list button[data-patient-id]');
  eq('the patient list shows one patient', await page.locator('#patient-list button[data-patient-id]').count(), 1);
  eq('the visit date defaults to today', await page.inputValue('#v-assessment_date'),
    await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; }));

  // --- visit 1: 70 kg, 160 cm, grip 15
  await submitVisit(page, { date: '2026-01-10', weight: '70', weightUnit: 'kg', height: '160', heightUnit: 'cm', grip: '15' });
  await page.waitForSelector('#results-body[data-visit-date="2026-01-10"]');
  check('visit 1 is assessed by every definition', await page.locator('#definitions tr.def').count() >= 10);

  // --- a value out of range: the server's message beside the form, the field focused
  await submitVisit(page, { date: '2026-07-10', weight: '10', weightUnit: 'lb', grip: '15' });
  await page.waitForFunction(() => document.querySelector('#visit-error').textContent.length > 0);
  const errText = await page.textContent('#visit-error');
  check('a 400 shows the server message naming the field', /weight_lb/.test(errText), JSON.stringify(errText));
  eq('a 400 focuses the named field (weight_lb -> the weight input)', await page.evaluate(() => document.activeElement.id), 'v-weight');

  // --- visit 2, six months later: 145.0 lb (65.77 kg, 6.04 % lost), 63 in, grip 15, cancer, and two
  // conditions typed one a line (COPD: chronic disease-related inflammation; hypertension: not).
  // Submitted with Enter from a text field (keyboard path).
  await submitVisit(page, { date: '2026-07-10', weight: '145.0', weightUnit: 'lb', height: '63', heightUnit: 'in', grip: '15',
    selects: { cancer: 'true' }, conditions: 'COPD GOLD 3\n hypertension \n', viaKeyboard: true });
  await page.waitForSelector('#results-body[data-visit-date="2026-07-10"]');
  eq('the error message is cleared after a good visit', (await page.textContent('#visit-error')).trim(), '');
  // GLIM: phenotypic criterion = weight loss > 5 % within 6 months (70 -> 65.77 kg is 6.04 %);
  // etiologic criterion = disease-related inflammation, which cancer and COPD satisfy (a chronic
  // illness of unknown kind would not) -> malnutrition, moderate (severe needs > 10 % within 6 months).
  const glim = await defCategory(page, 'glim2019');
  check('GLIM (glim2019) shows a malnutrition category', glim && glim.startsWith('malnutrition'), `category ${glim}`);
  eq('GLIM is moderate malnutrition (6 % loss: > 5 %, not > 10 %)', glim, 'malnutrition_moderate');
  // Fearon 2011 (cancer cachexia): cancer + weight loss > 5 % over 6 months -> cachexia (refractory needs
  // cancer unresponsive to treatment, low ECOG or short survival, which are not given).
  eq('Fearon 2011 (fearon2011) is cachexia', await defCategory(page, 'fearon2011'), 'cachexia');
  // Evans 2008: an underlying illness + weight loss >= 5 % are met, but it also needs 3 of 5 further
  // criteria (decreased strength, fatigue, anorexia, low fat-free mass index, abnormal biochemistry);
  // only the strength one is decided (grip 15 kg: low), the other four are missing, so the
  // definition cannot decide: indeterminate, not no_cachexia.
  eq('Evans 2008 (evans2008) is indeterminate (needs 3 of 5 minor criteria, only 1 known)',
    await defCategory(page, 'evans2008'), 'indeterminate');
  eq('evans2008 is marked incomplete', await page.getAttribute('#definitions tr.def[data-definition="evans2008"]', 'data-complete'), 'false');
  check('the disclaimer is shown', /not a diagnosis/i.test(await page.textContent('#disclaimer')));
  const weightRow = page.locator('#measurements tbody tr', { hasText: 'weight_lb' });
  check('the weight was sent in lb and converted by the server', /65\.77/.test(await weightRow.textContent()),
    await weightRow.textContent().catch(() => 'no weight_lb row'));
  const condRow = page.locator('#measurements tbody tr', { hasText: 'conditions' });
  const condText = await condRow.textContent().catch(() => 'no conditions row');
  check('the conditions were sent one a line, trimmed', /COPD GOLD 3/.test(condText) && /hypertension/.test(condText) &&
    !/ hypertension /.test(condText), condText);

  // --- details rows: criteria, evidence, citations; keyboard opens them
  const summary = page.locator('tr[data-definition-detail="glim2019"] summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  check('Enter opens the GLIM criteria', await page.getAttribute('tr[data-definition-detail="glim2019"] details', 'open') !== null);
  const glimDetail = page.locator('tr[data-definition-detail="glim2019"]');
  check('GLIM evidence rows are listed with statuses', await glimDetail.locator('table.evidence tbody tr').count() > 0);
  check('GLIM weight-loss criterion is met', await glimDetail.locator('.crit[data-status="met"]').count() > 0);
  check('GLIM evidence has citations', /Cederholm/.test(await glimDetail.textContent()));
  check('the guidance lists likely causes', await page.locator('#causes li').count() > 0);
  check('the guidance has a plan', await page.locator('#plan dl, #plan li').count() > 0);

  // --- timeline and weight plot
  await page.waitForFunction(() => document.querySelectorAll('#timeline-table thead th[data-visit-id]').length === 2);
  const dates = await page.$$eval('#timeline-table thead th[data-visit-id]', (ths) => ths.map((t) => t.textContent.trim()));
  eq('the timeline has one column per visit date', dates.join(' '), '2026-01-10 2026-07-10');
  const tlGlim = await page.$$eval('#timeline-table tr[data-definition="glim2019"] td', (tds) => tds.map((t) => t.dataset.category));
  check('the timeline shows GLIM malnutrition at the second visit', tlGlim.length === 2 && /^malnutrition/.test(tlGlim[1]), JSON.stringify(tlGlim));
  const loss = await page.$$eval('#timeline-table tr[data-row="weight_loss_pct_6m"] td', (tds) => tds.map((t) => t.textContent));
  check('the timeline shows the 6-month loss (6.04 %)', loss.length === 2 && Math.abs(parseFloat(loss[1]) - 6.04) < 0.01, JSON.stringify(loss));
  await page.waitForSelector('#weight-plot svg');
  const points = await page.$$eval('#weight-plot svg circle', (c) => c.length);
  check('#weight-plot svg has at least 2 points', points >= 2, `${points} circle(s)`);
  check('the plot is inside a figure with a caption', await page.locator('figure:has(#weight-plot) figcaption').count() === 1);

  // --- search
  await page.fill('#q', 'zzz-nobody');
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#patient-list button').length === 0);
  check('a search with no match empties the list', /No patient matches/.test(await page.textContent('#patient-count')));
  await page.fill('#q', 'test pat');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#patient-list button[data-patient-id]');
  check('a search by label finds the patient', /Test Patient/.test(await page.textContent('#patient-list')));

  // --- accessibility basics
  const unlabelled = await page.$$eval('input:not([type=hidden]), select', (els) =>
    els.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id || e.name || e.outerHTML));
  check('every input and select has a label', unlabelled.length === 0, unlabelled.join(', '));
  const dupIds = await page.$$eval('[id]', (els) => { const seen = new Set(), dup = []; for (const e of els) { if (seen.has(e.id)) dup.push(e.id); seen.add(e.id); } return dup; });
  check('element ids are unique', dupIds.length === 0, dupIds.join(', '));
  check('there is a polite live status region', await page.locator('[aria-live="polite"]').count() > 0);
  const fakeButtons = await page.$$eval('[onclick], div[role=button], span[role=button], a:not([href])', (e) => e.length);
  eq('no clickable non-buttons', fakeButtons, 0);
  await page.focus('#q');
  await page.keyboard.press('Tab');
  const tabbed = await page.evaluate(() => document.activeElement.tagName + ':' + document.activeElement.textContent.trim());
  check('Tab moves from the search box to its button', tabbed === 'BUTTON:Search', tabbed);
  check('the focused element has a visible outline', await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none'));
  check('no script errors on the page', pageErrors.length === 0, pageErrors.join(' | '));

  // --- artefacts: screenshot, and the print view
  await page.screenshot({ path: path.join(dirs.artefacts, 'sarx-page.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  check('print hides the forms', !(await page.isVisible('#visit-form')) && !(await page.isVisible('#patient-form')));
  check('print shows the results, timeline and plot', await page.isVisible('#definitions') && await page.isVisible('#timeline-table') &&
    await page.isVisible('#weight-plot svg'));
  await page.pdf({ path: path.join(dirs.artefacts, 'sarx-page.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });

  // --- the token in the URL fragment, then a token that stops working
  const page2 = await (await browser.newContext()).newPage();
  page2.setDefaultTimeout(STEP_MS);
  await page2.goto(base + '#token=' + token);
  await page2.waitForSelector('#patient-list button[data-patient-id]');
  check('#token=... in the URL connects', await page2.isVisible('#app'));
  check('the token is removed from the address bar', !page2.url().includes('token'), page2.url());
  await page2.focus('#patient-list button[data-patient-id]');
  await page2.keyboard.press('Enter');
  await page2.waitForSelector('#results-body[data-visit-date="2026-07-10"]');
  eq('picking the patient with the keyboard shows its latest visit', await defCategory(page2, 'fearon2011'), 'cachexia');
  await page2.evaluate(() => { for (const k of Object.keys(sessionStorage)) sessionStorage.setItem(k, 'revoked'); });
  await page2.click('#patient-list button[data-patient-id]');
  await page2.waitForSelector('#connect', { state: 'visible' });
  check('a 401 mid-session asks for the token again', /401/.test(await page2.textContent('#connect-error')) &&
    await page2.evaluate(() => document.activeElement.id) === 'token');
}

// ---- main ---------------------------------------------------------------------
const tmp = mkdtempSync(path.join(tmpdir(), 'sarx-browser-'));
const token = randomBytes(32).toString('hex');
let server = null;
const cleanup = async () => { await stopServer(server && server.child); rmSync(tmp, { recursive: true, force: true }); };
process.on('SIGINT', () => { cleanup().finally(() => process.exit(130)); });
try {
  mkdirSync(ARTEFACTS, { recursive: true });
  try {
    server = await startServer(tmp, token);
    check('the server starts', true);
  } catch (e) {
    check('the server starts', false, e.message);
    if (e.serverLog) console.log('--- server stderr ---\n' + e.serverLog + '\n--- end ---');
  }
  if (server) await run(server.url, token, { artefacts: ARTEFACTS });
} catch (e) {
  check('the test ran to the end', false, (e && e.stack) || String(e));
  if (server && server.log.text) console.log('--- server stderr ---\n' + server.log.text + '\n--- end ---');
} finally {
  await cleanup();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
