#!/usr/bin/env node
// Headless-browser test of the page `sarx serve` serves.
// usage: node tests/browser/run.mjs path/to/sarx [artefacts-dir]
// Starts the server on a free port with a fresh registry and a random token,
// drives the page in Chromium (playwright-core, the system's /usr/bin/chromium),
// and ends with "browser: N passed, N failed" (the harness convention).
import { execFileSync, spawn } from 'node:child_process';
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
// Opens the group (<details>) holding an input when it is closed, as a user would: by its summary.
async function reveal(page, sel) {
  const group = await page.$eval(sel, (e) => { const d = e.closest('details'); return d && !d.open ? d.id : null; });
  if (group) await page.click(`#${group} > summary`);
}
async function submitVisit(page, v) {
  await page.fill('#v-assessment_date', v.date);
  await page.fill('#v-weight', v.weight);
  await page.selectOption('#v-weight-unit', v.weightUnit === 'lb' ? 'weight_lb' : 'weight_kg');
  await page.fill('#v-height', v.height || '');
  await page.selectOption('#v-height-unit', v.heightUnit === 'in' ? 'height_in' : 'height_cm');
  await page.fill('#v-grip', v.grip || '');
  for (const [id, val] of Object.entries(v.selects || {})) { await reveal(page, '#v-' + id); await page.selectOption('#v-' + id, val); }
  await reveal(page, '#v-conditions');
  await page.fill('#v-conditions', v.conditions || '');
  if (v.viaKeyboard) { await page.focus('#v-grip'); await page.keyboard.press('Enter'); }   // implicit submission
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

  await fieldSteps(browser, page, base, token, dirs);
}

// ---- the visit form against the engine's fields ---------------------------------
// `sarx fields` as {name: {unit, alternateFor}}: columns found by the header's words.
function sarxFields() {
  const lines = execFileSync(SARX, ['fields'], { encoding: 'utf8' }).split('\n');
  const head = lines[0], at = (w) => head.indexOf(w);
  const kindAt = at('kind'), unitAt = at('unit'), restAt = at('range');
  const fields = {};
  for (const l of lines.slice(1)) {
    if (!l.trim()) continue;
    const name = l.slice(0, kindAt).trim(), unit = l.slice(unitAt, restAt).trim();
    const m = /\(alternate for (\w+)\)/.exec(l.slice(restAt));
    fields[name] = { unit, alternateFor: m ? m[1] : null };
  }
  return fields;
}
// The measures definitions read that are not fields, and the fields they are computed from
// (src/measures.c); a measure missing here fails the test, so that its inputs get checked.
const DERIVED = {
  bmi: ['weight_kg', 'height_cm'], asmi: ['asm_kg', 'height_cm'], alm_bmi: ['asm_kg', 'weight_kg', 'height_cm'],
  smi: ['smm_kg', 'bia_resistance_ohm', 'height_cm'], ffmi: ['ffm_kg', 'height_cm'],
  sarc_f_total: ['sarc_f', 'sarc_f_strength', 'sarc_f_assistance', 'sarc_f_rise', 'sarc_f_climb', 'sarc_f_falls'],
  sarc_calf_total: ['sarc_f', 'calf_circumference_cm'], mamc_cm: ['mid_arm_circumference_cm', 'triceps_skinfold_mm'],
  known_illness: ['chronic_illness', 'cancer', 'conditions'], disease_inflammation: ['inflammation', 'conditions'],
  cancer_known: ['cancer', 'conditions'], fat_pct: ['fat_mass_pct', 'fat_mass_kg', 'weight_kg'],
  asm_weight_pct: ['asm_kg', 'weight_kg'], smm_weight_pct: ['smm_kg', 'weight_kg'],
  weight_whole_body_kg: ['weight_kg', 'amputation', 'amputation_pct'],
};
// Fields a visit does not take: the registry supplies them (docs/API.md, Visits).
const NOT_A_VISIT_INPUT = { id: 'the registry names the visit', weight_history: 'the earlier visits are the history' };
// canonical = entered * scale (src/fields.c, the alternate units)
const SCALE = { weight_lb: 0.45359237, height_in: 2.54, height_m: 100, grip_lb: 0.45359237, crp_mg_dl: 10, hemoglobin_g_l: 0.1,
  albumin_g_l: 0.1, testosterone_nmol_l: 28.842, phosphate_mg_dl: 10 / 30.973762, magnesium_mg_dl: 10 / 24.305, potassium_meq_l: 1 };
const unitText = (u) => u.replace(/²/g, '2').replace(/\s+/g, '');

// The page's inputs: {field: input id} for what each control can send (every unit choice).
const pageFields = (page) => page.$$eval('#visit-form [data-field]', (cs) => {
  const out = {};
  for (const c of cs) {
    const unit = document.getElementById(c.id + '-unit');
    for (const f of unit ? Array.from(unit.options, (o) => o.value) : [c.dataset.field]) out[f] = c.id;
  }
  return out;
});
// The settled page after a save: the results shown, the form no longer busy (timeline, list and plot redrawn).
async function savedVisit(page, date) {
  await page.waitForSelector(`#results-body[data-visit-date="${date}"]`);
  await page.waitForSelector('#visit-form:not([aria-busy])');
  await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
}
async function resultsInView(page, where) {
  const r = await page.evaluate(() => {
    const h = document.querySelector('#results-h').getBoundingClientRect(), b = document.querySelector('#results').getBoundingClientRect();
    return { h: [h.top, h.bottom, h.left, h.right], top: b.top, vw: innerWidth, vh: innerHeight, focus: document.activeElement.id };
  });
  check(`after a save the results are in view (${where}): their heading inside the viewport, the results below it`,
    r.h[0] >= 0 && r.h[1] <= r.vh && r.h[2] >= 0 && r.h[3] <= r.vw && r.top >= -1 && r.top < r.vh / 3, JSON.stringify(r));
  eq(`after a save the results heading has the focus (${where})`, r.focus, 'results-h');
}
const noSideScroll = async (page, view) => {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(`no horizontal scroll at 390 px: ${view}`, w <= 390, `scrollWidth ${w}`);
};
// The measurements table of the visit shown: entered name -> {field, si}
const measurements = (page) => page.$$eval('#measurements tbody tr', (trs) => Object.fromEntries(trs.map((tr) => {
  const td = tr.querySelectorAll('td');
  return [td[0].textContent.trim(), { field: td[2].textContent.trim(), si: parseFloat(td[3].textContent) }];
})));

async function fieldSteps(browser, page, base, token, dirs) {
  // a fresh page (the steps above opened groups): the token is in sessionStorage
  await page.reload();
  await page.click('#patient-list button[data-patient-id]:has-text("Test Patient")');
  await page.waitForSelector('#results-body[data-visit-date="2026-07-10"]');
  // --- keyboard order: an input, then its unit, then the next input; a group opens with Enter
  await page.focus('#v-weight');
  const order = [];
  for (let i = 0; i < 3; i++) { await page.keyboard.press('Tab'); order.push(await page.evaluate(() => document.activeElement.id)); }
  eq('Tab goes from weight to its unit, then to height and its unit', order.join(' '), 'v-weight-unit v-height v-height-unit');
  await page.focus('#g-labs > summary');
  await page.keyboard.press('Enter');
  check('Enter on a group\'s summary opens it', await page.isVisible('#v-albumin'));
  await page.keyboard.press('Enter');
  check('... and Enter again closes it', await page.isHidden('#v-albumin'));

  // --- every field has an input; every input sends a known field
  const fields = sarxFields();
  const names = Object.keys(fields), canonical = names.filter((f) => !fields[f].alternateFor);
  check('`sarx fields` lists the fields and their alternates', canonical.length > 50 && names.length > canonical.length, names.join(' '));
  const onPage = await pageFields(page);
  const missing = canonical.filter((f) => !(f in onPage) && !(f in NOT_A_VISIT_INPUT) && f !== 'assessment_date');
  check('every field of `sarx fields` has an input on the visit form (id and weight_history come from the registry)',
    missing.length === 0, 'missing: ' + missing.join(', '));
  const unknown = Object.keys(onPage).filter((f) => !(f in fields));
  check('every field the visit form can send is a field of `sarx fields`', unknown.length === 0, unknown.join(', '));
  const unitChoices = await page.$$eval('#visit-form select[data-unit-for]', (ss) => ss.map((s) => ({
    input: s.dataset.unitFor, field: document.getElementById(s.dataset.unitFor).dataset.field, sends: Array.from(s.options, (o) => o.value) })));
  const badAlt = unitChoices.flatMap((u) => u.sends.filter((f) => !(f === u.field || (fields[f] && fields[f].alternateFor === u.field))));
  check('each unit choice sends the field itself or an alternate the engine knows (no conversion in the page)',
    unitChoices.length > 0 && badAlt.length === 0, badAlt.join(', '));
  const wanted = [['weight_kg', 'weight_lb'], ['height_cm', 'height_in'], ['albumin_g_dl', 'albumin_g_l'], ['hemoglobin_g_dl', 'hemoglobin_g_l'],
    ['crp_mg_l', 'crp_mg_dl']];
  const lacking = wanted.filter(([a, b]) => !unitChoices.some((u) => u.sends.includes(a) && u.sends.includes(b)));
  check('unit choices: weight kg/lb, height cm/in, albumin g/dL or g/L, haemoglobin g/dL or g/L, CRP mg/L or mg/dL',
    lacking.length === 0, JSON.stringify(lacking));
  const defs = JSON.parse(execFileSync(SARX, ['definitions', '--format', 'json'], { encoding: 'utf8' }));
  const measures = [...new Set(defs.definitions.flatMap((d) => d.rows.map((r) => r.measure)))];
  const noInput = measures.filter((m) => m in fields ? !(m in onPage) : !(m in DERIVED) || DERIVED[m].some((f) => !(f in onPage)));
  check(`every input the definitions read (${measures.length} measures) has an input, directly or through what it is computed from`,
    measures.length > 20 && noInput.length === 0, noInput.join(', '));

  // --- each number input's label carries its unit, for every unit choice
  const badLabels = [];
  for (const [f, id] of Object.entries(onPage)) {
    const kind = await page.getAttribute('#' + id, 'data-kind');
    if (kind !== 'num' || !fields[f] || !fields[f].unit) continue;
    // (the group may be closed: the choice is made as a change event, not a click)
    const label = await page.$eval('#' + id, (e, field) => {
      const unit = document.getElementById(e.id + '-unit');
      const choose = (v) => { unit.value = v; unit.dispatchEvent(new Event('change', { bubbles: true })); };
      if (!unit) return e.labels[0].textContent;
      const was = unit.value;
      choose(field);
      const text = e.labels[0].textContent;
      choose(was);
      return text;
    }, f);
    if (!unitText(label).includes('(' + unitText(fields[f].unit))) badLabels.push(`${f}: "${label}"`);
  }
  check('every number input is labelled with its unit (for each unit choice)', badLabels.length === 0, badLabels.join('; '));

  // --- groups: short, collapsible, counted
  const groups = await page.$$eval('#visit-form details.group', (ds) => ds.map((d) => ({ id: d.id, open: d.open, title: d.querySelector('summary').textContent })));
  check('the visit form is in at least 4 groups: the common measures open, the others closed',
    groups.length >= 4 && groups[0].open && groups.slice(1).every((g) => !g.open), JSON.stringify(groups));
  check('the groups are measured today, history, labs and questionnaire',
    ['Measured today', 'History', 'Labs', 'Questionnaire'].every((t) => groups.some((g) => g.title.startsWith(t))), JSON.stringify(groups));
  check('a closed group hides its inputs (the labs)', await page.isHidden('#v-albumin'));
  const formHeight = await page.$eval('#visit-form', (f) => f.getBoundingClientRect().height);
  check('the visit form stays short with its groups closed (< 900 px at 1280 px wide)', formHeight < 900, `${formHeight} px`);
  const labsCount = () => page.textContent('#g-labs [data-count]');
  eq('a closed group says how many of its fields are filled (none)', await labsCount(), '0 of 9 filled');
  await reveal(page, '#v-albumin');
  await page.fill('#v-albumin', '50');
  eq('the count follows the typing', await labsCount(), '1 of 9 filled');

  // --- a bad value in a closed group: the group opens and the input has the focus
  await page.click('#g-labs > summary');
  check('the labs group closes again', await page.isHidden('#v-albumin'));
  await page.fill('#v-assessment_date', '2026-08-01');
  await page.click('#visit-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#visit-error').textContent.length > 0);
  check('a 400 for a field in a closed group names the field (albumin_g_dl)', /albumin_g_dl/.test(await page.textContent('#visit-error')),
    await page.textContent('#visit-error'));
  check('... opens its group and focuses the input', await page.evaluate(() => document.activeElement.id === 'v-albumin' &&
    document.querySelector('#g-labs').open));
  await page.fill('#v-albumin', '');
  eq('the count goes back when the field is cleared', await labsCount(), '0 of 9 filled');

  // --- each unit path: the alternate field is sent as typed, the visit shows the canonical value
  await page.fill('#p-label', 'Units Patient');
  await page.selectOption('#p-sex', 'male');
  await page.fill('#p-birth_date', '1950-03-01');
  await page.click('#patient-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#patient-title').textContent === 'Units Patient');
  await page.waitForSelector('#results-empty', { state: 'visible' });
  const typed = { weight_lb: '154.3', height_m: '1.71', grip_lb: '62.5', crp_mg_dl: '1.7', albumin_g_l: '36',
    hemoglobin_g_l: '128', testosterone_nmol_l: '12.5', phosphate_mg_dl: '2.9', magnesium_mg_dl: '2.1', potassium_meq_l: '4.2' };
  const altVisit = async (date, values) => {
    await page.fill('#v-assessment_date', date);
    for (const [f, v] of Object.entries(values)) {
      const id = onPage[f];
      await reveal(page, '#' + id);
      if (await page.$('#' + id + '-unit')) await page.selectOption('#' + id + '-unit', f);
      await page.fill('#' + id, v);
    }
    const [req] = await Promise.all([page.waitForRequest((r) => r.method() === 'POST' && /\/visits$/.test(r.url())),
      page.click('#visit-form button[type=submit]')]);
    await savedVisit(page, date);
    return JSON.parse(req.postData());
  };
  const sent = await altVisit('2026-03-01', typed);
  const sentOk = Object.entries(typed).every(([f, v]) => sent[f] === Number(v)) &&
    Object.keys(typed).every((f) => !(fields[f].alternateFor in sent));
  check('the page sends each alternate field with the number as typed (converted by the server only)', sentOk, JSON.stringify(sent));
  await resultsInView(page, 'desktop');
  let m = await measurements(page);
  const wrong = Object.entries(typed).filter(([f, v]) => !m[f] || m[f].field !== fields[f].alternateFor ||
    Math.abs(m[f].si - Number(v) * SCALE[f]) > 0.006).map(([f]) => `${f}: ${JSON.stringify(m[f])}`);
  check('each alternate unit is stored once converted, in the canonical unit (weight lb, height m, grip lb, CRP mg/dL, ' +
    'albumin g/L, haemoglobin g/L, testosterone nmol/L, phosphate and magnesium mg/dL, potassium mEq/L)', wrong.length === 0, wrong.join('; '));
  eq('the unit choices stay for the next visit', await page.inputValue('#v-albumin-unit'), 'albumin_g_l');
  check('... and the label says so', /\(g\/L\)/.test(await page.$eval('#v-albumin', (e) => e.labels[0].textContent)));
  const plain = { weight_kg: '70.2', height_cm: '171', grip_kg: '28.4', crp_mg_l: '12', albumin_g_dl: '3.6', hemoglobin_g_dl: '12.8',
    testosterone_ng_dl: '360', phosphate_mmol_l: '0.94', magnesium_mmol_l: '0.86', potassium_mmol_l: '4.2' };
  const sent2 = await altVisit('2026-04-01', plain);
  m = await measurements(page);
  const wrong2 = Object.entries(plain).filter(([f, v]) => sent2[f] !== Number(v) || !m[f] || m[f].field !== f || Math.abs(m[f].si - Number(v)) > 0.006)
    .map(([f]) => `${f}: sent ${sent2[f]}, stored ${JSON.stringify(m[f])}`);
  check('each canonical unit is sent and stored as typed', wrong2.length === 0, wrong2.join('; '));

  // --- a phone: no horizontal scroll on the main views, the results in view after a save
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  p.setDefaultTimeout(STEP_MS);
  const perrors = [];
  p.on('pageerror', (e) => perrors.push(e.message));
  await p.goto(base + '#token=' + token);
  await p.waitForSelector('#patient-list button[data-patient-id]');
  await noSideScroll(p, 'the patient list');
  await p.tap('#patient-list button[data-patient-id]:has-text("Units Patient")');
  await p.waitForSelector('#results-body[data-visit-date="2026-04-01"]');
  await p.waitForFunction(() => { const t = document.querySelector('#patient-title').getBoundingClientRect(); return t.top >= -1 && t.bottom <= innerHeight; })
    .then(() => check('on a phone, picking a patient brings the patient into view (below the list)', true),
      (e) => check('on a phone, picking a patient brings the patient into view (below the list)', false, e.message));
  for (const g of await p.$$('#visit-form details.group:not([open]) > summary')) await g.click();
  await noSideScroll(p, 'the visit form, every group open');
  await p.locator('#visit').screenshot({ path: path.join(dirs.artefacts, 'sarx-phone-form.png') });
  await p.fill('#v-assessment_date', '2026-05-01');
  await p.fill('#v-weight', '69.5');
  await p.tap('#visit-form button[type=submit]');
  await savedVisit(p, '2026-05-01');
  await resultsInView(p, 'phone');
  await p.screenshot({ path: path.join(dirs.artefacts, 'sarx-phone-results.png') });
  for (const d of await p.$$('#definitions details')) await d.evaluate((e) => { e.open = true; });
  await noSideScroll(p, 'the results, every definition open with its evidence');
  await p.waitForSelector('#weight-plot svg');
  await p.locator('#weight-figure').scrollIntoViewIfNeeded();
  await noSideScroll(p, 'the timeline and weight plot');
  const plotW = await p.$eval('#weight-plot svg', (e) => e.getBoundingClientRect().right);
  check('the weight plot fits the phone width', plotW <= 390, `right edge ${plotW}`);
  await p.screenshot({ path: path.join(dirs.artefacts, 'sarx-phone-plot.png') });
  check('no script errors on the phone', perrors.length === 0, perrors.join(' | '));
  await phone.close();
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
