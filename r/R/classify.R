#' Classify every row under every definition
#'
#' Each row of `data` is read by the sarx library (the reading of `sarx
#' cohort`: the same names, units, ranges, missing-value codes and maps)
#' and classified under every definition.  Missing values (NA, or a
#' missing-value code) stay missing: a definition they would decide is
#' `indeterminate`, or decided without them; nothing is imputed.
#'
#' @param data a data frame, a tibble, or a named list of columns of equal
#'   length, whose column names are field names of [fields()] (any case;
#'   alternate units such as `weight_lb` convert; other columns are
#'   ignored).  A field's column holds one value per row and may be
#'   numeric, integer, logical, character, factor, Date (a fraction of a
#'   day is the day R shows), date-time (its day) or `integer64` (bit64);
#'   other classed numbers (`difftime`, `units`) are refused: give plain
#'   numbers in the field's unit.  A list field's column (`conditions`,
#'   `medications`, by any name a map gives) may be a list of character
#'   vectors.  The `id` column is not read.
#' @param definitions `NULL` for every definition, or definition ids and
#'   kinds (`"ewgsop2"`, `"sarcopenia"`).
#' @param map renames and value maps: the path of a map file (as `sarx
#'   cohort --map`), a named character vector `c(column = "field")`, or a
#'   data frame with the columns `column` and `field` (renames) and/or
#'   `column`, `from` and `to` (value maps).
#' @param na missing-value codes (a character vector) replacing the default
#'   ones (`NA`, `NaN`, `.`, `NULL`, `N/A` and the empty text), as `sarx
#'   cohort --na`; a number such as `"-99"` matches by value.
#' @return A data frame (a tibble when `data` is one) with the row names of
#'   `data` and, for each definition, a factor (levels: the definition's
#'   categories in order, then `"indeterminate"`) and a logical
#'   `<id>_complete`.  A row the reading rejects is `NA` in every column
#'   and described in the `errors` attribute (see [errors()]); the other
#'   rows are classified.
#' @examples
#' people <- data.frame(sex = c("female", "male"), age_years = c(84, 70),
#'                      height_cm = c(160, 175), grip_kg = c(12, 40),
#'                      asm_kg = c(12.8, NA), gait_speed_m_s = c(0.6, NA))
#' r <- classify(people, definitions = "sarcopenia")
#' r$ewgsop2
#' errors(classify(data.frame(grip_kg = c(20, 500))))
classify <- function(data, definitions = NULL, map = NULL, na = NULL) {
    r <- sarx_run(data, definitions, map, na, TRUE)
    ids <- r$definitions
    n <- as.integer(r$n) # (a data frame has fewer than 2^31 rows)
    cols <- vector("list", 2L * length(ids))
    cols[seq(1L, by = 2L, length.out = length(ids))] <- r$categories
    cols[seq(2L, by = 2L, length.out = length(ids))] <- r$complete
    names(cols) <- as.vector(rbind(ids, paste0(ids, "_complete")))
    tbl <- inherits(data, "tbl_df")
    rn <- if (is.data.frame(data) && !tbl) attr(data, "row.names") else .set_row_names(n)
    attr(cols, "row.names") <- rn
    class(cols) <- if (tbl) c("tbl_df", "tbl", "data.frame") else "data.frame"
    attr(cols, "errors") <- errors_frame(r$errors)
    cols
}

#' The rows that were rejected
#'
#' @param x the result of [classify()], [prevalence()] or [kappa()].
#' @return A data frame with one row per rejected row of the input: `row`
#'   (its number in the input), `code` (`"range"`, `"value"`, `"syntax"`,
#'   ...), `field`, `value`, `allowed` (the allowed range or values) and
#'   `message`; no rows when none was rejected.
#' @examples
#' errors(classify(data.frame(sex = c("male", "x"), grip_kg = c(30, 30))))
errors <- function(x) {
    e <- attr(x, "errors")
    if (is.null(e))
        stop("sarx: no errors attribute: give errors() the result of classify() or prevalence()", call. = FALSE)
    e
}

#' The full result for one subject
#'
#' Every definition's category, completeness, criteria with their evidence
#' rows, the inputs that would decide an incomplete result, derived values,
#' warnings and the guidance: the JSON of `sarx assess` as a list.
#'
#' @param subject a named list of values (`conditions` and `medications`
#'   may be character vectors), a data frame (one result per row), or a
#'   JSON text (the only way to give a weight history).
#' @inheritParams classify
#' @param guidance `FALSE` leaves out the guidance (faster).
#' @return A list (for a data frame of several rows, a list of them, where a
#'   rejected row is `list(error = list(code, field, value, allowed,
#'   message))`).  A rejected subject is an error of class `sarx_error`
#'   with the fields `code`, `field`, `value` and `allowed`.
#' @examples
#' a <- assess(list(sex = "female", age_years = 84, grip_kg = 12))
#' ew <- Filter(function(r) r$definition == "ewgsop2", a$results)[[1]]
#' ew$category
#' ew$missing
assess <- function(subject, definitions = NULL, map = NULL, na = NULL, guidance = TRUE) {
    defs <- sarx_list_arg(definitions, "definitions")
    if (is.character(subject) && length(subject) == 1 && is.null(names(subject))) {
        r <- .Call(C_sxr_assess, NULL, NULL, 0, enc2utf8(subject), defs, NULL, NULL, NULL, NULL, guidance)
        return(assessment(r[[1]]))
    }
    one <- !is.data.frame(subject)
    if (one) {
        if (!is.list(subject) || is.null(names(subject)))
            stop("sarx: subject must be a named list, a data frame or a JSON text", call. = FALSE)
        subject <- lapply(subject, function(v) {
            if (is.character(v) && length(v) != 1) list(v)
            else if (length(v) != 1) stop("sarx: a subject's values have length 1 (lists: character vectors)",
                                          call. = FALSE)
            else v
        })
    }
    d <- sarx_columns(subject, "subject")
    m <- sarx_map(map)
    r <- .Call(C_sxr_assess, d$cols, d$names, d$n, NULL, defs, m$text, m$renames, m$values,
               sarx_list_arg(na, "na"), guidance)
    out <- lapply(r, function(x) {
        if (length(x) == 1) return(assessment(x))
        e <- list(code = x[1], field = x[2], value = x[3], allowed = x[4], message = x[5])
        if (length(r) == 1)
            sarx_stop(x[5], x[1], x[2], x[3], x[4])
        list(error = e)
    })
    if (length(out) == 1) out[[1]] else out
}

assessment <- function(json) .Call(C_sxr_json_parse, json)
