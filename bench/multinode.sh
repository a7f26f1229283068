#!/bin/sh
# The cost of the scale-out (docs/SCALEOUT.md): sh bench/multinode.sh [BUILD] [ROWS]
#
# tests/pg/multinode.sh with ROWS rows of `sarx synth` (default 500000: about
# 200,000 on node 1, sites site0-site1, and 300,000 on node 2, site2-site4),
# no parallel workers on any cluster, then the best of three runs of: the
# aggregate over the single-node table (one process, then two parallel
# workers), the merge of the per-site states through the coordinator (the
# nodes work at the same time: async_capable), the plain aggregate through
# the coordinator (every row crosses), and both again with async_capable
# off.  Everything runs on this machine: the nodes share its cores and no
# network is crossed.  Loading takes longer than the queries (about a
# minute for 500,000 rows on two cores).
BUILD=${1:-build}
MN_ROWS=${2:-500000} MN_BENCH=1 exec sh "$(dirname "$0")/../tests/pg/multinode.sh" "$BUILD"
