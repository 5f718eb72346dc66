import ArgumentParser
import Foundation
import Geometry
import Store
import TestSupport
import Testing
@testable import graveatlas

/// `ExitStatus` is the one table from errors to exit statuses and messages: each kind of error
/// gets its status and its own words on one line, and no other file of the command decides a
/// status (the command-line runs are in `ExitCodeTests`).
@Suite struct ExitStatusTests {
    @Test func eachErrorGetsItsStatusAndItsOwnWordsOnOneLine() {
        let cases: [(Error, Int32)] = [
            (InputError("a.geojson: the area is empty"), 2),
            (InputError("--area a.geojson", GeometryError.invalidJSON(offset: 3, reason: "unexpected end")), 2),
            (RuntimeFailure("the disk is full"), 1),
            (StoreError.notFound(path: "atlas.gpkg"), 2),
            (GeometryError.geos(operation: "union", message: "TopologyException"), 1),
        ]
        for (error, status) in cases {
            let answer = ExitStatus.answer(to: error)
            #expect(answer.status == status, "\(error)")
            #expect(answer.text == ExitStatus.oneLine(String(describing: error)))
            #expect(!answer.text.contains("\n"))
        }
        let cause = GeometryError.invalidJSON(offset: 0, reason: "y")
        #expect(ExitStatus.answer(to: InputError("x", cause)).text == ExitStatus.oneLine("x: \(cause)"))
        #expect(ExitStatus.answer(to: ValidationError("--radius must be positive")).status == 2)
        #expect(ExitStatus.answer(to: ValidationError("--radius must be positive")).text.contains("--radius"))
        #expect(ExitStatus.answer(to: CocoaError(.fileReadUnknown)).status == 1)
        #expect(ExitStatus.interrupted(by: SIGINT) == 130 && ExitStatus.interrupted(by: SIGTERM) == 143)
    }

    /// Only `Failure` (with `ExitStatus`'s answer) and `Interruption` (with
    /// `ExitStatus.interrupted`) end the process; no command makes its own `ExitCode`.
    @Test func noOtherFileDecidesAStatus() throws {
        let folder = try PackageRoot.url().appendingPathComponent("Sources/graveatlas")
        var offenders: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            // `exit(` and `Foundation.exit(`, not `Failure.exit(` or `func exit(`.
            let exits = try NSRegularExpression(pattern: #"(?<!func )(?<![\w.])exit\(|Foundation\.exit\("#)
                .numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
            let allowed = ["Failure.swift": 1, "Interruption.swift": 1][file] ?? 0
            if exits > allowed || text.contains("ExitCode(") || text.contains("ExitCode.") { offenders.append(file) }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
