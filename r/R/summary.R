# prevalence() and kappa(): the counts and statistics of the library's
# cohort summary (sarx_cohort_summary_json), the numbers `sarx cohort
# --summary` writes, laid out as data frames.  Nothing is computed here.

# The kind of each stratum of the summary: the overall row, a sex or an age
# band, as the summary names it (stratum_kinds).  A summary written before
# it did: from the name (the values of the sex field, or "sex unknown", are
# sexes; every other stratum but "all" is an age band).
stratum_kind <- function(s) {
    if (!is.null(s$stratum_kinds))
        return(vapply(s$strata, function(t) as.character(s$stratum_kinds[[t]]), "", USE.NAMES = FALSE))
    f <- fields()
    sexes <- c(strsplit(f$values[f$name == "sex"], "|", fixed = TRUE)[[1]], "sex unknown")
    ifelse(s$strata == "all", "all", ifelse(s$strata %in% sexes, "sex", "age_band"))
}

num <- function(x) if (is.null(x) || (length(x) == 1 && is.na(x))) NA_real_ else as.numeric(x)

#' Prevalence by sex and age band
#'
#' Classifies the rows as [classify()] does and gives each definition's
#' prevalence, overall and by sex and age band, with 95 % Wilson intervals:
#' the counts and numbers of `sarx cohort --summary`, from the library.
#'
#' @inheritParams classify
#' @param by the strata besides the overall one: `"sex"`, `"age_band"`,
#'   both, or `character(0)`.
#' @param categories `FALSE`: the positive reading (rows in a positive
#'   category, of the rows where the reading is decided); `TRUE`: one row
#'   per category (of the rows where the definition is decided).
#' @return A data frame with the columns `definition`, `by` (`"all"`,
#'   `"sex"` or `"age_band"`), `group` (`"all"`, `"male"`, `"80+"`, ...),
#'   `n`, `indeterminate`, `decided`, `incomplete`, then `reading_decided`
#'   and `positive` (or `category`, `count` and `of`), `prevalence`,
#'   `ci95_lower` and `ci95_upper` (NA when nothing is decided).  The
#'   attribute `summary` holds the library's whole summary as a list, and
#'   `errors` the rejected rows ([errors()]).
#' @examples
#' people <- data.frame(sex = c("female", "male", "female"),
#'                      age_years = c(84, 70, 66), grip_kg = c(12, 40, 25))
#' prevalence(people, definitions = "ewgsop2", by = "sex")
prevalence <- function(data, definitions = NULL, by = c("sex", "age_band"), map = NULL, na = NULL,
                       categories = FALSE) {
    by <- if (length(by)) match.arg(by, c("sex", "age_band"), several.ok = TRUE) else character(0)
    r <- sarx_run(data, definitions, map, na, FALSE)
    s <- .Call(C_sxr_json_parse, r$summary)
    kind <- stratum_kind(s)
    keep <- s$strata[kind %in% c("all", by)]
    names(kind) <- s$strata
    # one entry per (definition, stratum[, category]), gathered as columns
    # and made into one data frame at the end
    chr <- character(0)
    int <- integer(0)
    dbl <- numeric(0)
    col <- c(list(definition = chr, by = chr, group = chr, n = int, indeterminate = int, decided = int,
                  incomplete = int),
             if (categories) list(category = chr, count = int, of = int)
             else list(reading_decided = int, positive = int),
             list(prevalence = dbl, ci95_lower = dbl, ci95_upper = dbl))
    add <- function(...) {
        v <- list(...)
        for (k in names(v)) col[[k]] <<- c(col[[k]], v[[k]])
    }
    for (d in s$definitions) {
        for (g in keep) {
            b <- d$by[[g]]
            if (is.null(b))
                next
            items <- if (categories) b$categories else list(b$positive)
            for (k in seq_along(items)) {
                p <- items[[k]]
                ci <- num(p$ci95)
                add(definition = d$definition, by = kind[[g]], group = g, n = b$n,
                    indeterminate = b$indeterminate, decided = b$decided, incomplete = b$incomplete)
                if (categories)
                    add(category = names(items)[k], count = p$count, of = p$of)
                else
                    add(reading_decided = b$reading_decided, positive = p$count)
                add(prevalence = num(p$prevalence), ci95_lower = ci[1], ci95_upper = ci[length(ci)])
            }
        }
    }
    out <- data.frame(col, stringsAsFactors = FALSE)
    attr(out, "summary") <- s
    attr(out, "errors") <- errors_frame(r$errors)
    out
}

#' Agreement between two definitions
#'
#' Cohen's kappa of two definitions' positive readings over the rows where
#' both are decided: the numbers of `sarx cohort --summary`, from the
#' library.  (This masks `base::kappa`, the condition number of a matrix,
#' when the package is attached: call that one as `base::kappa`.)
#'
#' @inheritParams classify
#' @param a,b two definition ids, each naming one definition as the library
#'   resolves it (any case).
#' @return A one-row data frame: `a`, `b`, `n` (rows where both are
#'   decided), the 2x2 table as `both`, `a_only`, `b_only`, `neither`, the
#'   observed `agreement` and `kappa` (NA when undefined).  The attribute
#'   `errors` holds the rejected rows.
#' @examples
#' people <- data.frame(sex = c("female", "male", "female", "male"),
#'                      age_years = c(84, 70, 66, 90), grip_kg = c(12, 40, 25, 20),
#'                      height_cm = c(160, 180, 165, 170), asm_kg = c(12, 25, 16, 17))
#' kappa(people, "ewgsop2", "awgs2019")
kappa <- function(data, a, b, map = NULL, na = NULL) {
    if (!is.character(a) || !is.character(b) || length(a) != 1 || length(b) != 1)
        stop("sarx: kappa() takes two definition ids, a and b", call. = FALSE)
    # each name as the library resolves it (any case, surrounding spaces):
    # the id of the one definition it selects
    id <- function(x) {
        ids <- definitions(x)$id
        if (length(ids) != 1)
            stop(sprintf("sarx: kappa() takes two definition ids: \"%s\" is not one definition (%s)", x,
                         paste(ids, collapse = ", ")), call. = FALSE)
        ids
    }
    a <- id(a)
    b <- id(b)
    if (a == b)
        stop("sarx: kappa() needs two different definitions", call. = FALSE)
    r <- sarx_run(data, c(a, b), map, na, FALSE)
    s <- .Call(C_sxr_json_parse, r$summary)
    for (g in s$agreement) {
        t <- g$table
        if (g$a == a && g$b == b)
            cells <- c(t[[1]][1], t[[1]][2], t[[2]][1], t[[2]][2])
        else if (g$a == b && g$b == a) # the same table, read the other way round
            cells <- c(t[[1]][1], t[[2]][1], t[[1]][2], t[[2]][2])
        else
            next
        out <- data.frame(a = a, b = b, n = g$n, both = cells[1], a_only = cells[2], b_only = cells[3],
                          neither = cells[4], agreement = num(g$agreement), kappa = num(g$kappa),
                          stringsAsFactors = FALSE)
        attr(out, "errors") <- errors_frame(r$errors)
        return(out)
    }
    stop(sprintf("sarx: the summary has no agreement of %s and %s", a, b), call. = FALSE)
}
