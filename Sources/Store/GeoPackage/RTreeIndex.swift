/// The `gpkg_rtree_index` extension for one geometry column: the R*Tree virtual table and the
/// six triggers of GeoPackage 1.2/1.3 (Annex F.3) that keep it in step with the table.
///
/// ```swift
/// RTreeIndex(table: "sites", column: "geom", idColumn: "fid").statements
/// ```
/// The triggers call `ST_IsEmpty`, `ST_MinX` … which `GeoPackageFunctions` registers on every
/// connection. They are the 1.2/1.3 set (insert, update1…update4, delete) that GDAL 3.6's
/// `validate_gpkg.py` checks for; GeoPackage 1.4 later replaced update1 and update3.
struct RTreeIndex {
    var table: String
    var column: String
    var idColumn: String

    var name: String { "rtree_\(table)_\(column)" }

    /// The trigger that indexes each inserted row (set aside during a batch; see
    /// `RTreeBulkLoad`).
    var insertTrigger: String {
        """
        CREATE TRIGGER \(name)_insert AFTER INSERT ON \(table)
          WHEN (new.\(column) NOT NULL AND NOT ST_IsEmpty(NEW.\(column)))
        BEGIN
          \(insertNew)
        END
        """
    }

    private var insertNew: String {
        let c = column, i = idColumn, r = name
        return """
            INSERT OR REPLACE INTO \(r) VALUES (
                NEW.\(i),
                ST_MinX(NEW.\(c)), ST_MaxX(NEW.\(c)),
                ST_MinY(NEW.\(c)), ST_MaxY(NEW.\(c))
              );
            """
    }

    var statements: [String] {
        let t = table, c = column, i = idColumn, r = name
        return [
            "CREATE VIRTUAL TABLE \(r) USING rtree(id, minx, maxx, miny, maxy)",
            insertTrigger,
            """
            CREATE TRIGGER \(r)_update1 AFTER UPDATE OF \(c) ON \(t)
              WHEN OLD.\(i) = NEW.\(i) AND
                   (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
            BEGIN
              \(insertNew)
            END
            """,
            """
            CREATE TRIGGER \(r)_update2 AFTER UPDATE OF \(c) ON \(t)
              WHEN OLD.\(i) = NEW.\(i) AND
                   (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
            BEGIN
              DELETE FROM \(r) WHERE id = OLD.\(i);
            END
            """,
            """
            CREATE TRIGGER \(r)_update3 AFTER UPDATE ON \(t)
              WHEN OLD.\(i) != NEW.\(i) AND
                   (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
            BEGIN
              DELETE FROM \(r) WHERE id = OLD.\(i);
              \(insertNew)
            END
            """,
            """
            CREATE TRIGGER \(r)_update4 AFTER UPDATE ON \(t)
              WHEN OLD.\(i) != NEW.\(i) AND
                   (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
            BEGIN
              DELETE FROM \(r) WHERE id IN (OLD.\(i), NEW.\(i));
            END
            """,
            """
            CREATE TRIGGER \(r)_delete AFTER DELETE ON \(t)
              WHEN old.\(c) NOT NULL
            BEGIN
              DELETE FROM \(r) WHERE id = OLD.\(i);
            END
            """,
            """
            INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
            VALUES ('\(t)', '\(c)', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')
            """,
        ]
    }
}
