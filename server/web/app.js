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

  // ---- visits -------------------------------------------------------------
  const VISIT_NUMBERS = ['grip_kg', 'gait_speed_m_s', 'chair_stand_5x_s', 'asm_kg', 'calf_circumference_cm', 'sarc_f',
    'crp_mg_l', 'albumin_g_dl', 'hemoglobin_g_dl', 'egfr_ml_min_1_73m2', 'potassium_mmol_l', 'phosphate_mmol_l',
    'magnesium_mmol_l', 'low_intake_days', 'fat_mass_pct', 'waist_cm'];
  const VISIT_BOOLS = ['fatigue', 'anorexia', 'reduced_intake', 'inflammation', 'chronic_illness', 'cancer', 'dialysis',
    'pregnant', 'edema_or_ascites', 'alcohol_misuse'];
  // a field the server names -> the input holding it
  const VISIT_FIELD = { weight_kg: 'v-weight', weight_lb: 'v-weight', height_cm: 'v-height', height_in: 'v-height', height_m: 'v-height',
    grip_lb: 'v-grip_kg', crp_mg_dl: 'v-crp_mg_l', albumin_g_l: 'v-albumin_g_dl', hemoglobin_g_l: 'v-hemoglobin_g_dl', sarc_f_total: 'v-sarc_f' };
  // A number as typed; text that is not a number goes as typed so that the server names the field.
  const number = (s) => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : s;

  function resetVisitForm() {
    const f = $('#visit-form');
    f.reset();
    f.elements.assessment_date.value = today();
  }
  async function saveVisit(form) {
    clearErrors(form);
    if (current == null) return;
    const E = form.elements, body = {};
    const put = (name, raw) => { const v = raw.trim(); if (v !== '') body[name] = number(v); };
    if (E.assessment_date.value) body.assessment_date = E.assessment_date.value;
    put('weight_' + E.weight_unit.value, E.weight.value);
    put('height_' + E.height_unit.value, E.height.value);
    for (const n of VISIT_NUMBERS) put(n, E[n].value);
    for (const n of VISIT_BOOLS) if (E[n].value !== '') body[n] = E[n].value === 'true';
    if (E.amputation.value !== '') body.amputation = E.amputation.value;
    // one condition a line: free text, or a coded entry "icd10:N18.4" (the server reads both)
    const conditions = E.conditions.value.split('\n').map((c) => c.trim()).filter((c) => c !== '');
    if (conditions.length) body.conditions = conditions;
    try {
      const r = await api('POST', `/patients/${current}/visits`, body);
      renderAssessment(r);
      resetVisitForm();
      status(`Visit of ${r.visit.date} saved and assessed.`);
      $('#results-h').focus();
      await Promise.all([loadPatients(), selectPatient(current, true)]);
    } catch (e) { if (e.status !== 401) formError(form, 'v-', e, VISIT_FIELD); }
  }

  // ---- the assessment -----------------------------------------------------
  function criterionBlock(c, def) {
    const text = def && (def.criteria || []).find((x) => x.id === c.id);
    const rows = (c.evidence || []).map((ev) => el('tr', { 'data-status': ev.status },
      el('td', { text: ev.row || '' }), el('td', null, el('code', { text: ev.input || '' })), el('td', { text: fmt(ev.value) }),
      el('td', { text: `${ev.op === 'is' ? '=' : ev.op || ''} ${fmt(ev.threshold, ev.unit)}${ev.sex ? ` (${ev.sex})` : ''}` +
        (ev.note ? ` — ${ev.note}` : '') }),
      el('td', null, el('span', { class: 'st st-' + ev.status, text: STATUS[ev.status] || ev.status })), el('td', null, cite(ev.citation))));
    return el('div', { class: 'crit', 'data-criterion': c.id, 'data-status': c.status },
      el('p', null, el('span', { class: 'st st-' + c.status, text: STATUS[c.status] || c.status }), ' ',
        el('strong', { text: text ? text.text : words(c.id) }), ' ', el('code', { class: 'muted', text: c.id })),
      rows.length ? el('table', { class: 'evidence' },
        el('thead', null, el('tr', null, ...['Row', 'Input', 'Value', 'Rule', 'Status', 'Citation'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', null, rows)) : null);
  }
  function definitionRows(r) {
    const def = catalogue.get(r.definition);
    const crits = r.criteria || [], missing = r.missing || [];
    const count = (s) => crits.filter((c) => (STATUS[c.status] || c.status) === s).length;
    const summary = `Criteria and evidence: ${count('met')} met, ${count('not met')} not met, ${count('missing')} missing` +
      (missing.length ? ` — to decide, record: ${missing.join(', ')}` : '');
    return [
      el('tr', { class: 'def', 'data-definition': r.definition, 'data-category': r.category, 'data-complete': String(!!r.complete) },
        el('th', { scope: 'row', text: def ? def.title : r.definition }),
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
    $('#results-h').textContent = `Assessment of the visit on ${v.date}`;
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
    for (const s of $$('select[data-bool]'))
      s.append(el('option', { value: '', text: 'not recorded' }), el('option', { value: 'true', text: 'yes' }), el('option', { value: 'false', text: 'no' }));
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
      if (b) selectPatient(Number(b.dataset.patientId));
    });
    $('#patient-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy(ev.target, () => createPatient(ev.target)); });
    $('#visit-form').addEventListener('submit', (ev) => { ev.preventDefault(); busy(ev.target, () => saveVisit(ev.target)); });
    $('#print').addEventListener('click', () => print());
    if (getToken()) connect(); else askToken('');
  }
  init();
})();
