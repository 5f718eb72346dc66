import CSQLiteConfig

/// SQLite's process-wide settings, made once before the first connection opens (through the
/// `CSQLiteConfig` shim, since `sqlite3_config` is variadic): no mutex per connection (GRDB
/// serialises each connection's use, as it expects SQLite's multi-thread mode) and no memory
/// statistics.
///
/// ```swift
/// _ = SQLiteProcessSettings.made   // before opening any connection
/// ```
/// They only remove locking SQLite does on every call; if SQLite was already initialised
/// (a connection opened elsewhere in the process first) they are refused and nothing changes.
enum SQLiteProcessSettings {
    /// Evaluated once per process, on first use.
    static let made: Void = {
        _ = ga_sqlite_config_multithread()
        _ = ga_sqlite_config_no_memory_statistics()
    }()
}
