import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Requests a server cannot finish, for tests of how it stops: clients (one Python program, a
/// thread each) that trickle a request body, or ask for a large file and read none of it; and a
/// web map folder with such a file (`big.bin`, 64 MiB unless asked otherwise, sparse).
///
/// ```swift
/// let web = try StuckRequests.WebFolder.make()
/// defer { web.remove() }
/// let clients = try StuckRequests.start(url, [.trickle("query/within"), .unread("web/big.bin", until: pid)], output: path)
/// try StuckRequests.waitForTrickledHead(output: path, port: port)
/// ```
/// The clients say when their requests are where the test wants them (files beside `output`),
/// and the kernel (`ss`) whether the server has read a request's head: no clock is involved.
public enum StuckRequests {
    /// A web map folder (`index.html`, MapLibre's two files) with `big.bin`.
    public struct WebFolder: Sendable {
        public let path: String
        /// The size of `big.bin`: by default far more than the kernel buffers between a server and
        /// a client that reads nothing.
        public let bigSize: Int

        public static func make(bigSize: Int = 64 << 20) throws -> WebFolder {
            let path = NSTemporaryDirectory() + "ga-stuck-web-\(UUID().uuidString)"
            let files = FileManager.default
            try files.createDirectory(atPath: path + "/vendor", withIntermediateDirectories: true)
            try Data("<!doctype html><title>map</title>".utf8).write(to: URL(fileURLWithPath: path + "/index.html"))
            try Data("/* maplibre */".utf8).write(to: URL(fileURLWithPath: path + "/vendor/maplibre-gl.js"))
            try Data(".maplibregl-map{}".utf8).write(to: URL(fileURLWithPath: path + "/vendor/maplibre-gl.css"))
            guard files.createFile(atPath: path + "/big.bin", contents: nil),
                  truncate(path + "/big.bin", off_t(bigSize)) == 0 else {
                throw StuckRequestsError("cannot make \(path)/big.bin: \(String(cString: strerror(errno)))")
            }
            return WebFolder(path: path, bigSize: bigSize)
        }

        public func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A request the client program makes on a connection of its own.
    public enum Request: Sendable {
        /// `GET /path`; the result is the status, or `closed` when the connection ended first.
        case get(String)
        /// `POST /path` with a 79-byte GeoJSON polygon body sent a byte a second.
        case trickle(String)
        /// `GET /path` on a connection with a 4 KiB receive buffer, none of whose answer is read
        /// until process `until` has ended; then all of it, to the connection's end.
        case unread(String, until: pid_t)
        /// The same, reading once the file `untilFile` exists.
        case unreadUntilFile(String, untilFile: String)

        var json: String {
            switch self {
            case .get(let path): #"{"get":"\#(path)"}"#
            case .trickle(let path): #"{"trickle":"\#(path)"}"#
            case .unread(let path, let process): #"{"unread":"\#(path)","until":\#(process)}"#
            case .unreadUntilFile(let path, let file): #"{"unread":"\#(path)","file":"\#(file)"}"#
            }
        }
    }

    /// Starts the client program: one thread a request, each given `limit` seconds; when all
    /// have ended it writes their results to `output` as a JSON array, in `requests`' order:
    /// `{"status":200,"bytes":440}`, `{"closed":true}` (ended with no answer) or `{"timeout":true}`.
    public static func start(_ url: String, _ requests: [Request], output: String, limit: Double = 120) throws -> SpawnedProgram {
        let jobs = "[" + requests.map(\.json).joined(separator: ",") + "]"
        FileManager.default.createFile(atPath: output + ".err", contents: nil)
        return try SpawnedProgram("python3", ["-c", script, url, jobs, String(limit), output], standardError: output + ".err")
    }

    /// Waits (polling, 60 s at most) until `condition` holds.
    public static func waitUntil(_ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            guard Date() < deadline else { throw StuckRequestsError("not within 60 s: \(what)") }
            usleep(20_000)
        }
    }

    /// Waits (polling, 60 s at most) until the client program has sent the head of its trickled
    /// POST, and the server listening on `port` has read every byte sent to it on that
    /// connection (its side of it listed by the kernel, `ss`, with nothing waiting to
    /// be read): the server has that head.
    public static func waitForTrickledHead(output: String, port: Int) throws {
        try waitUntil("the trickled POST's head sent") { FileManager.default.fileExists(atPath: output + ".sent") }
        let client = Int((try? String(contentsOfFile: output + ".sent", encoding: .utf8)) ?? "") ?? 0
        do {
            try waitUntil("the trickled POST's head read by the server on port \(port)") {
                unreadBytes(server: port, client: client) == 0
            }
        } catch {
            let lines = (try? ProgramRun.run("/usr/bin/env", ["ss", "-tn", "( sport = :\(port) or dport = :\(port) )"]))?.standardOutputText ?? ""
            let stderr = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
            throw StuckRequestsError("\(error) (client port \(client), unread \(String(describing: unreadBytes(server: port, client: client)))): \(lines); the client's stderr: \(stderr)")
        }
    }

    /// Waits (polling, 60 s at most) until the `.unread` client has the first byte of its answer
    /// (which it peeks at, leaving it in its 4 KiB receive buffer): the answer, far larger than
    /// that buffer and the kernel's, is being sent, and the rest of it waits in the server.
    public static func waitForUnreadAnswer(output: String) throws {
        try waitUntil("the first byte of the unread answer") { FileManager.default.fileExists(atPath: output + ".answering") }
    }

    /// The bytes the server on `port` has not read of those its connection from `client` sent,
    /// or nil when the kernel does not list that connection. Asked with `ss` (netlink, the kernel
    /// filtering the one connection): `/proc/net/tcp` is read a page at a time, the kernel walking
    /// its table again for each, and a socket is missed when others come and go meanwhile.
    static func unreadBytes(server port: Int, client: Int) -> Int? {
        guard let run = try? ProgramRun.run("/usr/bin/env", ["ss", "-tnH", "state", "established",
                                                             "( sport = :\(port) and dport = :\(client) )"], timeout: 30),
              run.status == 0 else { return nil }
        // Recv-Q Send-Q Local Peer
        return run.standardOutputText.split(separator: "\n").first.flatMap { Int($0.split(separator: " ").first ?? "") }
    }

    /// The results `start`'s program wrote, once it has ended (120 s at most).
    public static func results(of program: SpawnedProgram, output: String) throws -> [[String: Any]] {
        let ending = try program.wait(timeout: 180, command: ["python3", "stuck clients"])
        guard ending == SpawnedProgram.Ending(status: 0, signalled: false) else {
            throw StuckRequestsError("the client program ended \(ending)")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: output))
        guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw StuckRequestsError("the client program wrote no array: \(String(decoding: data, as: UTF8.self))")
        }
        return array
    }

    static let script = #"""
    import json, os, select, socket, sys, threading, time, urllib.parse
    u = urllib.parse.urlparse(sys.argv[1])
    jobs, limit, output = json.loads(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    results = [None] * len(jobs)

    def answer(s, data, end):
        """Reads one response (by Content-Length) until end; its status and body size."""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < length(data):
            left = end - time.monotonic()
            if left <= 0:
                return {"timeout": True}
            s.settimeout(left)
            chunk = s.recv(65536)
            if not chunk:
                return {"closed": True, "partial": len(data)}
            data += chunk
        return {"status": int(data[9:12]), "bytes": length(data)}

    def length(data):
        head = data.partition(b"\r\n\r\n")[0]
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                return int(v.strip())
        return 0

    def run(i, job):
        end = time.monotonic() + limit
        try:
            s = socket.create_connection((u.hostname, u.port), timeout=limit)
            if "get" in job:
                s.sendall(("GET /%s HTTP/1.1\r\nHost: test\r\n\r\n" % job["get"]).encode())
                results[i] = answer(s, b"", end)
                return
            if "unread" in job:
                s.close()
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.settimeout(limit)
                s.connect((u.hostname, u.port))
                s.sendall(("GET /%s HTTP/1.1\r\nHost: test\r\n\r\n" % job["unread"]).encode())
                s.recv(1, socket.MSG_PEEK)
                open(output + ".answering", "w").close()
                while time.monotonic() < end:
                    if "file" in job and os.path.exists(job["file"]):
                        break
                    if "until" in job:
                        try:
                            os.kill(job["until"], 0)
                        except ProcessLookupError:
                            break
                    time.sleep(0.05)
                results[i] = answer(s, b"", end)
                return
            body = b'{"type":"Polygon","coordinates":[[[44,25],[63,25],[63,40],[44,40],[44,25]]]}'
            s.sendall(("POST /%s HTTP/1.1\r\nHost: test\r\nContent-Type: application/geo+json\r\n"
                       "Content-Length: %d\r\n\r\n" % (job["trickle"], len(body))).encode())
            with open(output + ".sent", "w") as f:
                f.write(str(s.getsockname()[1]))
            sent = 0
            while time.monotonic() < end:
                ready, _, _ = select.select([s], [], [], 1.0)
                if ready:
                    results[i] = answer(s, b"", end)
                    return
                if sent < len(body):
                    s.sendall(body[sent:sent + 1])
                    sent += 1
            results[i] = {"timeout": True}
        except socket.timeout:
            results[i] = {"timeout": True}
        except OSError as e:
            results[i] = {"closed": True, "error": type(e).__name__}

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads: t.start()
    for t in threads: t.join()
    with open(output + ".part", "w") as f:
        json.dump(results, f)
    os.replace(output + ".part", output)
    """#
}

public struct StuckRequestsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
