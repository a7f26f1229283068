// sarx serve: the registry page. Plain JS, no build step, no dependencies.
// Everything taken from JSON goes into the page through textContent /
// createElement; the only markup inserted is the weight SVG our server draws.
'use strict';
(() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'sarx.token';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  let catalogue = new Map();        // definition id -> catalogue entry
  let current = null;               // selected patient id
  let listSeq = 0, viewSeq = 0;     // drop answers that arrive out of order

  // ---- small helpers ------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of kids.flat(Infinity)) if (c != null && c !== false && c !== '') e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const status = (msg) => { $('#status').textContent = msg; };
  const today = () => {
    const d = new Date(), p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  };
  function fmt(v, unit) {
    if (v == null) return '—';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') v = Number.isInteger(v) ? String(v) : String(+v.toFixed(2));
    // an interval (SARC-F with items missing; BMI after an amputation known by its level)
    else if (typeof v === 'object' && 'min' in v) v = `${fmt(v.min)}–${fmt(v.max)}`;
    return unit ? `${v} ${unit}` : String(v);
  }
  const range = (a, unit) => Array.isArray(a) && a[0] != null ? `${fmt(a[0])}–${fmt(a[1])}${unit ? ' ' + unit : ''}` : null;
  const words = (id) => String(id || '').replace(/_/g, ' ');
  const STATUS = { met: 'met', not_met: 'not met', unknown: 'missing', missing: 'missing', not_applicable: 'not applicable' };
  function catClass(c) {
    if (!c || c === 'indeterminate') return 'cat cat-unknown';
    if (c === 'not_applicable') return 'cat cat-na';   // the definition does not apply: neither positive nor negative
    return /^(no_|negative$|normal$)/.test(c) ? 'cat cat-neg' : 'cat cat-pos';
  }
  const catSpan = (c) => el('span', { class: catClass(c), text: words(c || 'none') });
  const cite = (c) => c ? el('cite', { text: c }) : null;

  // ---- token and API ------------------------------------------------------
  const getToken = () => sessionStorage.getItem(TOKEN_KEY) || '';
  class ApiError extends Error {
    constructor(httpStatus, err) {
      super((err && err.message) || `HTTP ${httpStatus}`);
      this.status = httpStatus; this.code = err && err.code; this.field = err && err.field;
    }
  }
  async function request(method, path, body) {
    const headers = { Authorization: 'Bearer ' + getToken() };
    const opt = { method, headers, cache: 'no-store' };
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
    let res;
    try { res = await fetch(API + path, opt); }
    catch (e) { throw new ApiError(0, { code: 'network', message: `The server did not answer (${e.message}).` }); }
    if (res.ok) return res;
    let err = null;
    try { err = (await res.json()).error; } catch (e) { /* not JSON */ }
    if (res.status === 401) askToken('The server refused the token (401 unauthorized). Enter the token again.');
    throw new ApiError(res.status, err);
  }
  async function api(method, path, body) {
    const res = await request(method, path, body);
    return res.status === 204 ? null : res.json();
  }

  function askToken(msg) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('#app').hidden = true; $('#disconnect').hidden = true; $('#print').hidden = true; $('#connect').hidden = false;
    $('#connect-error').textContent = msg || '';
    status(msg || 'Enter the access token to connect.');
    $('#token').focus();
  }
  async function connect() {
    try {
      const cat = await api('GET', '/definitions');
      catalogue = new Map((cat.definitions || []).map((d) => [d.id, d]));
    } catch (e) {
      if (e.status !== 401) { $('#connect').hidden = false; $('#connect-error').textContent = e.message; }
      return;
    }
    $('#connect').hidden = true; $('#connect-error').textContent = '';
    $('#app').hidden = false; $('#disconnect').hidden = false; $('#print').hidden = false;
    status('Connected.');
    await loadPatients();
  }

  // ---- patients -----------------------------------------------------------
  const patientName = (p) => p.label || p.external_id || `Patient ${p.id}`;
  async function loadPatients() {
    const seq = ++listSeq, q = $('#q').value.trim();
    let data;
    try { data = await api('GET', '/patients?limit=50' + (q ? '&q=' + encodeURIComponent(q) : '')); }
    catch (e) { if (e.status !== 401) status('Could not list patients: ' + e.message); return; }
    if (seq !== listSeq) return;
    const list = $('#patient-list');
    list.replaceChildren(...data.patients.map((p) => el('li', null,
      el('button', { type: 'button', 'data-patient-id': p.id, 'aria-current': p.id === current ? 'true' : null },
        el('span', { class: 'pname', text: patientName(p) }),
        el('span', { class: 'pmeta', text: [p.external_id && p.label ? p.external_id : null, p.sex, p.birth_date && 'born ' + p.birth_date,
          `${p.visit_count || 0} visit${p.visit_count === 1 ? '' : 's'}`, p.last_visit_date && 'last ' + p.last_visit_date].filter(Boolean).join(' · ') })))));
    $('#patient-count').textContent = data.total === 0 ? (q ? 'No patient matches.' : 'No patients yet.')
      : `${data.total} patient${data.total === 1 ? '' : 's'}${data.total > data.patients.length ? `, showing ${data.patients.length}` : ''}`;
  }

  function formError(form, prefix, err, map) {
    const box = $('.error', form);
    box.textContent = err.message;
    const id = err.field && ((map && map[err.field]) || prefix + err.field);
    const input = id && document.getElementById(id);
    if (input && form.contains(input)) {
      const group = input.closest('details');
      if (group) group.open = true;        // the field may be in a closed group
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', box.id);
      input.focus();
    }
    status('Not saved: the form says why.');
  }
  function clearErrors(form) {
    $('.error', form).textContent = '';
    for (const i of $$('[aria-invalid]', form)) { i.removeAttribute('aria-invalid'); i.removeAttribute('aria-describedby'); }
  }
  async function busy(form, fn) {
    if (form.dataset.busy) return;
    form.dataset.busy = '1'; form.setAttribute('aria-busy', 'true');
    try { await fn(); } finally { delete form.dataset.busy; form.removeAttribute('aria-busy'); }
  }

  async function createPatient(form) {
    clearErrors(form);
    const body = {};
    for (const f of ['label', 'external_id', 'sex', 'birth_date', 'population']) {
      const v = form.elements[f].value.trim();
      if (v !== '') body[f] = v;
    }
    try {
      const p = await api('POST', '/patients', body);
      form.reset();
      status(`Patient ${patientName(p)} created.`);
      $('#q').value = '';
      current = p.id;
      await loadPatients();
      await selectPatient(p.id);
      $('#v-assessment_date').focus();
    } catch (e) { if (e.status !== 401) formError(form, 'p-', e); }
  }

  async function selectPatient(id, keepAssessment) {
    current = id;
    const seq = ++viewSeq;
    for (const b of $$('#patient-list button')) b.setAttribute('aria-current', String(Number(b.dataset.patientId) === id));
    let tl;
    try { tl = await api('GET', `/patients/${id}/timeline`); }
    catch (e) { if (e.status !== 401) status('Could not load the patient: ' + e.message); return; }
    if (seq !== viewSeq) return;
    $('#no-patient').hidden = true; $('#patient-view').hidden = false;
    renderPatient(tl.patient);
    renderTimeline(tl);
    if (!keepAssessment) {
      clearErrors($('#visit-form'));
      resetVisitForm();
      const visits = (tl.visits || []).slice().sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : a.visit_id - b.visit_id);
      const last = visits[visits.length - 1];
      if (last) {
        try {
          const v = await api('GET', `/patients/${id}/visits/${last.visit_id}`);
          if (seq === viewSeq) renderAssessment(v);
        } catch (e) { if (e.status !== 401) status('Could not load the visit: ' + e.message); }
      } else renderAssessment(null);
    }
    await loadPlot(id, seq, (tl.visits || []).length);
    if (seq === viewSeq && !keepAssessment) status(`Showing ${patientName(tl.patient)}.`);
  }
  function renderPatient(p) {
    $('#patient-title').textContent = patientName(p);
    $('#patient-meta').textContent = [p.external_id && 'External id ' + p.external_id, p.sex, p.birth_date && 'born ' + p.birth_date,
      p.population && 'population ' + p.population, `${p.visit_count || 0} visit(s)`].filter(Boolean).join(' · ');
  }

  // ---- the visit form -------------------------------------------------------
  // One table, every field of `sarx fields` a visit can carry (the browser test
  // checks it against `sarx fields` and the definitions' inputs). An entry:
  //   f      the canonical field; the input's id is 'v-' + f unless `id` is given
  //   unit   the unit shown in the label (the unit of `sarx fields`)
  //   units  [[field, unit], ...] when clinicians use two units: the choice picks
  //          the field that is SENT (an alternate field of `sarx fields` such as
  //          albumin_g_l), so the server converts once and nothing is converted here
  //   kind   'num', 'int' (a number typed; both go as typed when not a number, so that
  //          the server names the field), 'bool', 'enum' (options), 'list' (one a line)
  //   opts   [[value, text], ...] for 'enum'; with `int`, the values go as numbers
  const num = (f, label, unit, o) => ({ f, label, unit, kind: 'num', ...o });
  const int = (f, label, unit, o) => ({ f, label, unit, kind: 'int', ...o });
  const alt = (f, id, label, units) => ({ f, id, label, units, kind: 'num' });
  const bool = (f, label) => ({ f, label, kind: 'bool' });
  const pick = (f, label, opts, o) => ({ f, label, opts, kind: 'enum', ...o });
  const list = (f, label) => ({ f, label, kind: 'list' });
  const SARC_F = [['0', '0 — none'], ['1', '1 — some'], ['2', '2 — a lot, or unable']];
  const GROUPS = [
    { id: 'now', title: 'Measured today', open: true, fields: [
      alt('weight_kg', 'v-weight', 'Weight', [['weight_kg', 'kg'], ['weight_lb', 'lb']]),
      alt('height_cm', 'v-height', 'Height', [['height_cm', 'cm'], ['height_in', 'in'], ['height_m', 'm']]),
      alt('grip_kg', 'v-grip', 'Grip strength, best hand', [['grip_kg', 'kg'], ['grip_lb', 'lb']]),
      num('gait_speed_m_s', 'Gait speed', 'm/s'),
      num('chair_stand_5x_s', 'Chair stand, 5 rises', 's'),
      bool('chair_stand_unable', 'Unable to do 5 chair rises'),
      num('asm_kg', 'Appendicular skeletal mass, ASM', 'kg'),
      pick('asm_method', 'ASM measured by', [['dxa', 'DXA'], ['bia', 'BIA']]),
      num('calf_circumference_cm', 'Calf circumference', 'cm')] },
    { id: 'more', title: 'More measurements', fields: [
      int('sppb_score', 'SPPB score, 0–12', 'points'),
      num('tug_s', 'Timed Up and Go, TUG', 's'),
      num('walk_400m_s', '400 m walk time', 's'),
      bool('walk_400m_completed', 'Completed the 400 m walk'),
      num('smm_kg', 'Skeletal muscle mass, SMM', 'kg'),
      num('ffm_kg', 'Fat-free mass, FFM', 'kg'),
      num('bia_resistance_ohm', 'BIA resistance at 50 kHz', 'ohm'),
      num('bia_reactance_ohm', 'BIA reactance at 50 kHz', 'ohm'),
      num('mid_arm_circumference_cm', 'Mid-upper-arm circumference, MUAC', 'cm'),
      num('triceps_skinfold_mm', 'Triceps skinfold, TSF', 'mm'),
      num('ct_l3_smi_cm2_m2', 'CT L3 skeletal muscle index', 'cm²/m²'),
      num('fat_mass_pct', 'Body fat', '% of weight'),
      num('fat_mass_kg', 'Fat mass', 'kg'),
      num('waist_cm', 'Waist circumference', 'cm'),
      num('lift_load_kg', 'Lift load, submaximal (for 1RM)', 'kg'),
      int('lift_reps', 'Repetitions of that lift', 'count')] },
    { id: 'history', title: 'History and diagnoses', fields: [
      list('conditions', 'Diagnosed conditions (one per line: free text such as “COPD”, or a code such as “icd10:N18.4”)'),
      list('medications', 'Medications (one per line, the drug’s name)'),
      bool('chronic_illness', 'Chronic illness'),
      bool('cancer', 'Cancer'),
      bool('cancer_unresponsive', 'Cancer not responding to treatment'),
      pick('ecog', 'ECOG performance status', [['0', '0 — fully active'], ['1', '1 — light work only'],
        ['2', '2 — self-care, up > 50 % of day'], ['3', '3 — limited self-care'], ['4', '4 — bedbound']], { int: true }),
      num('life_expectancy_months', 'Expected survival', 'months'),
      bool('inflammation', 'Inflammation (acute or chronic disease)'),
      bool('metabolic_change', 'Metabolic change (e.g. insulin resistance)'),
      bool('reduced_strength', 'Decreased muscle strength (clinical)'),
      bool('low_mamc', 'Mid-arm muscle circumference < 10th percentile'),
      bool('sarcopenia_suspected', 'Suspected low muscle mass or function'),
      bool('obesity_complications', 'Complication of body composition (metabolic, cardiovascular, respiratory, disabling)'),
      bool('dialysis', 'On dialysis'),
      bool('pregnant', 'Pregnant'),
      bool('edema_or_ascites', 'Oedema or ascites'),
      bool('alcohol_misuse', 'Alcohol misuse'),
      pick('activity_level', 'Physical activity', [['sedentary', 'sedentary'], ['low', 'low'], ['moderate', 'moderate'], ['high', 'high']]),
      num('immobilized_days', 'Bed rest or cast, last 3 months', 'days'),
      num('weight_loss_pct_6m', 'Weight lost in 6 months, when earlier weights are not visits here', '%'),
      num('weight_loss_pct_12m', 'Weight lost in 12 months, when earlier weights are not visits here', '%'),
      pick('amputation', 'Limb amputation (highest level)', [['none', 'none'], ['hand', 'hand'], ['below_elbow', 'below elbow'],
        ['above_elbow', 'above elbow'], ['foot', 'foot'], ['below_knee', 'below knee'], ['above_knee', 'above knee'], ['hip', 'hip']]),
      bool('amputation_bilateral', 'Same amputation on both sides'),
      num('amputation_pct', 'Body weight missing through amputation', '%'),
      bool('amputation_adjusted', 'Muscle masses and calf already adjusted for the amputation'),
      pick('sex', 'Sex, when the patient record has none', [['female', 'female'], ['male', 'male']]),
      int('age_years', 'Age, when the patient record has no birth date', 'years'),
      pick('population', 'Reference population, when the record has none', [['general', 'general'], ['asian', 'asian']])] },
    { id: 'labs', title: 'Labs', fields: [
      alt('crp_mg_l', 'v-crp', 'C-reactive protein, CRP', [['crp_mg_l', 'mg/L'], ['crp_mg_dl', 'mg/dL']]),
      alt('albumin_g_dl', 'v-albumin', 'Albumin', [['albumin_g_dl', 'g/dL'], ['albumin_g_l', 'g/L']]),
      alt('hemoglobin_g_dl', 'v-hemoglobin', 'Haemoglobin', [['hemoglobin_g_dl', 'g/dL'], ['hemoglobin_g_l', 'g/L']]),
      num('egfr_ml_min_1_73m2', 'eGFR', 'mL/min/1.73 m²'),
      num('il6_pg_ml', 'Interleukin-6', 'pg/mL'),
      alt('potassium_mmol_l', 'v-potassium', 'Potassium', [['potassium_mmol_l', 'mmol/L'], ['potassium_meq_l', 'mEq/L']]),
      alt('phosphate_mmol_l', 'v-phosphate', 'Phosphate', [['phosphate_mmol_l', 'mmol/L'], ['phosphate_mg_dl', 'mg/dL']]),
      alt('magnesium_mmol_l', 'v-magnesium', 'Magnesium', [['magnesium_mmol_l', 'mmol/L'], ['magnesium_mg_dl', 'mg/dL']]),
      alt('testosterone_ng_dl', 'v-testosterone', 'Testosterone, total', [['testosterone_ng_dl', 'ng/dL'], ['testosterone_nmol_l', 'nmol/L']])] },
    { id: 'questionnaire', title: 'Questionnaire and symptoms', fields: [
      int('sarc_f', 'SARC-F total, 0–10 (or the items below)', 'points'),
      pick('sarc_f_strength', 'SARC-F: difficulty lifting 10 lb', SARC_F, { int: true }),
      pick('sarc_f_assistance', 'SARC-F: difficulty walking across a room', SARC_F, { int: true }),
      pick('sarc_f_rise', 'SARC-F: difficulty rising from a chair', SARC_F, { int: true }),
      pick('sarc_f_climb', 'SARC-F: difficulty climbing 10 stairs', SARC_F, { int: true }),
      pick('sarc_f_falls', 'SARC-F: falls in the past year', [['0', '0 — none'], ['1', '1 — 1 to 3'], ['2', '2 — 4 or more']], { int: true }),
      bool('fatigue', 'Fatigue'),
      bool('anorexia', 'Anorexia (poor appetite)'),
      bool('reduced_intake', 'Reduced food intake or assimilation'),
      num('low_intake_days', 'Days of little or no food intake', 'days'),
      num('intake_pct_usual', 'Intake, share of usual', '%'),
      num('energy_intake_kcal_kg_day', 'Energy intake', 'kcal/kg/day'),
      bool('dyspnea', 'Difficulty breathing'),
      bool('fasciculations', 'Muscle twitching'),
      bool('asymmetric_wasting', 'One limb noticeably smaller')] },
  ];
  // a field the server names -> the input holding it (each unit's field names the same input)
  const VISIT_FIELD = { sarc_f_total: 'v-sarc_f' };
  const fieldId = (e) => e.id || 'v-' + e.f;

  function fieldControl(e) {
    const id = fieldId(e), label = el('label', { for: id }, e.label);
    let control;
    if (e.kind === 'bool' || e.kind === 'enum') {
      control = el('select', { id, 'data-field': e.f, 'data-kind': e.kind === 'bool' ? 'bool' : e.int ? 'int' : 'text' },
        el('option', { value: '', text: 'not recorded' }),
        (e.kind === 'bool' ? [['true', 'yes'], ['false', 'no']] : e.opts).map(([v, t]) => el('option', { value: v, text: t })));
    } else if (e.kind === 'list') {
      control = el('textarea', { id, 'data-field': e.f, 'data-kind': 'list', rows: 2 });
    } else {
      control = el('input', { id, type: 'text', inputmode: e.kind === 'int' ? 'numeric' : 'decimal', 'data-field': e.f, 'data-kind': 'num' });
      if (e.units) {
        // The unit is in the input's label too (hidden from sight: the choice beside it shows it).
        const shown = el('span', { class: 'sr', text: ` (${e.units[0][1]})` });
        label.append(shown);
        const sel = el('select', { id: id + '-unit', 'data-unit-for': id },
          e.units.map(([f, u]) => el('option', { value: f, text: u })));
        sel.addEventListener('change', () => { shown.textContent = ` (${sel.selectedOptions[0].text})`; });
        for (const [f] of e.units) VISIT_FIELD[f] = id;
        return el('div', null, label,
          el('div', { class: 'row' }, control, el('label', { class: 'sr', for: id + '-unit', text: e.label + ' unit' }), sel));
      }
      label.append(` (${e.unit})`);
    }
    VISIT_FIELD[e.f] = id;
    return el('div', { class: e.kind === 'list' ? 'wide' : null }, label, control);
  }
  function buildVisitForm() {
    const box = $('#visit-groups');
    box.replaceChildren(...GROUPS.map((g) => el('details', { class: 'group', id: 'g-' + g.id, 'data-group': g.id, open: !!g.open },
      el('summary', null, el('span', { class: 'gtitle', text: g.title }), ' ', el('span', { class: 'gcount', 'data-count': '' })),
      el('div', { class: 'grid' }, g.fields.map(fieldControl)))));
    countFilled();
  }
  // Each group says how many of its fields hold a value, so a closed group still shows what it carries.
  function countFilled() {
    for (const d of $$('#visit-groups details')) {
      const fields = $$('[data-field]', d), filled = fields.filter((c) => c.value.trim() !== '').length;
      const out = $('[data-count]', d);
      out.textContent = `${filled} of ${fields.length} filled`;
      out.dataset.filled = filled;
    }
  }
  // A number as typed; text that is not a number goes as typed so that the server names the field.
  const number = (s) => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : s;

  function resetVisitForm() {
    // The unit choices stay as the user left them: a clinic that weighs in lb does so at every visit.
    const f = $('#visit-form'), units = $$('select[data-unit-for]', f).map((s) => [s, s.value]);
    f.reset();
    for (const [s, v] of units) { s.value = v; s.dispatchEvent(new Event('change')); }
    f.elements.assessment_date.value = today();
    countFilled();
  }
  function visitBody(form) {
    const body = {};
    if (form.elements.assessment_date.value) body.assessment_date = form.elements.assessment_date.value;
    for (const c of $$('[data-field]', form)) {
      const v = c.value.trim(), unit = document.getElementById(c.id + '-unit');
      const name = unit ? unit.value : c.dataset.field;
      if (v === '') continue;
      switch (c.dataset.kind) {
        case 'bool': body[name] = v === 'true'; break;
        case 'int': body[name] = Number(v); break;
        case 'num': body[name] = number(v); break;
        // one item a line: free text, or a coded entry "icd10:N18.4" (the server reads both)
        case 'list': { const items = v.split('\n').map((x) => x.trim()).filter((x) => x !== ''); if (items.length) body[name] = items; break; }
        default: body[name] = v;
      }
    }
    return body;
  }
  // The results, in view and focused (a screen reader reads the heading); after a save the
  // list, timeline and plot above or beside them may change height, so this runs again then.
  function showResults() {
    $('#results-h').focus({ preventScroll: true });
    $('#results').scrollIntoView({ block: 'start' });
  }
  async function saveVisit(form) {
    clearErrors(form);
    if (current == null) return;
    const body = visitBody(form);
    try {
      const r = await api('POST', `/patients/${current}/visits`, body);
      renderAssessment(r);
      resetVisitForm();
      status(`Visit of ${r.visit.date} saved and assessed.`);
      showResults();
      await Promise.all([loadPatients(), selectPatient(current, true)]);
      if (document.activeElement === $('#results-h')) $('#results').scrollIntoView({ block: 'start' });
    } catch (e) { if (e.status !== 401) formError(form, 'v-', e, VISIT_FIELD); }
  }

  // ---- the assessment -----------------------------------------------------
  function criterionBlock(c, def) {
    const text = def && (def.criteria || []).find((x) => x.id === c.id);
    // Each cell carries its column's name: on a phone the rows are cards whose cells say what they are;
    // the explicit roles keep them a table to a screen reader when CSS changes their display.
    const HEAD = ['Row', 'Input', 'Value', 'Rule', 'Status', 'Citation'];
    const cell = (i, ...kids) => el('td', { role: 'cell', 'data-label': HEAD[i] }, ...kids);
    const rows = (c.evidence || []).map((ev) => el('tr', { role: 'row', 'data-status': ev.status },
      cell(0, ev.row || ''), cell(1, el('code', { text: ev.input || '' })), cell(2, fmt(ev.value)),
      cell(3, `${ev.op === 'is' ? '=' : ev.op || ''} ${fmt(ev.threshold, ev.unit)}${ev.sex ? ` (${ev.sex})` : ''}` +
        (ev.note ? ` — ${ev.note}` : '')),
      cell(4, el('span', { class: 'st st-' + ev.status, text: STATUS[ev.status] || ev.status })), cell(5, cite(ev.citation))));
    return el('div', { class: 'crit', 'data-criterion': c.id, 'data-status': c.status },
      el('p', null, el('span', { class: 'st st-' + c.status, text: STATUS[c.status] || c.status }), ' ',
        el('strong', { text: text ? text.text : words(c.id) }), ' ', el('code', { class: 'muted', text: c.id })),
      rows.length ? el('table', { class: 'evidence', role: 'table' },
        el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' }, ...HEAD.map((h) => el('th', { scope: 'col', role: 'columnheader', text: h })))),
        el('tbody', { role: 'rowgroup' }, rows)) : null);
  }
  function definitionRows(r) {
    const def = catalogue.get(r.definition);
    const crits = r.criteria || [], missing = r.missing || [];
    const count = (s) => crits.filter((c) => (STATUS[c.status] || c.status) === s).length;
    const summary = `Criteria and evidence: ${count('met')} met, ${count('not met')} not met, ${count('missing')} missing` +
      (missing.length ? ` — to decide, record: ${missing.join(', ')}` : '');
    return [
      el('tr', { class: 'def', 'data-definition': r.definition, 'data-category': r.category, 'data-complete': String(!!r.complete) },
        el('th', { scope: 'row' }, def ? def.title : r.definition, def ? el('span', { class: 'kind kind-inline', text: def.kind }) : null),
        el('td', { text: def ? def.kind : '' }),
        el('td', null, catSpan(r.category)),
        el('td', { text: r.complete ? 'complete' : 'incomplete' })),
      el('tr', { class: 'detail', 'data-definition-detail': r.definition },
        el('td', { colspan: 4 }, el('details', null, el('summary', { text: summary }),
          r.note ? el('p', { class: 'note', text: r.note }) : null,
          missing.length ? el('p', { class: 'missing' }, 'Missing to decide: ', ...missing.map((m, i) => [i ? ', ' : '', el('code', { text: m })])) : null,
          crits.map((c) => criterionBlock(c, def)),
          el('p', { class: 'defcite' }, 'Source: ', cite(r.citation || (def && def.citation)), ` (table version ${r.version || '?'})`))))];
  }
  function itemList(title, id, items, render, empty) {
    const box = $('#' + id);
    box.replaceChildren(el('h4', { text: title }),
      items && items.length ? el('ul', null, items.map((it) => el('li', { 'data-id': it.id }, render(it)))) : el('p', { class: 'muted', text: empty }));
  }
  const line = (label, v) => v ? el('span', { class: 'why' }, label, v) : null;
  function renderGuidance(g) {
    g = g || {};
    itemList('Red flags', 'red-flags', g.red_flags, (f) => [el('strong', { text: f.message }),
      f.status && f.status !== 'met' ? ` (${words(f.status)})` : '', line('Evidence: ', f.evidence), cite(f.citation)],
    'No red flag on the values given.');
    $('#red-flags').className = g.red_flags && g.red_flags.length ? 'redflags alert' : 'redflags';
    itemList('Likely causes', 'causes', g.causes, (c) => [c.message, line('Evidence: ', c.evidence), cite(c.citation)], 'None suggested by the values given.');
    itemList('Tests to consider', 'tests', g.tests, (t) => [t.test, line('Why: ', t.why), cite(t.citation)], 'None.');
    const p = g.plan || {}, box = $('#plan'), dl = el('dl');
    const add = (k, v) => { if (v) dl.append(el('dt', { text: k }), el('dd', { text: v })); };
    const r0 = (v) => v == null ? '?' : String(Math.round(v));       // whole grams and kcal, as the advice text has them
    // A number the library leaves null is not shown as a number: at refeeding risk only the
    // starting maximum is given, and with kidney disease or in pregnancy no target at all.
    const pr = p.protein_g_day, en = p.energy_kcal_day;
    if (pr && (pr.low != null || pr.high != null))
      add('Protein', `${r0(pr.low)}–${r0(pr.high)} g/day (${range(pr.basis_g_kg, 'g/kg/day')})`);
    else if (pr) add('Protein', 'no amount here: see the advice below');
    if (en && en.low == null && en.high != null)
      add('Energy', `start at no more than ${r0(en.high)} kcal/day, rising slowly (see the energy advice below)`);
    else if (en && en.low != null)
      add('Energy', `${r0(en.low)}–${r0(en.high)} kcal/day` + (en.guide != null ? `, about ${r0(en.guide)} kcal/day as a guide` : ''));
    else if (en) add('Energy', 'no amount here: see the advice below');
    const x = p.exercise;
    if (x) {
      add('Resistance training', [range(x.sessions_per_week, 'sessions/week'), range(x.sets, 'sets'), range(x.repetitions, 'repetitions'),
        range(x.intensity_pct_1rm_start, '% 1RM to start'), range(x.intensity_pct_1rm_mass, '% 1RM for muscle mass')].filter(Boolean).join(', '));
      add('Loads', [range(x.load_kg_start, 'kg to start'), range(x.load_kg_mass, 'kg for muscle mass'), x.one_rm_kg != null && `1RM ${fmt(x.one_rm_kg, 'kg')}`].filter(Boolean).join(', '));
    }
    const adv = (a) => [a.message, line('Evidence: ', a.evidence), line('Strength of evidence: ', a.evidence_level), cite(a.citation)];
    box.replaceChildren(el('h4', { text: 'Plan' }), dl.childElementCount ? dl : null,
      p.advice && p.advice.length ? el('ul', null, p.advice.map((a) => el('li', { 'data-id': a.id }, adv(a)))) : null,
      p.cautions && p.cautions.length ? el('div', { class: 'cautions' }, el('h5', { text: 'Cautions' }),
        el('ul', null, p.cautions.map((a) => el('li', { 'data-id': a.id }, adv(a))))) : null,
      g.disclaimer ? el('p', { class: 'disclaimer', text: g.disclaimer }) : null);
  }
  function renderAssessment(r) {
    const body = $('#results-body');
    $('#results-empty').hidden = !!r; body.hidden = !r; $('#guidance').hidden = !r;
    if (!r) { body.removeAttribute('data-visit-id'); return; }
    const a = r.assessment || {}, v = r.visit || {}, s = r.stamp || {};
    body.dataset.visitId = v.id; body.dataset.visitDate = v.date;
    $('#results-h').replaceChildren('Assessment of the visit on ', el('span', { class: 'nw', text: v.date }));
    $('#results-meta').textContent = `Visit ${v.id}, assessed with sarx ${s.sarx_version || a.sarx_version || '?'}` +
      (s.created_at ? ` on ${s.created_at}` : '') + '. Results are as stored when the visit was entered.';
    $('#disclaimer').textContent = a.disclaimer || 'Decision support, not a diagnosis.';
    const w = a.warnings || [];
    $('#warnings').replaceChildren(w.length ? el('div', { class: 'warn' }, el('h4', { text: 'Warnings' }),
      el('ul', null, w.map((x) => el('li', { text: typeof x === 'string' ? x : (x.message || JSON.stringify(x)) })))) : '');
    $('#definitions tbody').replaceChildren(...(a.results || []).flatMap(definitionRows));
    renderGuidance(a.guidance);
    $('#measurements tbody').replaceChildren(...(v.measurements || []).map((m) => el('tr', null,
      el('td', null, el('code', { text: m.entered_name })), el('td', { text: fmt(m.entered_value, m.unit) }),
      el('td', null, el('code', { text: m.field })), el('td', { text: fmt(m.si_value) }))));
  }

  // ---- timeline and weight plot ---------------------------------------------
  function renderTimeline(tl) {
    const visits = tl.visits || [], table = $('#timeline-table');
    $('#timeline-empty').hidden = visits.length > 0; table.hidden = !visits.length;
    $('thead', table).replaceChildren(el('tr', null, el('th', { scope: 'col', text: 'Definition' }),
      visits.map((v) => el('th', { scope: 'col', 'data-visit-id': v.visit_id, text: v.date }))));
    const numRow = (label, key) => el('tr', { class: 'num', 'data-row': key }, el('th', { scope: 'row', text: label }),
      visits.map((v) => el('td', { text: fmt(v[key]) })));
    $('tbody', table).replaceChildren(numRow('Weight (kg)', 'weight_kg'), numRow('Weight lost in 6 months (%)', 'weight_loss_pct_6m'),
      numRow('Weight lost in 12 months (%)', 'weight_loss_pct_12m'),
      ...(tl.definitions || []).map((d) => el('tr', { 'data-definition': d.id }, el('th', { scope: 'row' }, d.title, el('span', { class: 'kind', text: d.kind })),
        visits.map((v) => {
          const c = (v.results || {})[d.id] || {};
          return el('td', { 'data-visit-id': v.visit_id, 'data-category': c.category || '' }, catSpan(c.category),
            c.category && c.category !== 'indeterminate' && c.complete === false ? el('span', { class: 'muted', text: ' (incomplete)' }) : null);
        }))));
  }
  async function loadPlot(id, seq, nvisits) {
    const box = $('#weight-plot');
    if (!nvisits) { box.replaceChildren(el('p', { class: 'muted', text: 'No weights yet.' })); return; }
    try {
      const text = await (await request('GET', `/patients/${id}/weight.svg`)).text();
      if (seq !== viewSeq) return;
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml'), svg = doc.documentElement;
      if (svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) throw new Error('the answer is not an SVG');
      for (const n of svg.querySelectorAll('script, foreignObject')) n.remove();      // defence in depth
      for (const n of [svg, ...svg.querySelectorAll('*')]) for (const at of Array.from(n.attributes))
        if (/^on/i.test(at.name) || (/href$/i.test(at.name) && !/^#/.test(at.value))) n.removeAttribute(at.name);
      svg.setAttribute('role', 'img');
      if (!svg.hasAttribute('aria-label') && !svg.hasAttribute('aria-labelledby')) svg.setAttribute('aria-label', 'Weight at each visit');
      box.replaceChildren(document.importNode(svg, true));
    } catch (e) {
      if (e.status !== 401 && seq === viewSeq) box.replaceChildren(el('p', { class: 'muted', text: 'No weight plot: ' + e.message }));
    }
  }

  // ---- wiring -------------------------------------------------------------
  function init() {
    const m = /^#(?:.*&)?token=([^&]*)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    buildVisitForm();
    resetVisitForm();
    $('#connect-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = $('#token').value.trim();
      if (!t) { $('#connect-error').textContent = 'Enter the token.'; $('#token').focus(); return; }
      sessionStorage.setItem(TOKEN_KEY, t);
      $('#token').value = '';
      busy(ev.target, connect);
    });
    $('#disconnect').addEventListener('click', () => {         // leave no patient data on the page
      current = null; ++viewSeq; ++listSeq;
      $('#patient-list').replaceChildren(); $('#patient-count').textContent = '';
      $('#patient-view').hidden = true; $('#no-patient').hidden = false; renderAssessment(null);
      askToken('Token forgotten. Enter a token to connect again.');
    });
    $('#search-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadPatients(); });
    $('#q').addEventListener('input', () => { clearTimeout(init.t); init.t = setTimeout(loadPatients, 250); });
    $('#patient-list').addEventListener('click', (ev) => {
      const b = ev.target.closest('button[data-patient-id]');
      // On a phone the patient is shown below the list and the new-patient form: bring it into view
      // (the focus stays in the list, where a keyboard user left it).
      if (b) selectPatient(Number(b.dataset.patientId)).then(() => {
        const v = $('#patient-view');
        if (!v.hidden && $('#patient-title').getBoundingClientRect().bottom > innerHeight) v.scrollIntoView({ block: 'start' });
      });
    });
    $('#patient-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy(ev.target, () => createPatient(ev.target)); });
    $('#visit-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy(ev.target, () => saveVisit(ev.target)); });
    $('#visit-form').addEventListener('input', countFilled);
    $('#visit-form').addEventListener('change', countFilled);
    $('#print').addEventListener('click', () => print());
    if (getToken()) connect(); else askToken('');
  }
  init();
})();
