-- The coordinator of tests/pg/multinode.sh (docs/SCALEOUT.md): two data
-- nodes through postgres_fdw and a table visits partitioned by site whose
-- partitions are the nodes' tables.  psql variables: host1/port1 and
-- host2/port2 (host: a socket directory or a host name), user (the role on
-- the nodes), sites1 and sites2 (each node's sites as a list of quoted
-- literals: 'site0', 'site1').
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sarx;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;

-- extensions 'sarx': the functions, aggregates, operators and types of the
-- extension sarx may be shipped to these servers (the same version must be
-- installed there).  async_capable: the two nodes are scanned at the same
-- time under an Append.
CREATE SERVER node1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host1', port :'port1', dbname 'postgres', extensions 'sarx',
             async_capable 'true', fetch_size '10000');
CREATE SERVER node2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'host2', port :'port2', dbname 'postgres', extensions 'sarx',
             async_capable 'true', fetch_size '10000');
CREATE USER MAPPING FOR CURRENT_USER SERVER node1 OPTIONS (user :'user');
CREATE USER MAPPING FOR CURRENT_USER SERVER node2 OPTIONS (user :'user');

CREATE TABLE visits (site text NOT NULL, subject jsonb NOT NULL) PARTITION BY LIST (site);
CREATE FOREIGN TABLE visits_node1 PARTITION OF visits FOR VALUES IN (:sites1)
    SERVER node1 OPTIONS (schema_name 'public', table_name 'visits');
CREATE FOREIGN TABLE visits_node2 PARTITION OF visits FOR VALUES IN (:sites2)
    SERVER node2 OPTIONS (schema_name 'public', table_name 'visits');
ANALYZE visits;

-- Aggregate each partition on its own (here: on its node) when the GROUP BY
-- holds the partition key.
ALTER DATABASE postgres SET enable_partitionwise_aggregate = on;

-- The nodes' views of the ewgsop2 category (node.sql), partitioned alike.
CREATE TABLE visits_ewgsop2 (site text NOT NULL, subject jsonb NOT NULL, category text)
    PARTITION BY LIST (site);
CREATE FOREIGN TABLE visits_ewgsop2_node1 PARTITION OF visits_ewgsop2 FOR VALUES IN (:sites1)
    SERVER node1 OPTIONS (schema_name 'public', table_name 'visits_ewgsop2');
CREATE FOREIGN TABLE visits_ewgsop2_node2 PARTITION OF visits_ewgsop2 FOR VALUES IN (:sites2)
    SERVER node2 OPTIONS (schema_name 'public', table_name 'visits_ewgsop2');
