import Foundation
import PostgresNIO

/// Where a PostGIS store lives: a `postgresql://` (or `postgres://`) URL, as libpq reads it.
///
/// ```swift
/// let url = try PostgresURL("postgresql://analyst:secret@db.example.org:5433/atlas")
/// let local = try PostgresURL("postgresql://graveatlas@/graveatlas_test?host=/tmp/pg")  // a unix socket folder
/// print(url)   // postgresql://analyst@db.example.org:5433/atlas  (never the password)
/// ```
/// The user defaults to `PGUSER`, then the login name; the password to `PGPASSWORD`; the host
/// to the unix socket folder `/var/run/postgresql`; the port to 5432; the database to the user.
/// A host that starts with `/` (in the authority, percent-encoded, or as `?host=`) is a socket
/// folder. Query parameters `host`, `port`, `user`, `password`, `dbname` and `sslmode` are read;
/// TLS is not offered yet, so `sslmode` may only be `disable` or `prefer` (then plain).
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A TCP host name or address; nil when `socketFolder` is used.
    public var host: String?
    /// The folder holding the server's socket `.s.PGSQL.<port>`.
    public var socketFolder: String?
    public var port: Int
    public var database: String

    /// Whether `text` is meant as a PostgreSQL URL (rather than a GeoPackage path).
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// - Throws: `PostGISError.badURL` naming the URL (without its password) and what is wrong.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PostGISError) {
        guard Self.isPostgresURL(text), let schemeEnd = text.range(of: "://") else {
            throw .badURL(Self.redact(text), reason: "it does not start with postgresql://")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let key = Self.decode(parts[0]), let value = Self.decode(parts[1]) else {
                    throw .badURL(Self.redact(text), reason: "its parameter '\(pair.split(separator: "=").first ?? "")' is not key=value")
                }
                query[key] = value
            }
            rest = rest[..<mark]
        }
        let authority: Substring
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
        }
        var hostPort = authority
        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            user = Self.decode(parts[0])
            if parts.count == 2 { password = Self.decode(parts[1]) }
            guard user != nil, parts.count == 1 || password != nil else {
                throw .badURL(Self.redact(text), reason: "its user or password is not valid percent-encoding")
            }
        }
        var host: String?
        var portText: String?
        if hostPort.hasPrefix("[") {   // an IPv6 address
            guard let close = hostPort.firstIndex(of: "]") else {
                throw .badURL(Self.redact(text), reason: "its IPv6 address has no closing ]")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = Self.decode(hostPort[..<colon])
            portText = String(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            host = Self.decode(hostPort)
        }
        if host == "" { host = nil }
        host = query["host"] ?? host
        portText = query["port"] ?? portText
        user = query["user"] ?? user
        password = query["password"] ?? password
        var database = Self.decode(path)
        if let name = query["dbname"] { database = name }
        if let mode = query["sslmode"], mode != "disable", mode != "prefer", mode != "allow" {
            throw .badURL(Self.redact(text), reason: "sslmode=\(mode) asks for TLS, which GraveAtlas does not offer yet (use disable)")
        }
        var port = 5432
        if let portText, !portText.isEmpty {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw .badURL(Self.redact(text), reason: "its port '\(portText)' is not a number from 1 to 65535")
            }
            port = p
        }
        let resolvedUser = user ?? environment["PGUSER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "postgres"
        self.user = resolvedUser
        self.password = password ?? environment["PGPASSWORD"]
        if let h = host, h.hasPrefix("/") {
            self.socketFolder = h
            self.host = nil
        } else if let h = host {
            self.host = h
            self.socketFolder = nil
        } else {
            self.host = nil
            self.socketFolder = "/var/run/postgresql"
        }
        self.port = port
        guard let name = (database?.isEmpty == false ? database : resolvedUser), !name.isEmpty else {
            throw .badURL(Self.redact(text), reason: "it names no database")
        }
        self.database = name
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let who = Self.encode(user)
        if let socketFolder {
            return "postgresql://\(who)@/\(Self.encode(database))?host=\(socketFolder)" + (port == 5432 ? "" : "&port=\(port)")
        }
        let h = (host ?? "").contains(":") ? "[\(host ?? "")]" : (host ?? "")
        return "postgresql://\(who)@\(h):\(port)/\(Self.encode(database))"
    }

    /// The path of the server's unix socket, when it is reached through one.
    public var socketPath: String? { socketFolder.map { "\($0)/.s.PGSQL.\(port)" } }

    /// How postgres-nio connects to it.
    var configuration: PostgresConnection.Configuration {
        if let socketPath {
            return PostgresConnection.Configuration(unixSocketPath: socketPath, username: user, password: password, database: database)
        }
        return PostgresConnection.Configuration(host: host ?? "localhost", port: port, username: user, password: password,
                                                database: database, tls: .disable)
    }

    /// `text` with any password in it replaced by `***` (for a URL that did not parse).
    public static func redact(_ text: String) -> String {
        var out = text
        if let schemeEnd = out.range(of: "://"), let at = out[schemeEnd.upperBound...].firstIndex(of: "@"),
           let colon = out[schemeEnd.upperBound..<at].firstIndex(of: ":") {
            out.replaceSubrange(out.index(after: colon)..<at, with: "***")
        }
        if let range = out.range(of: #"([?&])password=[^&]*"#, options: .regularExpression) {
            let lead = out[range].first.map(String.init) ?? "?"
            out.replaceSubrange(range, with: "\(lead)password=***")
        }
        return out
    }

    private static func decode(_ part: Substring) -> String? { String(part).removingPercentEncoding }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
