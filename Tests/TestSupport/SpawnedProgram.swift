import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn`, that inherits nothing but its three standard streams,
/// and whose end is seen by `waitpid` on its own process id.
///
/// ```swift
/// let server = try SpawnedProgram(binary, ["serve", store], standardOutput: printed.path)
/// defer { server.kill(SIGKILL) }
/// let status = try server.wait(timeout: 30, command: ["graveatlas", "serve"])
/// ```
/// Why not Foundation's `Process`: on Linux it notices a child's end when a socket that the
/// child holds is closed, and it lets the child inherit every descriptor opened after it
/// listed them. A long program (an import, a server) started beside a short one can so inherit
/// the short one's socket, and the short one then looks alive until the long one ends. Here
/// the child closes every descriptor above 2 (`posix_spawn_file_actions_addclosefrom_np`), and
/// its end is polled with `waitpid`, which nothing else can hold up.
///
/// The program leads a new process group, so `kill(group: true)` reaches what it started.
public final class SpawnedProgram: @unchecked Sendable {
    /// How a program ended.
    public struct Ending: Sendable, Equatable {
        /// The exit status, or the signal when `signalled`.
        public let status: Int32
        public let signalled: Bool

        public init(status: Int32, signalled: Bool) {
            self.status = status
            self.signalled = signalled
        }
    }

    public enum SpawnError: Error, CustomStringConvertible {
        case open(String, Int32)
        case spawn([String], Int32)
        case missing(String)
        public var description: String {
            switch self {
            case .open(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
            case .spawn(let command, let code): "cannot start \(command.joined(separator: " ")): \(String(cString: strerror(code)))"
            case .missing(let symbol): "this C library has no \(symbol)"
            }
        }
    }

    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var ending: Ending?

    /// Starts `executable` (a path, or a name looked up on PATH through `/usr/bin/env`) with
    /// `arguments`. Standard input reads `standardInput` (else /dev/null); output and error
    /// are appended to the files named (else /dev/null).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                in directory: URL? = nil, standardInput: String? = nil, standardOutput: String? = nil,
                standardError: String? = nil) throws {
        let command = executable.contains("/") ? [executable] + arguments : ["/usr/bin/env", executable] + arguments
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        func open(_ path: String?, _ flags: Int32) throws -> Int32 {
            let fd = Glibc.open(path ?? "/dev/null", flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SpawnError.open(path ?? "/dev/null", errno) }
            opened.append(fd)
            return fd
        }
        let streams = [try open(standardInput, O_RDONLY), try open(standardOutput, O_WRONLY | O_APPEND),
                       try open(standardError, O_WRONLY | O_APPEND)]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, fd) in streams.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(target)) }
        // Both are GNU extensions (glibc 2.34 and 2.29), which the Glibc module does not
        // declare; they are looked up by name.
        guard let closeFrom = Self.closeFrom else { throw SpawnError.missing("posix_spawn_file_actions_addclosefrom_np") }
        closeFrom(&actions, 3)
        if let directory {
            guard let changeDirectory = Self.changeDirectory else { throw SpawnError.missing("posix_spawn_file_actions_addchdir_np") }
            _ = directory.path.withCString { changeDirectory(&actions, $0) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // A signal the test runner ignores (SIGPIPE) or blocks would stay so in the child.
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, command[0], &actions, &attributes, &argv, &envp)
        guard code == 0 else { throw SpawnError.spawn(command, code) }
        processIdentifier = pid
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
    private static let changeDirectory: ChangeDirectory? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: ChangeDirectory.self) }

    /// How the program ended, or nil while it runs (never blocks).
    public var ended: Ending? {
        lock.withLock {
            if ending == nil { reap(options: WNOHANG) }
            return ending
        }
    }

    public var isRunning: Bool { ended == nil }

    /// Sends `signal` to the program, or to its whole process group.
    public func kill(_ signal: Int32, group: Bool = false) {
        guard isRunning else { return }
        _ = Glibc.kill(group ? -processIdentifier : processIdentifier, signal)
    }

    /// Waits for the end, polling (1 ms at first, then up to 20 ms apart); past `timeout`
    /// seconds the process group is killed and `ProgramRun.TimedOut` thrown.
    @discardableResult
    public func wait(timeout: Double = ProgramRun.defaultTimeout, command: [String]) throws -> Ending {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: UInt32 = 1_000
        while true {
            if let ended { return ended }
            if Date() > deadline {
                _ = Glibc.kill(-processIdentifier, SIGKILL)
                _ = Glibc.kill(processIdentifier, SIGKILL)
                lock.withLock { if ending == nil { reap(options: 0) } }
                throw ProgramRun.TimedOut(command: command, seconds: timeout)
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Collects the exit status (the lock held).
    private func reap(options: Int32) {
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(processIdentifier, &status, options) } while result == -1 && errno == EINTR
        guard result == processIdentifier else { return }
        let signal = status & 0x7f
        ending = signal == 0 ? Ending(status: (status >> 8) & 0xff, signalled: false) : Ending(status: signal, signalled: true)
    }

    deinit {
        // A program nobody waited for is not left a zombie.
        if ending == nil {
            var status: Int32 = 0
            _ = waitpid(processIdentifier, &status, WNOHANG)
        }
    }
}
