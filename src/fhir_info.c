/*
** fhir_info.c — what sarx_fhir_read read: the assessment date and how it
** was chosen, the Patient, the Observations used, the notes.
*/
#include "fhir_in.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sarx_fhir_info *sarx_fhir__info_new(void)
{
    sarx_fhir_info *i = calloc(1, sizeof *i);
    if (i)
        i->as_of_source = "";
    return i;
}

void sarx_fhir_info_free(sarx_fhir_info *info)
{
    size_t i;
    if (!info)
        return;
    for (i = 0; i < info->nsrc; i++)
        free(info->src[i]);
    for (i = 0; i < info->nnote; i++)
        free(info->note[i]);
    free(info->src);
    free(info->note);
    free(info->patient);
    free(info);
}

static int push(char ***list, size_t *n, size_t *cap, char *s)
{
    if (!s)
        return SARX_ENOMEM;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        char **p = realloc(*list, c * sizeof *p);
        if (!p) {
            free(s);
            return SARX_ENOMEM;
        }
        *list = p;
        *cap = c;
    }
    (*list)[(*n)++] = s;
    return SARX_OK;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int sarx_fhir__note(sarx_fhir_info *info, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    (void)push(&info->note, &info->nnote, &info->capnote, dup(buf));
    return SARX_OK;
}

int sarx_fhir__add_source(sarx_fhir_info *info, const char *ref)
{
    return push(&info->src, &info->nsrc, &info->capsrc, dup(ref));
}

int sarx_fhir__set_patient(sarx_fhir_info *info, const char *id)
{
    free(info->patient);
    info->patient = dup(id);
    return info->patient ? SARX_OK : SARX_ENOMEM;
}

const char *sarx_fhir_info_as_of(const sarx_fhir_info *info) { return info ? info->as_of : ""; }
const char *sarx_fhir_info_as_of_source(const sarx_fhir_info *info) { return info ? info->as_of_source : ""; }
const char *sarx_fhir_info_patient(const sarx_fhir_info *info)
{
    return info && info->patient ? info->patient : "";
}
size_t sarx_fhir_info_source_count(const sarx_fhir_info *info) { return info ? info->nsrc : 0; }
const char *sarx_fhir_info_source(const sarx_fhir_info *info, size_t i)
{
    return info && i < info->nsrc ? info->src[i] : NULL;
}
size_t sarx_fhir_info_note_count(const sarx_fhir_info *info) { return info ? info->nnote : 0; }
const char *sarx_fhir_info_note(const sarx_fhir_info *info, size_t i)
{
    return info && i < info->nnote ? info->note[i] : NULL;
}
