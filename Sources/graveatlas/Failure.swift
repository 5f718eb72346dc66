import ArgumentParser
import Foundation
import Geometry

/// Where the command line turns errors into exit codes and one line of text on stderr.
enum Failure {
    static func exit(with error: Error) -> Never {
        let code = GraveAtlas.exitCode(for: error)
        if code == .success {
            // --help and --version arrive as errors that mean "print this and stop".
            let text = GraveAtlas.fullMessage(for: error)
            if !text.isEmpty { print(text) }
            Foundation.exit(0)
        }
        let (status, line) = describe(error)
        FileHandle.standardError.write(Data(("graveatlas: " + line + "\n").utf8))
        Foundation.exit(status)
    }

    /// The exit status and message for an error.
    static func describe(_ error: Error) -> (Int32, String) {
        switch error {
        case let error as InputError:
            return (2, error.description)
        case let error as RuntimeFailure:
            return (1, error.description)
        case let error as GeometryError:
            return (isBadInput(error) ? 2 : 1, error.description)
        default:
            let code = GraveAtlas.exitCode(for: error)
            let text = GraveAtlas.message(for: error)
            if code == .validationFailure || error is ValidationError {
                return (2, text.isEmpty ? "invalid usage" : text.replacingOccurrences(of: "\n", with: " "))
            }
            return (1, text.isEmpty ? String(describing: error) : text.replacingOccurrences(of: "\n", with: " "))
        }
    }

    private static func isBadInput(_ error: GeometryError) -> Bool {
        switch error {
        case .geos, .transformFailed: false
        default: true
        }
    }
}

/// Something the user gave that cannot be used, said in words, with where it came from.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
