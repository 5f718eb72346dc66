import PostGIS
import Testing

/// `postgresql://` URLs as libpq reads them, and messages that never show a password.
@Suite struct PostgresURLTests {
    @Test func readsUserPasswordHostPortAndDatabase() throws {
        let url = try PostgresURL("postgresql://analyst:s%40cret@db.example.org:5433/atlas", environment: [:])
        #expect(url.user == "analyst" && url.password == "s@cret" && url.host == "db.example.org")
        #expect(url.port == 5433 && url.database == "atlas" && url.socketFolder == nil)
        #expect(url.description == "postgresql://analyst@db.example.org:5433/atlas")
    }

    @Test func aHostThatIsAFolderIsASocket() throws {
        for text in ["postgresql://graveatlas@/graveatlas_test?host=/tmp/pg", "postgres://graveatlas@%2Ftmp%2Fpg/graveatlas_test"] {
            let url = try PostgresURL(text, environment: [:])
            #expect(url.socketFolder == "/tmp/pg" && url.host == nil && url.socketPath == "/tmp/pg/.s.PGSQL.5432", "\(text)")
            #expect(url.user == "graveatlas" && url.database == "graveatlas_test")
        }
    }

    @Test func defaultsComeFromTheEnvironmentAsLibpqTakesThem() throws {
        let url = try PostgresURL("postgresql:///atlas", environment: ["PGUSER": "team", "PGPASSWORD": "pw"])
        #expect(url.user == "team" && url.password == "pw" && url.socketFolder == "/var/run/postgresql" && url.port == 5432)
        let named = try PostgresURL("postgresql://[::1]:6000/atlas?user=ana&password=x", environment: [:])
        #expect(named.host == "::1" && named.port == 6000 && named.user == "ana" && named.password == "x")
        #expect(!named.description.contains("x@") && !named.description.contains("password"))
        let databaseIsUser = try PostgresURL("postgresql://ana@localhost", environment: [:])
        #expect(databaseIsUser.database == "ana")
    }

    @Test func refusesWhatItCannotUseWithoutShowingThePassword() {
        for (text, words) in [("postgresql://ana:topsecret@h:99999/db", "port"),
                              ("postgresql://ana:topsecret@h/db?sslmode=require", "TLS"),
                              ("postgresql://ana:topsecret@[::1/db", "IPv6"),
                              ("postgresql://ana@h/db?password=topsecret&oops", "key=value")] {
            #expect {
                _ = try PostgresURL(text, environment: [:])
            } throws: { error in
                let message = "\(error)"
                return message.contains(words) && !message.contains("topsecret")
            }
        }
        #expect(PostgresURL.isPostgresURL("POSTGRESQL://x/y") && !PostgresURL.isPostgresURL("atlas.gpkg"))
    }
}
