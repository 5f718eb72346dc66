import Foundation
import Testing
@testable import Import

/// Numbers in site fields read the way their file writes them: the convention found from
/// the file, grouped thousands read as thousands, and every value that could mean two
/// numbers reported instead of guessed. Foundation's `NumberFormatter` (ICU) writes the
/// numbers in German and US conventions, an oracle independent of the reader.
@Suite struct NumberConventionTests {
    /// A small seeded generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func formatter(_ locale: String, fraction: Int = 0) -> NumberFormatter {
        let f = NumberFormatter()
        f.locale = Locale(identifier: locale)
        f.numberStyle = .decimal
        f.usesGroupingSeparator = true
        f.minimumFractionDigits = fraction
        f.maximumFractionDigits = fraction
        return f
    }

    /// Whole numbers as ICU groups them read back as themselves in their convention; read
    /// in no known convention or in the other one, they are themselves or ambiguous, never
    /// another number.
    @Test(arguments: [("de_DE", NumberConvention.decimalComma), ("en_US", .decimalPoint)])
    func groupedCountsReadBack(locale: String, convention: NumberConvention) throws {
        var random = SplitMix(state: 1988)
        let f = Self.formatter(locale)
        let other: NumberConvention = convention == .decimalComma ? .decimalPoint : .decimalComma
        for _ in 0..<3000 {
            let n = Int.random(in: 0...50_000_000, using: &random) >> Int.random(in: 0...24, using: &random)
            let text = try #require(f.string(from: NSNumber(value: n)))
            #expect(DecimalText.read(text, convention: convention, whole: true) == .number(Double(n)), "\(text)")
            for elsewhere in [NumberConvention.unknown, .mixed, other] {
                let reading = DecimalText.read(text, convention: elsewhere, whole: true)
                if case let .number(value) = reading { #expect(value == Double(n), "\(text) in \(elsewhere) read as \(value)") }
            }
        }
    }

    /// Decimals with two fraction digits (never three, so never a grouping's shape) read back
    /// in their convention and in no known convention.
    @Test(arguments: [("de_DE", NumberConvention.decimalComma), ("en_US", .decimalPoint)])
    func decimalsReadBack(locale: String, convention: NumberConvention) throws {
        var random = SplitMix(state: 1367)
        let f = Self.formatter(locale, fraction: 2)
        for _ in 0..<3000 {
            let cents = Int.random(in: -10_000_000...10_000_000, using: &random)
            let text = try #require(f.string(from: NSNumber(value: Double(cents) / 100)))
            for known in [convention, .unknown] {
                guard case let .number(value) = DecimalText.read(text, convention: known, whole: false) else {
                    Issue.record("\(text) not read in \(known)")
                    continue
                }
                #expect(abs(value - Double(cents) / 100) < 1e-9, "\(text) read as \(value)")
            }
        }
    }

    @Test func evidenceDecidesTheConvention() {
        func convention(_ cells: [String]) -> NumberConvention {
            var evidence = NumberConvention.Evidence()
            cells.forEach { evidence.add($0) }
            return evidence.convention
        }
        #expect(convention(["-0,4437", "39,5028", "1.000", "Fosa"]) == .decimalComma)
        #expect(convention(["-0.4437", "39.5028", "1,000"]) == .decimalPoint)
        #expect(convention(["1.234,5"]) == .decimalComma)
        #expect(convention(["1.234.567"]) == .decimalComma)
        #expect(convention(["1.000", "1,500", "12"]) == .unknown)
        #expect(convention(["0,5", "0.25"]) == .mixed)
        #expect(convention(["0,5", "0.25", "0.75", "1.5", "2.5"]) == .decimalPoint)   // four in five
        #expect(convention(["0,5", "0.25", "0.75", "1.5"]) == .mixed)
        #expect(convention(["۵۱٫۳۸۹"]) == .unknown)    // the Arabic decimal separator is no evidence for either
    }

    @Test func theIssuesValues() {
        #expect(DecimalText.read("1.000", convention: .decimalComma, whole: true) == .number(1000))
        #expect(DecimalText.read("2.238", convention: .decimalComma, whole: true) == .number(2238))
        #expect(DecimalText.read("1.500", convention: .decimalComma, whole: false) == .number(1500))
        #expect(DecimalText.read("1,5", convention: .decimalComma, whole: false) == .number(1.5))
        #expect(DecimalText.read("۱۲٫۵", convention: .decimalComma, whole: false) == .number(12.5))
        #expect(DecimalText.read("−1.000,5", convention: .decimalComma, whole: false) == .number(-1000.5))
        #expect(DecimalText.read("1 000", convention: .unknown, whole: true) == .number(1000))
        #expect(DecimalText.read("1e3", convention: .unknown, whole: true) == .number(1000))
        #expect(DecimalText.read("0.500", convention: .unknown, whole: false) == .number(0.5))
        #expect(DecimalText.read("1,000", convention: .decimalPoint, whole: true) == .number(1000))
        #expect(DecimalText.read("1.500", convention: .decimalPoint, whole: false) == .number(1.5))
        for (text, convention, whole) in [
            ("1,000", NumberConvention.decimalComma, true), ("1.000", .decimalPoint, true), ("1,5", .decimalPoint, false),
            ("1.5", .decimalComma, false), ("1,234.5", .decimalComma, false), ("1.000", .unknown, true),
            ("2.238", .unknown, false), ("1,000", .mixed, true),
        ] {
            guard case .ambiguous = DecimalText.read(text, convention: convention, whole: whole) else {
                Issue.record("\(text) in \(convention) should be ambiguous")
                continue
            }
        }
        #expect(DecimalText.read("many", convention: .decimalComma, whole: true) == .notANumber)
        #expect(DecimalText.read("1.2.3", convention: .unknown, whole: false) == .notANumber)
    }
}
