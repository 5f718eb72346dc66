"""What SQLite alone takes to do the table work of GraveAtlas's batch insert, as a reference
for tools/bench/queries: the same sites (copied into memory first, so no encoding, binding or
validation is counted) written into an empty store of the same schema with the unique indexes
and insert triggers set aside, their search text written, the two unique indexes built and the
full-text index filled, in one transaction. The R*Tree is left out (GraveAtlas builds it too).
The unique indexes are made as GraveAtlas makes them after a large batch: CREATE UNIQUE INDEX in
the batch's transaction. The target: GraveAtlas's batch insert takes at most 1.2 times this, in
the same run.

    /usr/bin/python3 sqlite_floor.py EMPTY_STORE SOURCE_STORE
"""
import sqlite3
import sys
import time

empty, source = sys.argv[1], sys.argv[2]
con = sqlite3.connect(empty, isolation_level=None)
con.execute("PRAGMA journal_mode = WAL")
con.execute("PRAGMA temp_store = MEMORY")
con.execute("PRAGMA cache_size = -65536")
con.execute("ATTACH ? AS src", (source,))
con.execute("CREATE TEMP TABLE x AS SELECT * FROM src.sites")
n = con.execute("SELECT count(*) FROM temp.x").fetchone()[0]
statements = [
    "BEGIN",
    "DROP TRIGGER rtree_sites_geom_insert",
    "DROP TRIGGER site_search_insert",
    "DROP TRIGGER sites_uuid_fill",
    "DROP INDEX sites_uuid",
    "DROP INDEX sites_dataset_source_key",
    "INSERT INTO sites SELECT * FROM temp.x",
    "INSERT INTO site_search_text SELECT fid, name || ' ', coalesce(description, ''), '' FROM temp.x",
    "CREATE UNIQUE INDEX sites_uuid ON sites (uuid)",
    "CREATE UNIQUE INDEX sites_dataset_source_key ON sites (dataset, source_key)",
    "INSERT INTO site_search (rowid, names, description, attributes) SELECT fid, names, description, attributes FROM site_search_text",
    "COMMIT",
]
start = time.perf_counter()
for sql in statements:
    con.execute(sql)
seconds = time.perf_counter() - start
print(f"sqlite_floor sites={n} seconds={seconds:.3f} sites_per_second={int(n / seconds)}")
