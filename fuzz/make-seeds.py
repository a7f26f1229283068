#!/usr/bin/env python3
"""Write the generated seed corpora of the fuzz targets (docs/TESTING.md).

usage: python3 fuzz/make-seeds.py path/to/sarx

The seeds are committed; this script is how they were made, so that they
can be made again when the fields or the API change.  It writes
fuzz/seeds-cohort/, fuzz/seeds-text/, fuzz/seeds-json/gen-*,
fuzz/seeds-scenario/gen-* and fuzz/seeds-api/ (replacing its old
one-request seeds).  fuzz/seeds-csv/ (the reader's edge cases) is kept
as it is.  Deterministic: the same sarx gives the same files.

What makes a seed useful is that it gets past the first checks: a CSV row
of the header's width with values in range, a JSON subject with every
field, a scenario with every intervention, an API sequence that creates a
patient, adds visits and then reads the timeline and the exports.
"""
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(25)


def fields(sarx):
    """(name, kind, lo, hi, values, canonical) for every field, in the
    registry's order, from `sarx fields` (columns of 29, 9 and 15 bytes)."""
    out = subprocess.run([sarx, "fields"], check=True, capture_output=True, text=True).stdout.splitlines()
    res = []
    for line in out[1:]:
        name, kind, rest = line[:29].strip(), line[29:38].strip(), line[53:]
        spec = rest.split(" — ")[0].split()
        lo = hi = values = None
        canonical = name
        if "(alternate for " in rest:
            canonical = rest.split("(alternate for ")[1].split(")")[0]
        if spec and "|" in spec[0]:
            values = spec[0].split("|")
        elif spec and kind in ("number", "integer") and "-" in spec[0][1:]:
            cut = spec[0].index("-", 1)
            lo, hi = float(spec[0][:cut]), float(spec[0][cut + 1:])
        res.append((name, kind, lo, hi, values, canonical))
    return res


def value(f, bad=False):
    """A text value for a field: in range, or (bad) just out of it."""
    name, kind, lo, hi, values = f[:5]
    if kind in ("number", "integer") and lo is not None:
        if bad:
            return repr(hi * 1.5 + 1) if rng.random() < 0.5 else repr(lo - 1)
        v = lo + (hi - lo) * rng.random()
        return str(int(round(v))) if kind == "integer" else "%.4g" % v
    if kind == "bool":
        return rng.choice(["true", "false", "yes", "no", "1", "0"]) if not bad else "maybe"
    if kind == "enum":
        return rng.choice(values or ["x"]) if not bad else "other"
    if kind == "date":
        return "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)) if not bad else "2026-02-30"
    if kind == "list":
        return rng.choice(["copd;ckd", "prednisolone", "heart failure\\;HFrEF;cancer", '["a","b"]',
                           "icd10:N18.4;no cancer", "non-small cell lung cancer;family history of CKD"])
    if kind == "text":
        return "p%d" % rng.randint(1, 999)
    return ""


def csv_cell(s, delim=","):
    if any(c in s for c in '"\r\n' + delim):
        return '"' + s.replace('"', '""') + '"'
    return s


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data if isinstance(data, bytes) else data.encode())


def cohort_seeds(sarx, flds):
    """fuzz_cohort: byte 0 (header 0-7, parse bit 8, summary 0xF0), byte 1
    (';' bit 0, decimal comma bit 1), then CSV text."""
    d = os.path.join(HERE, "seeds-cohort")
    shutil.rmtree(d, ignore_errors=True)
    by = {f[0]: f for f in flds}
    synth = lambda n, seed, bad: subprocess.run(
        [sarx, "synth", str(n), "--seed", str(seed), "--bad", str(bad)], check=True, capture_output=True,
        text=True).stdout
    # the text's own header, as `sarx synth` writes it; one with ';' and decimal commas
    for i, (n, bad) in enumerate([(6, 0), (12, 0.3), (3, 0.9)]):
        write(f"{d}/own-{i}", bytes([0x00 | (8 if i == 1 else 0), 0]) + synth(n, 10 + i, bad).encode())
    text = synth(6, 20, 0.2)
    semi = "\n".join(";".join(c.replace(".", ",") for c in line.split(",")) for line in text.splitlines()) + "\n"
    write(f"{d}/own-semicolon-comma", bytes([0x00, 0x03]) + semi.encode())
    # header 1: sarx synth's columns, the rows alone
    for i in range(3):
        rows = synth(10, 30 + i, 0.25 * i).split("\n", 1)[1]
        write(f"{d}/synth-rows-{i}", bytes([0x01 | (8 if i == 2 else 0), 0]) + rows.encode())
    # a summary of a few people
    write(f"{d}/summary", bytes([0xF1, 0]) + synth(5, 40, 0).split("\n", 1)[1].encode())
    # headers 2-7: rows of their own width, mostly in range; 2 and 3 as the
    # harness makes them: every field with a CSV form by its name, or by its
    # first alternate
    canon = [f for f in flds if f[1] != "history" and f[5] == f[0]]
    first_alt = {}
    for f in flds:
        if f[5] != f[0]:
            first_alt.setdefault(f[5], f[0])
    cols = {2: [f[0] for f in canon], 3: [first_alt.get(f[0], f[0]) for f in canon],
            4: "id,sex,age_years,height_cm,weight_kg,grip_kg,gait_speed_m_s,asm_kg,asm_method".split(","),
            5: ("id,sex,age_years,sarc_f_strength,sarc_f_assistance,sarc_f_rise,sarc_f_climb,sarc_f_falls,sarc_f,"
                "calf_circumference_cm,grip_kg").split(","),
            6: ("id,sex,age_years,population,weight_kg,height_cm,weight_loss_pct_6m,weight_loss_pct_12m,cancer,"
                "cancer_unresponsive,ecog,life_expectancy_months,crp_mg_l,albumin_g_dl,hemoglobin_g_dl,fatigue,"
                "anorexia,reduced_strength,low_mamc,reduced_intake,inflammation,energy_intake_kcal_kg_day,"
                "intake_pct_usual,conditions,medications,chronic_illness,calf_circumference_cm").split(","),
            7: " ID , SEX,Age_Years ,GRIP_LB,Height_M,weight_lb,notes,ASM_KG,asm_method,,Site name,crp_mg_dl".split(",")}
    for h in sorted(cols):
        for i in range(3):
            lines = []
            for r in range(4 + 4 * i):
                cells = []
                for c in cols[h]:
                    f = by.get(c.strip().lower())
                    if f is None:
                        cells.append("x")
                    elif rng.random() < 0.15 * i:
                        cells.append("")
                    else:
                        cells.append(value(f, bad=rng.random() < 0.05 * i))
                lines.append(",".join(csv_cell(c) for c in cells))
            write(f"{d}/fixed{h}-{i}", bytes([h | (8 if i == 1 else 0), 0]) + ("\n".join(lines) + "\n").encode())


def text_seeds(flds):
    """fuzz_text: byte 0 the field (index mod the count), byte 1 flags
    (bit 0: decimal comma), then the value."""
    d = os.path.join(HERE, "seeds-text")
    shutil.rmtree(d, ignore_errors=True)
    for i, f in enumerate(flds):
        vals = [value(f), value(f, bad=True)]
        name, kind, lo, hi, values = f[:5]
        if kind in ("number", "integer") and lo is not None:
            vals += [repr(lo), repr(hi), " %s " % repr((lo + hi) / 2), "%.17g" % hi, "1e3", "-0"]
        if values:
            vals += [v.upper() for v in values]
        for k, v in enumerate(vals):
            write(f"{d}/{name}-{k}", bytes([i, 0]) + v.encode())
        if kind == "number" and lo is not None:
            write(f"{d}/{name}-comma", bytes([i, 1]) + ("%.3f" % ((lo + hi) / 2)).replace(".", ",").encode())


def json_seeds(flds):
    """fuzz_json: one subject, every field with a value in range, and the
    same with every field out of range, null, or of the wrong type."""
    d = os.path.join(HERE, "seeds-json")
    for old in os.listdir(d):
        if old.startswith("gen-"):
            os.remove(os.path.join(d, old))

    def typed(f, bad=False):
        v = value(f, bad)
        name, kind = f[0], f[1]
        if kind in ("number", "integer"):
            try:
                return float(v) if kind == "number" else int(float(v))
            except ValueError:
                return v
        if kind == "bool":
            return v in ("true", "yes", "1")
        if kind == "list":
            return ["copd", "prednisolone 5 mg"]
        return v

    canon = [f for f in flds if f[1] != "history" and f[5] == f[0]]
    every = {f[0]: typed(f) for f in canon}
    every["weight_history"] = [{"date": "2025-%02d-01" % m, "weight_kg": 80 - m} for m in range(1, 12)]
    every["assessment_date"] = "2026-01-15"
    write(f"{d}/gen-every", json.dumps(every))
    write(f"{d}/gen-nulls", json.dumps({k: None for k in every}))
    write(f"{d}/gen-bad", json.dumps({f[0]: typed(f, bad=True) for f in canon}))
    write(f"{d}/gen-alternates", json.dumps({f[0]: typed(f) for f in flds if f[5] != f[0]}))
    write(f"{d}/gen-types", json.dumps({"sex": 1, "age_years": "80", "grip_kg": [20], "cancer": "true",
                                        "weight_history": {"date": "2026-01-01"}, "conditions": "copd"}))
    # the vocabulary of conditions: text with negation, uncertainty and
    # family history, and coded entries (src/conditions.c)
    write(f"{d}/gen-conditions", json.dumps({"sex": "male", "age_years": 70, "height_cm": 170, "weight_kg": 60,
                                            "weight_loss_pct_6m": 8, "reduced_intake": True, "conditions": [
                                                "non-small cell lung cancer", "COPD, no exacerbations",
                                                "history of breast cancer", "family history of heart failure",
                                                "suspected sepsis", "pregnancy, 20 weeks", "below-knee amputation",
                                                {"system": "icd10", "code": "N18.4"},
                                                {"system": "http://hl7.org/fhir/sid/icd-10", "code": "c34.1"},
                                                "icd10:Z99.2"]}))
    write(f"{d}/gen-lines", "\n".join(json.dumps({"sex": s, "age_years": a, "grip_kg": g})
                                      for s, a, g in [("male", 80, 20), ("female", 70, 14), ("m", 90, 9)]))


def scenario_seeds():
    d = os.path.join(HERE, "seeds-scenario")
    for old in os.listdir(d):
        if old.startswith("gen-"):
            os.remove(os.path.join(d, old))
    kinds = [
        {"type": "resistance_training", "start_age": 70, "weeks": 26, "sessions_per_week": 3, "sets": 3,
         "reps": 10, "intensity_pct_1rm": 75},
        {"type": "bed_rest", "start_age": 67, "days": 10},
        {"type": "immobilization", "start_age": 24, "days": 14},
        {"type": "microgravity", "start_age": 45, "days": 180},
        {"type": "protein", "start_age": 70, "weeks": 26, "g_kg": 1.5},
        {"type": "inflammation", "start_age": 75, "weeks": 8, "z": 2},
        {"type": "hormone", "start_age": 60, "weeks": 52, "factor": 0.8},
        {"type": "activity", "start_age": 60, "days": 3650, "level": "high"},
    ]
    for iv in kinds:
        sc = {"name": iv["type"], "sex": "male", "start_age": max(20, iv["start_age"] - 1),
              "end_age": min(110, iv["start_age"] + 3), "report_every_days": 7, "relative_to": "start",
              "interventions": [iv]}
        write(f"{d}/gen-{iv['type']}", json.dumps(sc))
    write(f"{d}/gen-lifespan", json.dumps({"sex": "any", "start_age": 20, "end_age": 110, "report_every_years": 1,
                                           "report_from_age": 25, "relative_to": "age25", "motor_units": 5000,
                                           "activity_level": "athlete", "protein_g_kg": 0.3, "inflammation_z": -3,
                                           "hormone_factor": 1.5, "hazard_factor": 5,
                                           "between_person_variation": False}))
    write(f"{d}/gen-preset", json.dumps({"preset": "masters_athlete", "name": "p"}))
    write(f"{d}/gen-overlap", json.dumps({"interventions": [kinds[4], dict(kinds[4], start_age=70.5)]}))
    write(f"{d}/gen-limits", json.dumps({"motor_units": 5000, "start_age": 20, "end_age": 110,
                                         "report_every_days": 1}))


def api_seeds():
    """fuzz_api: requests separated by a line "---"; each is "METHOD PATH"
    (with ?query), optional "Content-Type: ..." lines, a blank line, then
    the body.  $P is the patient the sequence created last (else one made
    at start), $V its last visit."""
    d = os.path.join(HERE, "seeds-api")
    shutil.rmtree(d, ignore_errors=True)

    def seq(*reqs):
        out = []
        for r in reqs:
            head, body = r if isinstance(r, tuple) else (r, None)
            out.append(head + "\n\n" + (json.dumps(body) if body is not None else ""))
        return "\n---\n".join(out)

    visit = {"assessment_date": "2026-01-10", "weight_kg": 70, "height_cm": 170, "grip_kg": 18, "age_years": 80,
             "gait_speed_m_s": 0.7, "asm_kg": 14, "crp_mg_l": 12, "weight_loss_pct_6m": 6}
    patient = {"label": "A-1", "sex": "female", "birth_date": "1944-03-01", "population": "general"}
    seeds = {
        "assess": seq(("POST assess", [{"sex": "m", "grip_kg": 20, "age_years": 80}, {"x": 1}])),
        "assess-guidance": seq(("POST assess?guidance=0", {"sex": "female", "age_years": 70, "grip_kg": 12})),
        "definitions": seq("GET definitions"),
        "patient-flow": seq(("POST patients", patient), ("POST patients/$P/visits", visit),
                            ("POST patients/$P/visits", dict(visit, assessment_date="2026-07-10", weight_kg=64)),
                            "GET patients/$P/timeline", "GET patients/$P/weight.svg", "GET patients/$P/export.csv",
                            "GET patients/$P/visits/$V", "DELETE patients/$P/visits/$V"),
        "list": seq("GET patients?limit=3&offset=0&q=A", "GET patients?limit=-1", "GET export.json",
                    "GET export.csv"),
        "patch": seq(("PATCH patients/$P", {"label": "B-2", "birth_date": None}), "GET patients/$P",
                     "DELETE patients/$P", "GET patients/$P"),
        "bad": seq(("POST patients", {"sex": "x"}), ("POST patients/$P/visits", {"id": 3}),
                   ("PUT patients/$P", {}), "GET patients/99999999999999999999/timeline"),
        "media": seq("POST patients\nContent-Type: text/plain\n", ("POST patients\nContent-Type: "
                                                                     "application/json; charset=utf-8", patient)),
        "history": seq(("POST patients", patient),
                       *[("POST patients/$P/visits", dict(visit, assessment_date="2025-%02d-01" % m, weight_kg=80 - m))
                         for m in range(1, 7)], "GET patients/$P/timeline", "GET patients/$P/weight.svg"),
    }
    for name, text in seeds.items():
        write(f"{d}/{name}", text)


def dict_line(v):
    """One libFuzzer dictionary entry: printable ASCII, else \\xNN."""
    out = []
    for b in v.encode():
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'


def write_dict(name, title, entries):
    seen, lines = set(), ["# " + title, "# Made by fuzz/make-seeds.py; libFuzzer reads it with -dict (fuzz/run.sh)."]
    for e in entries:
        if e and e not in seen:
            seen.add(e)
            lines.append(dict_line(e))
    write(os.path.join(HERE, name + ".dict"), "\n".join(lines) + "\n")


def dicts(flds):
    names = [f[0] for f in flds]
    words = sorted({w for f in flds if f[4] for w in f[4]})
    units = ["years", "cm", "kg", "m/s", "s", "lb", "in", "mg/dL", "g/L", "nmol/L", "%"]
    numbers = ["0", "-0", "1e3", "1E-3", "0.5", "12,5", "1e308", "1e-320", "2.2250738585072014e-308",
               "9007199254740993", "123456789012345678", "0x10", "inf", "nan", "-", "+", ".", "00", "1_000"]
    bools = ["true", "false", "TRUE", "yes", "no", "1", "0", "y", "n"]
    dates = ["2026-02-28", "2024-02-29", "2026-02-29", "2026-12-31", "1900-01-01", "9999-12-31", "2026-1-1"]
    lists = [";", "\\;", "\\\\", "[", "]", "[\"a\",\"b\"]", "\\[", "'", "'=", "'+", "'-", "'@"]
    vocabulary = ["icd10:", "icd10:N18.4", "icd10:C34.1", "icd10:Z99.2", "N18", "C97", "D12.6", "O26", "Z89",
                  "cancer", "carcinoma", "copd", "CKD", "heart failure", "HF", "AIDS", "sepsis", "burns",
                  "pregnancy", "amputation", "hypertension", "benign", "in situ", "acute kidney", "no ", "not ",
                  "history of", "family history", "suspected", "?", "remission", "non-small cell"]
    write_dict("json", "fuzz_json: subject fields, JSON tokens and values",
               ['"%s":' % n for n in names] + ['"%s"' % w for w in words] +
               ['"system":', '"code":', '"icd10"', '"ICD-10"', '"http://hl7.org/fhir/sid/icd-10"'] +
               ['"%s"' % v for v in vocabulary] +
               ["{", "}", "[", "]", ":", ",", "null", "true", "false", '"date":', '"weight_kg":', "\\u0000",
                "\\ud800", "\\u00e9", '\\"', "\\\\", "\n"] + numbers + dates)
    write_dict("text", "fuzz_text: values as found in CSV cells",
               words + [w.upper() for w in words] + numbers + bools + dates + lists + units + vocabulary +
               [" ", "\t", "\u00a0"])
    csv = ["\r\n", "\n", "\r", '"', '""', ",", ";", '","', '";"', "\ufeff", "\x00", " ", "\t"]
    write_dict("csv", "fuzz_csv: the reader's delimiters, quotes and line ends",
               csv + ["'=", "'+1", "=HYPERLINK(", "@SUM(", "-1", "+1"] + names[:20])
    write_dict("cohort", "fuzz_cohort: column names, values, delimiters",
               names + [n.upper() for n in names[:20]] + words + bools + numbers + dates + lists + csv + vocabulary)
    write_dict("scenario", "fuzz_scenario: scenario keys and values",
               ['"%s":' % k for k in ["name", "sex", "start_age", "end_age", "report_every_years",
                                      "report_every_days", "report_from_age", "relative_to", "motor_units",
                                      "activity_level", "protein_g_kg", "inflammation_z", "hormone_factor",
                                      "hazard_factor", "between_person_variation", "interventions", "preset", "type",
                                      "days", "weeks", "sessions_per_week", "sets", "reps", "intensity_pct_1rm",
                                      "g_kg", "z", "factor", "level"]] +
               ['"%s"' % v for v in ["resistance_training", "bed_rest", "immobilization", "microgravity", "protein",
                                     "inflammation", "hormone", "activity", "sedentary", "low", "moderate", "high",
                                     "athlete", "active", "masters_athlete", "age25", "start", "any", "male",
                                     "female", "bed_rest_10d", "resistance_training_6mo", "microgravity_180d",
                                     "immobilization_14d"]] +
               ["{", "}", "[", "]", "true", "false", "null", "0.01", "110", "5000", "1e9", "-3"])
    write_dict("api", "fuzz_api: methods, routes, query keys, headers, JSON keys",
               ["GET ", "POST ", "PATCH ", "DELETE ", "PUT ", "HEAD ", "OPTIONS ", "\n---\n", "\n\n",
                "patients", "patients/$P", "patients/$P/visits", "patients/$P/visits/$V", "patients/$P/timeline",
                "patients/$P/weight.svg", "patients/$P/export.csv", "export.csv", "export.json", "assess",
                "definitions", "/api/v1/", "/api/v2/", "?limit=", "&offset=", "?q=", "?guidance=0",
                "Content-Type: application/json", "Content-Type: text/plain", "; charset=utf-8",
                '"label":', '"birth_date":', '"sex":', '"population":', '"notes":', '"assessment_date":',
                '"id":', '"weight_history":', "null", "[]", "{}"] + ['"%s":' % n for n in names] + dates)
    write_dict("http", "fuzz_http: request lines, headers and their values",
               ["GET ", "POST ", "PATCH ", "DELETE ", "PUT ", "HEAD ", "OPTIONS ", "CONNECT ", "TRACE ",
                " HTTP/1.1\r\n", " HTTP/1.0\r\n", " HTTP/2\r\n", "\r\n", "\r\n\r\n", ": ",
                "Host: ", "Host: 127.0.0.1:8080", "Host: localhost", "Host: [::1]:8080",
                "Content-Length: ", "Content-Length: 0", "Content-Length: 18446744073709551616",
                "Transfer-Encoding: chunked", "Authorization: Bearer ", "Authorization: Basic ",
                "Content-Type: application/json", "Content-Type: application/json; charset=utf-8",
                "Content-Type: application/JSON; charset=latin1", "Content-Type: text/csv",
                "Connection: close", "Connection: keep-alive", "Expect: 100-continue", "Origin: ",
                "/api/v1/", "/api/v1/health", "/api/v1/patients", "/api/v1/patients/1/visits",
                "/api/v1/export.csv", "/api/v1/export.json", "/api/v1/assess", "/api/v1/definitions", "/",
                "/app.js", "/style.css", "%2e%2e/", "%00", "?limit=3", "//", "/..", "\t"])


def main():
    sarx = sys.argv[1] if len(sys.argv) > 1 else "build/sarx"
    flds = fields(sarx)
    cohort_seeds(sarx, flds)
    text_seeds(flds)
    json_seeds(flds)
    scenario_seeds()
    api_seeds()
    dicts(flds)


if __name__ == "__main__":
    main()
