import Foundation
import PostgresNIO
import Store

/// Telling those who read a database (a server keeping a copy of it) that it changed: each
/// GraveAtlas write sends a notification on `graveatlas_changes` when it commits (PostgreSQL's
/// `NOTIFY` is delivered at commit, never for a write rolled back), and a change mark moves
/// with any write, GraveAtlas's or another tool's.
extension PostGISStore {
    /// The channel GraveAtlas's writes notify.
    public static let changeChannel = "graveatlas_changes"

    /// Notifies `changeChannel` when the transaction of `c` commits.
    func notifyChange(_ c: PostgresConnection) async throws {
        try await notify(c, on: Self.changeChannel)
    }

    /// Notifies `channel`, without a payload, when the transaction of `c` commits.
    func notify(_ c: PostgresConnection, on channel: String) async throws {
        try await run(c, "SELECT pg_notify('\(channel)', '')", what: "notify the readers of \(channel)")
    }

    /// A text that differs after any write to the store's tables: the audit chain's head, and
    /// the rows PostgreSQL counts inserted, updated and deleted in them (its statistics, which
    /// count another tool's writes too, within a second or so of their commit).
    public func changeMark() async throws -> String {
        try await withConnection { c in try await changeMark(c) }
    }

    func changeMark(_ c: PostgresConnection) async throws -> String {
        var mark = ""
        let tables = (StoreTable.copied + [.searchEntries]).map { "'\($0.name)'" }.joined(separator: ", ")
        try await rows(c, """
            SELECT coalesce((SELECT seq || ' ' || hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1), '-') || ' '
                || (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables
                    WHERE schemaname = current_schema() AND relname IN (\(tables)))::text
            """, what: "read the change mark") { mark = try $0[0].decode(String.self) }
        return mark
    }

    /// Yields to `signal` for each notification on `channel` until its task is cancelled, on a
    /// connection of its own, made again `poll` after it is lost.
    func listen(on channel: String, poll: Duration, _ signal: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await withConnection { c in
                    try await c.listen(on: channel) { notifications in
                        for try await _ in notifications { signal.yield() }
                    }
                }
            } catch {
                logger.warning("listening on \(channel) failed: \(Self.reason(error))")
            }
            try? await Task.sleep(for: poll)
        }
    }

    /// Calls `changed` after each notification on `changeChannel`, and after each `poll` at
    /// which `changeMark()` moved (a write by another tool, or one missed while reconnecting),
    /// one call at a time: notifications that come during a call make one more call after it.
    /// Runs until its task is cancelled; a connection lost is made again after `poll`.
    public func followChanges(poll: Duration = .seconds(2), _ changed: @escaping @Sendable () async -> Void) async {
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in await listen(on: Self.changeChannel, poll: poll, signal) }
            group.addTask { [self] in
                // One connection for the checks, made again when it fails.
                var last: String?
                while !Task.isCancelled {
                    _ = try? await withConnection { c in
                        if last == nil { last = try await changeMark(c) }
                        while !Task.isCancelled {
                            try await Task.sleep(for: poll)
                            let mark = try await changeMark(c)
                            if mark != last { signal.yield() }
                            last = mark
                        }
                    }
                    try? await Task.sleep(for: poll)
                }
            }
            group.addTask {
                for await _ in signals {
                    if Task.isCancelled { break }
                    await changed()
                }
            }
            // Cancelling this task cancels the three: the sleeps throw, the streams end.
            await group.waitForAll()
        }
        signal.finish()
    }
}
