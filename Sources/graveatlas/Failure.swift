import Foundation

/// Where the command line ends on an error: it writes what `ExitStatus` answers (one line on
/// stderr, or help and version text on stdout) and exits with its status.
///
/// ```swift
/// do { try command.run() } catch { Failure.exit(with: error) }
/// // stderr: "graveatlas: sites.csv: line 4: …", exit 2
/// ```
enum Failure {
    static func exit(with error: Error) -> Never {
        let answer = ExitStatus.answer(to: error)
        if answer.status == ExitStatus.success {
            // --help and --version: the text the user asked for, on stdout (the command's own output).
            if !answer.text.isEmpty { print(answer.text) }
        } else {
            FileHandle.standardError.write(Data(("graveatlas: " + answer.text + "\n").utf8))
        }
        Foundation.exit(answer.status)
    }
}

/// Something the user gave that cannot be used, said in words, with where it came from
/// (exit 2, see `ExitStatus`).
///
/// ```swift
/// throw InputError("\(output): the folder \(parent) does not exist")
/// throw InputError("--area zone.geojson", GeometryError.ringNotClosed)   // "--area zone.geojson: …"
/// ```
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// `error`, which the input called `input` caused, said as "input: error".
    init(_ input: String, _ error: Error) { description = "\(input): \(error)" }
}

/// A failure of the machine or the files rather than of the user's input (exit 1, see
/// `ExitStatus`), in words.
struct RuntimeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
