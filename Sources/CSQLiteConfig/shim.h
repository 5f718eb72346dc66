// SQLite's process-wide settings are made through sqlite3_config(), a variadic function Swift
// cannot call; these wrappers make the two GraveAtlas uses. Both must run before SQLite is
// initialised (before the first connection opens), else they return SQLITE_MISUSE and
// change nothing.
#include <sqlite3.h>

/// Connections without their own mutex: every GRDB connection is used by one thread at a
/// time already (its serial queue), so SQLite's per-call locking is redundant.
static inline int ga_sqlite_config_multithread(void) {
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

/// No memory statistics (a global mutex taken on every allocation to keep them).
static inline int ga_sqlite_config_no_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
