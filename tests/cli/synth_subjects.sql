-- A table of subjects from a CSV of `sarx synth`, for the SQLite extension's
-- test (tests/cli/sqlite.sh) and benchmark (bench/sqlite.sh).  Run with
-- `.read` from the folder holding synth.csv (the rows) and fields.json
-- (`sarx fields --format json`); it writes make.sql there and leaves
--   t(id INTEGER PRIMARY KEY, sex TEXT, subject TEXT)
-- in the CSV's order: each subject is the row as json_object() makes it,
-- numbers, integers and booleans as written (json() keeps a cell that is
-- JSON already), other cells as strings, empty cells as null (missing),
-- columns sarx does not know left out.
.import --csv synth.csv raw
CREATE TEMP TABLE kinds AS
  SELECT json_extract(value, '$.name') AS name, json_extract(value, '$.kind') AS kind
  FROM json_each(CAST(readfile('fields.json') AS TEXT));
.headers off
.mode list
.output make.sql
SELECT 'CREATE TABLE t(id INTEGER PRIMARY KEY, sex TEXT, subject TEXT); INSERT INTO t(sex, subject) SELECT sex, json_object('
       || group_concat(printf('''%s'', %s', c.name,
            CASE WHEN k.kind IN ('number', 'integer', 'bool')
                 THEN printf('CASE WHEN "%w" <> '''' THEN json("%w") END', c.name, c.name)
                 ELSE printf('nullif("%w", '''')', c.name) END), ', ')
       || ') FROM raw ORDER BY rowid; DROP TABLE raw;'
  FROM pragma_table_info('raw') AS c JOIN kinds AS k ON k.name = c.name;
.output stdout
.read make.sql
