import Foundation
import Geometry
import Serve
import Testing

/// Slow and idle clients against the real server, with short deadlines set through
/// `ServeConfiguration` (head 2 s, idle 3 s, body 2 s): raw sockets in Python, since no ordinary client
/// sends a request a byte at a time. No test here claims a speed: each bounds its waits (60 s)
/// so that a server that never cuts a client fails the test instead of holding it.
@Suite(.serialized) struct SlowClientTests {
    static func configuration(_ fixture: ServeFixture) -> ServeConfiguration {
        ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0, headTimeout: .seconds(2), idleTimeout: .seconds(3),
                           bodyTimeout: .seconds(2))
    }

    static func client(_ url: String, _ mode: String) async throws -> JSONValue {
        try await LiveServer.python(Self.script, [url, mode])
    }

    @Test func aClientSendingItsHeadAByteAtATimeIsCutWhileOthersAreServed() async throws {
        let fixture = try ServeFixture.make("slowloris", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            let out = try await Self.client(url, "slowloris")
            let sent = out["sent"]?.intValue ?? -1, total = out["total"]?.intValue ?? -1
            #expect(out["closed"]?.boolValue == true, "\(out)")
            #expect(sent >= 0 && sent < total / 4, "cut after \(sent) of \(total) bytes")
            #expect(out["answer"]?.stringValue?.hasPrefix("HTTP/1.1 408") == true, "\(out)")
            #expect(out["answer"]?.stringValue?.contains("RequestTimeout") == true, "the OGC exception: \(out)")
            let normal = out["normal"]?.arrayValue ?? []
            #expect(!normal.isEmpty && normal.allSatisfy { $0.intValue == 200 }, "requests made meanwhile: \(normal)")
        }
    }

    @Test func aClientSendingItsBodyAByteAtATimeIsCutWhileOthersAreServed() async throws {
        let fixture = try ServeFixture.make("slow-body", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            let out = try await Self.client(url, "slow-body")
            let sent = out["sent"]?.intValue ?? -1, total = out["total"]?.intValue ?? -1
            #expect(out["closed"]?.boolValue == true, "\(out)")
            #expect(sent >= 0 && sent < total / 4, "cut after \(sent) of \(total) bytes of body")
            #expect(out["answer"]?.stringValue?.hasPrefix("HTTP/1.1 408") == true, "\(out)")
            #expect(out["answer"]?.stringValue?.contains("request body did not arrive") == true, "the OGC exception: \(out)")
            let normal = out["normal"]?.arrayValue ?? []
            #expect(!normal.isEmpty && normal.allSatisfy { $0.intValue == 200 }, "requests made meanwhile: \(normal)")
            // A body sent in pieces, within the deadline, is answered.
            let timely = try await Self.client(url, "timely-body")
            #expect(timely["answer"]?.stringValue?.hasPrefix("HTTP/1.1 200") == true, "\(timely)")
            #expect(timely["answer"]?.stringValue?.contains("FeatureCollection") == true, "\(timely)")
        }
    }

    @Test func aClientThatSendsNothingIsAnswered408AndClosed() async throws {
        let fixture = try ServeFixture.make("silent", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            let out = try await Self.client(url, "silent")
            #expect(out["closed"]?.boolValue == true && out["answer"]?.stringValue?.hasPrefix("HTTP/1.1 408") == true, "\(out)")
        }
    }

    @Test func aSlowButTimelyRequestIsServedAndSoIsASlowSecondOneOnTheSameConnection() async throws {
        let fixture = try ServeFixture.make("timely", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            let out = try await Self.client(url, "timely")
            #expect(out["first"]?.stringValue?.hasPrefix("HTTP/1.1 200") == true, "\(out)")
            #expect(out["second"]?.stringValue?.hasPrefix("HTTP/1.1 200") == true, "\(out)")
            #expect(out["second"]?.stringValue?.contains("\"status\":\"ok\"") == true, "\(out)")
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedWithoutAWordButASlowNextHeadGets408() async throws {
        let fixture = try ServeFixture.make("idle", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            let idle = try await Self.client(url, "idle")
            #expect(idle["first"]?.stringValue?.hasPrefix("HTTP/1.1 200") == true, "\(idle)")
            #expect(idle["closed"]?.boolValue == true && idle["after"]?.stringValue == "", "closed, nothing said: \(idle)")
            // The next request's first byte starts the head clock: a slow head there is a slowloris too.
            let slow = try await Self.client(url, "slow-second")
            #expect(slow["first"]?.stringValue?.hasPrefix("HTTP/1.1 200") == true, "\(slow)")
            #expect(slow["closed"]?.boolValue == true && slow["answer"]?.stringValue?.hasPrefix("HTTP/1.1 408") == true, "\(slow)")
        }
    }

    @Test func aMegabyteOfHeaderOrQueryStringGets431Or414AndTheServerServesOn() async throws {
        let fixture = try ServeFixture.make("huge", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(Self.configuration(fixture)) { url in
            for (mode, status, code) in [("huge-header", 431, "HeadersTooLarge"), ("huge-query", 414, "URITooLong"),
                                         ("not-http", 400, "BadRequest")] {
                let out = try await Self.client(url, mode)
                let answer = out["answer"]?.stringValue ?? ""
                #expect(answer.hasPrefix("HTTP/1.1 \(status)") && answer.contains("\"code\":\"\(code)\""), "\(mode): \(out)")
                #expect(out["closed"]?.boolValue == true, "\(mode): \(out)")
                #expect(out["after"]?.intValue == 200, "\(mode): the server serves on: \(out)")
            }
        }
    }

    /// The raw clients: argv[1] the server's URL, argv[2] the scenario; prints one JSON object.
    static let script = #"""
    import http.client, json, select, socket, sys, threading, time, urllib.parse
    u = urllib.parse.urlparse(sys.argv[1])
    host, port, mode = u.hostname, u.port, sys.argv[2]
    LIMIT = 60.0

    def connect():
        return socket.create_connection((host, port), timeout=LIMIT)

    def read_to_close(s, limit=LIMIT):
        """Everything until the server closes (closed True), or what came within limit seconds."""
        s.settimeout(limit)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data, True
                data += chunk
        except socket.timeout:
            return data, False
        except OSError:
            return data, True

    def read_response(s):
        """One response, by its Content-Length."""
        s.settimeout(LIMIT)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return head + b"\r\n\r\n" + rest[:length]

    def trickle(s, data, pause):
        """Sends data a byte every pause seconds until the server speaks or closes."""
        sent, answer, closed = 0, b"", False
        start = time.monotonic()
        try:
            while sent < len(data) and time.monotonic() - start < LIMIT:
                ready, _, _ = select.select([s], [], [], pause)
                if ready:
                    answer, closed = read_to_close(s, 10)
                    break
                s.sendall(data[sent:sent + 1])
                sent += 1
        except OSError:
            closed = True
        if not closed and not answer:
            answer, closed = read_to_close(s, 10)
        return sent, answer, closed

    def normal(stop, results):
        while not stop.is_set():
            try:
                c = http.client.HTTPConnection(host, port, timeout=30)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                results.append(r.status)
                c.close()
            except Exception as e:
                results.append(repr(e))
            time.sleep(0.2)

    def status(path):
        try:
            c = http.client.HTTPConnection(host, port, timeout=30)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            return r.status
        except Exception as e:
            return repr(e)

    text = lambda b: b.decode("latin-1")[:300]
    keep = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
    out = {}
    if mode == "slowloris":
        head = b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: " + b"a" * 400 + b"\r\n\r\n"
        stop, results = threading.Event(), []
        worker = threading.Thread(target=normal, args=(stop, results))
        worker.start()
        sent, answer, closed = trickle(connect(), head, 0.3)
        stop.set()
        worker.join()
        out = {"sent": sent, "total": len(head), "answer": text(answer), "closed": closed, "normal": results}
    elif mode in ("slow-body", "timely-body"):
        area = b'{"type":"Polygon","coordinates":[[[44,25],[63,25],[63,40],[44,40],[44,25]]]}'
        head = (b"POST /query/within HTTP/1.1\r\nHost: test\r\nContent-Type: application/geo+json\r\n"
                b"Connection: close\r\nContent-Length: " + str(len(area)).encode() + b"\r\n\r\n")
        s = connect()
        s.sendall(head)
        if mode == "timely-body":
            for i in range(0, len(area), 20):     # 4 pieces, 0.1 s apart: well within 2 s
                s.sendall(area[i:i + 20])
                time.sleep(0.1)
            answer, closed = read_to_close(s)
            out = {"answer": text(answer), "closed": closed}
        else:
            stop, results = threading.Event(), []
            worker = threading.Thread(target=normal, args=(stop, results))
            worker.start()
            sent, answer, closed = trickle(s, area, 0.3)
            stop.set()
            worker.join()
            out = {"sent": sent, "total": len(area), "answer": text(answer), "closed": closed, "normal": results}
    elif mode == "silent":
        answer, closed = read_to_close(connect())
        out = {"answer": text(answer), "closed": closed}
    elif mode == "timely":
        s = connect()
        for i in range(0, len(keep), 8):     # 5 pieces, 0.1 s apart: well within 2 s
            s.sendall(keep[i:i + 8])
            time.sleep(0.1)
        first = read_response(s)
        second = b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        for i in range(0, len(second), 12):
            s.sendall(second[i:i + 12])
            time.sleep(0.1)
        rest, closed = read_to_close(s)
        out = {"first": text(first), "second": text(rest), "closed": closed}
    elif mode == "idle":
        s = connect()
        s.sendall(keep)
        first = read_response(s)
        after, closed = read_to_close(s)
        out = {"first": text(first), "after": text(after), "closed": closed}
    elif mode == "slow-second":
        s = connect()
        s.sendall(keep)
        first = read_response(s)
        sent, answer, closed = trickle(s, b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: " + b"a" * 400 + b"\r\n\r\n", 0.3)
        out = {"first": text(first), "sent": sent, "answer": text(answer), "closed": closed}
    elif mode == "not-http":
        s = connect()
        s.sendall(b"GET / HTTP/1.1\r\nHost test\r\n\r\n")
        answer, closed = read_to_close(s)
        out = {"answer": text(answer), "closed": closed, "after": status("/healthz")}
    elif mode in ("huge-header", "huge-query"):
        size = 1 << 20
        target = "/healthz?x=" + "a" * size if mode == "huge-query" else "/healthz"
        header = "X-Padding: " + "b" * size + "\r\n" if mode == "huge-header" else ""
        s = connect()
        try:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: test\r\n{header}Connection: close\r\n\r\n".encode())
        except OSError:
            pass   # the server may answer and close before reading it all
        answer, closed = read_to_close(s)
        out = {"answer": text(answer), "closed": closed, "after": status("/healthz")}
    print(json.dumps(out))
    """#
}
