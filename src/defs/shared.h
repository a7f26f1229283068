/*
** shared.h — criterion rows that more than one definition reuses, so each
** published number is written exactly once.
*/
#ifndef SARX_DEFS_SHARED_H
#define SARX_DEFS_SHARED_H

#include "../internal.h"

#define M SARX__MALE
#define F SARX__FEMALE
#define ANY SARX__ANY
#define LT SARX__LT
#define LE SARX__LE
#define GT SARX__GT
#define GE SARX__GE
#define IS SARX__IS
#define TRUE_ 1.0
#define FALSE_ 0.0
#define NONE 0u
/* The category that says a definition does not apply to the person
** (sarx__cat_not_applicable; positive 0, and no reading in a cohort). */
#define NOT_APPLICABLE "not_applicable"

#define EWGSOP2_T3 "Cruz-Jentoft et al., Age Ageing 2019;48:16-31, Table 3"
#define AWGS2019_ABS "Chen et al., JAMDA 2020;21:300-307, abstract and Figure 1"

/* EWGSOP2 low grip strength: < 27 kg (men), < 16 kg (women). */
#define SARX__EWGSOP2_GRIP_ROWS(P, CRIT)                                    \
    {P "-GRIP-M", CRIT, SARX__F_GRIP, M, LT, 27.0, "kg", NONE, EWGSOP2_T3}, \
    {P "-GRIP-F", CRIT, SARX__F_GRIP, F, LT, 16.0, "kg", NONE, EWGSOP2_T3}

/* EWGSOP2 low strength: grip, or 5x chair stand > 15 s or not completed. */
#define SARX__EWGSOP2_STRENGTH_ROWS(P)                                                      \
    SARX__EWGSOP2_GRIP_ROWS(P "-STR", "low_strength"),                                      \
    {P "-STR-CHAIR", "low_strength", SARX__F_CHAIR, ANY, GT, 15.0, "s", NONE, EWGSOP2_T3}, \
    {P "-STR-CHAIR-UNABLE", "low_strength", SARX__F_CHAIR_UNABLE, ANY, IS, TRUE_, "", SARX__W_ONLY_MET, \
     EWGSOP2_T3 " (unable to complete the test counts as low)"}

/* EWGSOP2 ASM/height^2: < 7.0 kg/m2 (men), < 5.5 kg/m2 (women). */
#define SARX__EWGSOP2_ASMI_ROWS(P, CRIT, WHEN)                                    \
    {P "-ASMI-M", CRIT, SARX__M_ASMI, M, LT, 7.0, "kg/m2", WHEN, EWGSOP2_T3}, \
    {P "-ASMI-F", CRIT, SARX__M_ASMI, F, LT, 5.5, "kg/m2", WHEN, EWGSOP2_T3}

/* EWGSOP2 low quantity: ASMI, or absolute ASM < 20 / < 15 kg when height is unknown. */
#define SARX__EWGSOP2_QUANTITY_ROWS(P)                                                     \
    SARX__EWGSOP2_ASMI_ROWS(P "-QTY", "low_muscle_quantity", NONE),                        \
    {P "-QTY-ASM-M", "low_muscle_quantity", SARX__F_ASM, M, LT, 20.0, "kg", SARX__W_NO_HEIGHT, EWGSOP2_T3}, \
    {P "-QTY-ASM-F", "low_muscle_quantity", SARX__F_ASM, F, LT, 15.0, "kg", SARX__W_NO_HEIGHT, EWGSOP2_T3}

/* AWGS 2019 ASM/height^2: DXA < 7.0 / < 5.4, BIA < 7.0 / < 5.7 kg/m2. */
#define SARX__AWGS2019_ASMI_ROWS(P, CRIT, WHEN)                                                  \
    {P "-ASMI-DXA-M", CRIT, SARX__M_ASMI, M, LT, 7.0, "kg/m2", (WHEN) | SARX__W_DXA, AWGS2019_ABS}, \
    {P "-ASMI-DXA-F", CRIT, SARX__M_ASMI, F, LT, 5.4, "kg/m2", (WHEN) | SARX__W_DXA, AWGS2019_ABS}, \
    {P "-ASMI-BIA-M", CRIT, SARX__M_ASMI, M, LT, 7.0, "kg/m2", (WHEN) | SARX__W_BIA, AWGS2019_ABS}, \
    {P "-ASMI-BIA-F", CRIT, SARX__M_ASMI, F, LT, 5.7, "kg/m2", (WHEN) | SARX__W_BIA, AWGS2019_ABS}

#endif
