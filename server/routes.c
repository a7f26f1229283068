/*
** routes.c — the /api/v1 routes: which route a path is, with its ids, and
** per route the methods allowed, the one that sends a body and the one
** whose work grows with the registry.  api.c answers them; gate.c checks
** a request against them before its body is read.
*/
#include "server.h"

#include <string.h>

/* A positive id from a path segment; 0 if not one. */
static long long parse_id(const char *s, size_t n)
{
    long long v = 0;
    size_t i;
    if (n == 0 || n > 15)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

const srv_route_info srv_routes[] = {
    [SRV_R_NONE] = {NULL, NULL, NULL},
    [SRV_R_DEFS] = {"GET", NULL, NULL},
    [SRV_R_ASSESS] = {"POST", "POST", NULL},
    [SRV_R_EXPORT_CSV] = {"GET", NULL, "GET"},
    [SRV_R_EXPORT_JSON] = {"GET", NULL, "GET"},
    [SRV_R_PATIENTS] = {"GET, POST", "POST", NULL},
    [SRV_R_PATIENT] = {"GET, PATCH, DELETE", "PATCH", NULL},
    [SRV_R_VISITS] = {"GET, POST", "POST", "GET"},
    [SRV_R_VISIT] = {"GET, DELETE", NULL, NULL},
    [SRV_R_TIMELINE] = {"GET", NULL, "GET"},
    [SRV_R_SVG] = {"GET", NULL, "GET"},
    [SRV_R_PATIENT_CSV] = {"GET", NULL, "GET"},
    [SRV_R_FHIR_ASSESS] = {"POST", "POST", NULL},
    [SRV_R_FHIR_IMPORT] = {"POST", "POST", NULL},
    [SRV_R_PATIENT_FHIR] = {"GET", NULL, "GET"},
};

/* Does the segment [s, s+n) equal word? */
static int seg_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* The route of a path under /api/v1 (SRV_R_NONE if none), with its ids. */
srv_route srv_route_match(const char *path, long long *pid, long long *vid)
{
    const char *seg[5];
    size_t len[5], nseg = 0;
    const char *p;
    *pid = *vid = 0;
    if (strncmp(path, "/api/v1", 7) != 0)
        return SRV_R_NONE;
    p = path + 7;
    /* split the rest of the path on '/' */
    while (*p == '/' && nseg < 5) {
        const char *q = ++p;
        while (*p && *p != '/')
            p++;
        seg[nseg] = q;
        len[nseg++] = (size_t)(p - q);
    }
    if (*p || nseg == 0)
        return SRV_R_NONE;
    if (nseg == 1) {
        if (seg_is(seg[0], len[0], "definitions"))
            return SRV_R_DEFS;
        if (seg_is(seg[0], len[0], "assess"))
            return SRV_R_ASSESS;
        if (seg_is(seg[0], len[0], "export.csv"))
            return SRV_R_EXPORT_CSV;
        if (seg_is(seg[0], len[0], "export.json"))
            return SRV_R_EXPORT_JSON;
        if (seg_is(seg[0], len[0], "patients"))
            return SRV_R_PATIENTS;
        return SRV_R_NONE;
    }
    if (nseg == 2 && seg_is(seg[0], len[0], "fhir")) {
        if (seg_is(seg[1], len[1], "assess"))
            return SRV_R_FHIR_ASSESS;
        if (seg_is(seg[1], len[1], "import"))
            return SRV_R_FHIR_IMPORT;
        return SRV_R_NONE;
    }
    if (!seg_is(seg[0], len[0], "patients") || !(*pid = parse_id(seg[1], len[1])))
        return SRV_R_NONE;
    if (nseg == 2)
        return SRV_R_PATIENT;
    if (seg_is(seg[2], len[2], "visits")) {
        if (nseg == 3)
            return SRV_R_VISITS;
        if (nseg == 4 && (*vid = parse_id(seg[3], len[3])))
            return SRV_R_VISIT;
        return SRV_R_NONE;
    }
    if (nseg != 3)
        return SRV_R_NONE;
    if (seg_is(seg[2], len[2], "timeline"))
        return SRV_R_TIMELINE;
    if (seg_is(seg[2], len[2], "weight.svg"))
        return SRV_R_SVG;
    if (seg_is(seg[2], len[2], "export.csv"))
        return SRV_R_PATIENT_CSV;
    if (seg_is(seg[2], len[2], "fhir"))
        return SRV_R_PATIENT_FHIR;
    return SRV_R_NONE;
}

/* Is method one of a list such as "GET, POST"?  HEAD is answered as GET. */
int srv_method_in(const char *list, const char *method)
{
    size_t n;
    if (!strcmp(method, "HEAD"))
        method = "GET";
    n = strlen(method);
    while (list && *list) {
        if (!strncmp(list, method, n) && (list[n] == ',' || !list[n]))
            return 1;
        list = strchr(list, ',');
        list = list ? list + 2 : NULL;
    }
    return 0;
}
