import ArgumentParser
import Foundation

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

    /// The exit status and message for an error (see `ExitStatus` for how each is sorted).
    static func describe(_ error: Error) -> (Int32, String) {
        if let status = ExitStatus.of(error), !(error is ValidationError) {
            return (status, oneLine(String(describing: error)))
        }
        let code = GraveAtlas.exitCode(for: error)
        let text = oneLine(GraveAtlas.message(for: error))
        if code == .validationFailure || error is ValidationError {
            return (ExitStatus.badInput, text.isEmpty ? "invalid usage" : text)
        }
        return (ExitStatus.runtime, text.isEmpty ? oneLine(String(describing: error)) : text)
    }

    /// `text` on one line: errors are one line on stderr whatever they quote.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Something the user gave that cannot be used, said in words, with where it came from.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
