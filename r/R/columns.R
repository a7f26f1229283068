# Turning R arguments into what the C side takes.  No rule, reading or
# statistic is computed here: the library reads every cell.

# The columns of a data frame, a tibble or a named list of equal-length
# vectors, as a plain list (no copy of the vectors), and the row count n:
# the data frame's own (its row names), or the list's common length (a
# matrix's or a data frame's rows).  Never a column's length: the C side
# checks that each column it reads has n values (one per row: not a
# matrix of several columns, not a data frame), and names the column.
sarx_columns <- function(data, what = "data") {
    if (is.data.frame(data)) {
        n <- .row_names_info(data, 2L)
        cols <- unclass(data)
        attributes(cols) <- list(names = names(data))
    } else if (is.list(data) && !is.null(names(data))) {
        cols <- data
        lens <- vapply(cols, NROW, 0)
        if (length(lens) && any(lens != lens[1]))
            stop(sprintf("sarx: %s: every column needs the same length (%s)", what,
                         paste(sprintf("%s: %d", names(cols), lens), collapse = ", ")), call. = FALSE)
        n <- if (length(lens)) lens[[1]] else 0
    } else {
        stop(sprintf("sarx: %s must be a data frame or a named list of columns", what), call. = FALSE)
    }
    if (!length(cols) && is.data.frame(data)) # no columns: the rows are still rows, with nothing known
        cols <- list(.rows = logical(nrow(data)))
    nm <- names(cols)
    if (any(is.na(nm) | nm == ""))
        stop(sprintf("sarx: %s: every column needs a name", what), call. = FALSE)
    # The library reads days.  A date-time is its day in its own time zone,
    # and a Date with a fraction of a day (date + 0.5, a mean of dates) is
    # the day R shows for it (format(), as.POSIXlt(): the day it falls in).
    # List columns are read by the C side, by the field a column feeds.
    for (i in seq_along(cols)) {
        x <- cols[[i]]
        if (inherits(x, "POSIXt")) {
            cols[[i]] <- as.Date(x, tz = if (is.null(attr(x, "tzone"))) "" else attr(x, "tzone")[1])
        } else if (inherits(x, "Date") && is.double(x)) {
            u <- unclass(x)
            if (any(u != floor(u), na.rm = TRUE))
                cols[[i]] <- structure(floor(u), class = "Date")
        }
    }
    list(cols = cols, names = enc2utf8(nm), n = as.double(n))
}

# map = a map file's path, a named character vector c(column = "field")
# (renames, as --rename column=field), or a data frame with the columns of
# a map file: column and field (renames), column, from and to (value maps).
sarx_map <- function(map) {
    none <- list(text = NULL, renames = NULL, values = NULL)
    if (is.null(map))
        return(none)
    if (is.data.frame(map)) {
        nm <- names(map)
        if (!"column" %in% nm || !any(c("field", "from") %in% nm))
            stop("sarx: a map data frame has the columns column and field (renames), ",
                 "or column, from and to (value maps)", call. = FALSE)
        out <- none
        if ("field" %in% nm) {
            r <- !is.na(map$field) & map$field != ""
            if (any(r))
                out$renames <- stats_setnames(enc2utf8(as.character(map$field[r])),
                                              enc2utf8(as.character(map$column[r])))
        }
        if ("from" %in% nm) {
            if (!"to" %in% nm)
                stop("sarx: a map data frame with a from column needs a to column", call. = FALSE)
            r <- !is.na(map$from)
            if (any(r))
                out$values <- list(enc2utf8(as.character(map$column[r])), enc2utf8(as.character(map$from[r])),
                                   enc2utf8(as.character(map$to[r])))
        }
        return(out)
    }
    if (is.character(map) && is.null(names(map)) && length(map) == 1) {
        if (!file.exists(map))
            stop(sprintf("sarx: map file %s not found", map), call. = FALSE)
        text <- paste(readLines(map, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
        return(list(text = enc2utf8(text), renames = NULL, values = NULL))
    }
    if (is.character(map) && !is.null(names(map)))
        return(list(text = NULL, renames = stats_setnames(enc2utf8(unname(map)), enc2utf8(names(map))),
                    values = NULL))
    stop("sarx: map must be a map file's path, a named character vector c(column = \"field\") ",
         "or a data frame (column, field / column, from, to)", call. = FALSE)
}

stats_setnames <- function(x, nm) {
    names(x) <- nm
    x
}

sarx_list_arg <- function(x, what) {
    if (is.null(x))
        return(NULL)
    if (!is.character(x) || anyNA(x))
        stop(sprintf("sarx: %s must be a character vector", what), call. = FALSE)
    enc2utf8(paste(x, collapse = ","))
}

# The error the C side raises (through sarx_stop): an R condition of class
# sarx_error with the library's code, field, value and allowed range.
sarx_stop <- function(message, code, field, value, allowed) {
    stop(structure(class = c("sarx_error", "error", "condition"),
                   list(message = paste("sarx:", message), call = NULL, code = code,
                        field = field, value = value, allowed = allowed)))
}

# The library's classification of every row (internal): the C result.
sarx_run <- function(data, definitions, map, na, rows) {
    d <- sarx_columns(data)
    m <- sarx_map(map)
    block <- getOption("sarx.block", 4096L)
    r <- .Call(C_sxr_classify, d$cols, d$names, d$n, sarx_list_arg(definitions, "definitions"), m$text,
               m$renames, m$values, sarx_list_arg(na, "na"), rows, as.integer(block))
    r$n <- d$n
    r
}

errors_frame <- function(e) {
    blank <- function(x) ifelse(x == "", NA_character_, x)
    data.frame(row = as.integer(e$row), code = e$code, field = blank(e$field), value = blank(e$value),
               allowed = blank(e$allowed), message = e$message, stringsAsFactors = FALSE)
}
