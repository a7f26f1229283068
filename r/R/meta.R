#' The fields sarx reads
#'
#' @return A data frame: `name` (a column name [classify()] recognises),
#'   `canonical` (the field it sets: `weight_lb` sets `weight_kg`), `kind`
#'   (number, integer, bool, enum, string, date, list, history), `unit`,
#'   `min` and `max` (the plausible range in that unit), `values` (the
#'   allowed words, `|` between them) and `description`.
#' @examples
#' head(fields())
fields <- function() {
    f <- .Call(C_sxr_fields)
    as.data.frame(f, stringsAsFactors = FALSE)
}

#' The definitions sarx knows
#'
#' @param definitions `NULL` for all, or definition ids and kinds.
#' @return A data frame: `id`, `title`, `kind`, `version`, `categories` (in
#'   the definition's order, `|` between them: the levels of its factor in
#'   [classify()]), `positive` (the categories that count as having the
#'   condition), `citation` and `notes`.
#' @examples
#' definitions("sarcopenia")[, c("id", "title")]
definitions <- function(definitions = NULL) {
    d <- .Call(C_sxr_definitions, sarx_list_arg(definitions, "definitions"))
    as.data.frame(d, stringsAsFactors = FALSE)
}

#' The version of the sarx library
#'
#' @return The version of libsarx the package runs, e.g. `"0.1.0"`.
#' @examples
#' sarx_version()
sarx_version <- function() .Call(C_sxr_version)
