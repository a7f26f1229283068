# Where the repository's files are: SARX_SOURCE (the top of the sarx
# sources: tests/vectors/, examples/) and SARX_CLI (a sarx command of the
# same build).  r/r.mk sets both; without them those tests are skipped.
sarx_source <- function() {
    s <- Sys.getenv("SARX_SOURCE")
    if (s == "" || !dir.exists(file.path(s, "tests", "vectors")))
        skip("SARX_SOURCE (the sarx sources, for tests/vectors/) not set")
    s
}

sarx_cli <- function() {
    s <- Sys.getenv("SARX_CLI")
    if (s == "" || !file.exists(s))
        skip("SARX_CLI (the sarx command) not set")
    s
}

# The cases of one vector file (tests/vectors.c describes the format): a
# list of list(name, line, input = the "in" JSON as a list, expect = list of
# c(def, cat, complete, missing), error = c(kind, field)).
read_vectors <- function(path) {
    lines <- readLines(path, encoding = "UTF-8", warn = FALSE)
    cases <- list()
    cur <- NULL
    flush <- function() if (!is.null(cur)) cases[[length(cases) + 1]] <<- cur
    for (i in seq_along(lines)) {
        l <- lines[i]
        if (grepl("^#", l))
            next
        if (grepl("^\\s*$", l)) {
            flush()
            cur <- NULL
            next
        }
        key <- sub(":.*$", "", l)
        val <- sub("^[^:]*:\\s*", "", l)
        if (is.null(cur))
            cur <- list(name = "", line = i, input = NULL, expect = list(), error = NULL)
        if (key == "case") cur$name <- val
        else if (key == "in") cur$input <- val
        else if (key == "expect") {
            t <- strsplit(val, "\\s+")[[1]]
            comp <- NA
            missing <- NA_character_
            for (w in t[-(1:2)]) {
                if (w == "complete") comp <- TRUE
                else if (w == "incomplete") comp <- FALSE
                else if (startsWith(w, "missing=")) missing <- sub("^missing=", "", w)
            }
            cur$expect[[length(cur$expect) + 1]] <- list(def = t[1], cat = t[2], complete = comp, missing = missing)
        } else if (key == "error") {
            t <- strsplit(val, "\\s+")[[1]]
            cur$error <- c(kind = t[1], field = t[2])
        }
    }
    flush()
    cases
}

# A case's input as a one-row data frame of typed columns (numbers, text,
# logicals; null is NA), or NULL when columns cannot carry it (as for `sarx
# cohort`: a weight history, a list item without a text form, an error that
# only JSON can make).
case_frame <- function(case) {
    x <- sarx:::assessment(case$input)
    if (!is.list(x) || !is.null(x$weight_history))
        return(NULL)
    if (!is.null(case$error)) {
        k <- case$error[["kind"]]
        f <- case$error[["field"]]
        ok <- k %in% c("range", "value", "syntax") ||
            (k == "conflict" && f %in% c("sarc_f", "fat_mass_pct"))
        if (!ok || grepl("weight_history", f))
            return(NULL)
    } else if (!length(case$expect))
        return(NULL)
    cols <- list()
    icd <- c("icd10", "icd-10", "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm")
    for (k in names(x)) {
        v <- x[[k]]
        if (k %in% c("conditions", "medications")) {
            items <- character(0)
            for (it in if (is.list(v)) v else as.list(v)) {
                if (is.character(it) && length(it) == 1) items <- c(items, it)
                else if (k == "conditions" && is.list(it) && length(it) == 2 && is.character(it$system) &&
                         tolower(it$system) %in% icd && is.character(it$code))
                    items <- c(items, paste0("icd10:", it$code))
                else return(NULL)
            }
            cols[[k]] <- list(items)
        } else if (is.list(v) || length(v) != 1) {
            return(NULL)
        } else {
            cols[[k]] <- v
        }
    }
    cols[["vector_case"]] <- 1L # an ignored column: a case with no input still has a row
    df <- data.frame(cols[!vapply(cols, is.list, NA)], stringsAsFactors = FALSE, check.names = FALSE)
    for (k in names(cols)) if (is.list(cols[[k]])) df[[k]] <- cols[[k]]
    df
}
