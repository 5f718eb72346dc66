import Foundation
import PostgresNIO
import Store

/// The API tokens kept in the database (`api_tokens`, schema version 3), shared by every server
/// on it: `graveatlas token add|list|revoke URL` writes them, `graveatlas serve URL` follows them.
///
/// ```swift
/// try await db.addToken(AccessToken(hash: TokenFile.hash(token), audience: .partner, label: "ngo"))   // true
/// try await db.tokens().map(\.label)          // ["ngo"]
/// try await db.revokeToken(label: "ngo")      // true; false when no token has that label
/// ```
/// Each change notifies `tokenChannel` at its commit, so servers take it at once; they also read
/// the tokens every few seconds (`followTokens`), which sees a change made with psql too.
extension PostGISStore {
    /// The channel a change of the tokens notifies (apart from the store's: a token changes no
    /// site, and a server does not read the store again for it).
    public static let tokenChannel = "graveatlas_tokens"

    /// Keeps `token`, unless a token not revoked has its label.
    /// - Returns: false when the label is taken (nothing written).
    public func addToken(_ token: AccessToken) async throws -> Bool {
        try await inTransaction { c in
            var binds = PostgresBindings()
            binds.append(token.hash)
            binds.append(token.audience.rawValue)
            binds.append(token.label)
            var added = false
            try await rows(c, """
                INSERT INTO api_tokens (hash, audience, label) VALUES ($1, $2, $3)
                ON CONFLICT (label) WHERE revoked IS NULL DO NOTHING RETURNING id
                """, binds: binds, what: "add the token") { _ in added = true }
            if added { try await notify(c, on: Self.tokenChannel) }
            return added
        }
    }

    /// Revokes the token labelled `label`: its row stays, with the time of the revocation.
    /// - Returns: false when no token (not yet revoked) has that label.
    public func revokeToken(label: String) async throws -> Bool {
        try await inTransaction { c in
            var binds = PostgresBindings()
            binds.append(label)
            var revoked = false
            try await rows(c, "UPDATE api_tokens SET revoked = \(PostGISSchema.now) WHERE label = $1 AND revoked IS NULL RETURNING id",
                           binds: binds, what: "revoke the token") { _ in revoked = true }
            if revoked { try await notify(c, on: Self.tokenChannel) }
            return revoked
        }
    }

    /// The tokens not revoked, in the order they were added.
    public func tokens() async throws -> [AccessToken] {
        try await withConnection { c in try await tokens(c) }
    }

    func tokens(_ c: PostgresConnection) async throws -> [AccessToken] {
        var found: [AccessToken] = []
        try await rows(c, "SELECT hash, audience, label FROM api_tokens WHERE revoked IS NULL ORDER BY id",
                       what: "read the tokens") { row in
            let label = try row[2].decode(String.self)
            let audienceText = try row[1].decode(String.self)
            guard let audience = Audience(rawValue: audienceText), audience != .public else {
                throw PostGISError.badRow(url: url.description, table: "api_tokens", key: label,
                                          reason: "audience '\(audienceText)' is not partner or internal")
            }
            found.append(AccessToken(hash: try row[0].decode(String.self), audience: audience, label: label))
        }
        return found
    }

    /// Reads the tokens at once, then after each notification on `tokenChannel` and every
    /// `poll`, and hands `update` those that differ from the last read (`known` at first); a
    /// read that fails hands it the error (and the next read that succeeds, the tokens again).
    /// One call at a time; runs until its task is cancelled, making lost connections again.
    public func followTokens(poll: Duration = .seconds(2), known: [AccessToken]? = nil,
                             _ update: @escaping @Sendable (Result<[AccessToken], any Error>) async -> Void) async {
        let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signal.yield()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in await listen(on: Self.tokenChannel, poll: poll, signal) }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: poll)
                    signal.yield()
                }
            }
            group.addTask { [self] in
                // One connection for the reads, made again after a failure.
                var connection: PostgresConnection?
                var last = known
                for await _ in signals {
                    if Task.isCancelled { break }
                    do {
                        if connection == nil {
                            do {
                                connection = try await PostgresConnection.connect(configuration: url.configuration, id: 2, logger: logger)
                            } catch {
                                throw PostGISError.connection(url: url.description, reason: Self.reason(error))
                            }
                        }
                        guard let c = connection else { continue }
                        let now = try await tokens(c)
                        if now != last { await update(.success(now)) }
                        last = now
                    } catch {
                        try? await connection?.close()
                        connection = nil
                        last = nil
                        await update(.failure(error))
                    }
                }
                try? await connection?.close()
            }
            // Cancelling this task cancels the three: the sleeps throw, the streams end.
            await group.waitForAll()
        }
        signal.finish()
    }
}
