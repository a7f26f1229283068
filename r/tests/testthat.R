library(testthat)
library(sarx)
test_check("sarx")
