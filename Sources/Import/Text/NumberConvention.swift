/// Which mark a file uses for decimals, and so which one groups thousands: `51.389` and
/// `1,000` (decimal point) or `51,389` and `1.000` (decimal comma).
///
/// ```swift
/// var evidence = NumberConvention.Evidence()
/// evidence.add("-0,4437"); evidence.add("39,5028"); evidence.add("1.000")
/// evidence.convention   // .decimalComma: four decimals after a comma cannot be a grouping
/// ```
/// A value gives evidence only when it can be read one way: a single separator followed by
/// exactly three digits (`1.000`, `1,500`) could be either and says nothing. A file without a
/// clear majority (four in five) is `.mixed`, one with no evidence `.unknown`; both leave
/// every value that could be read two ways to be reported rather than guessed.
public enum NumberConvention: String, Hashable, Sendable {
    case decimalPoint = "decimal point"
    case decimalComma = "decimal comma"
    case mixed = "mixed decimal marks"
    case unknown = "no decimals seen"

    /// The decimal mark (`.` or `,`) when the convention is known.
    var decimalMark: Character? {
        switch self {
        case .decimalPoint: "."
        case .decimalComma: ","
        case .mixed, .unknown: nil
        }
    }

    /// Counts of values that can only be read with a decimal point or a decimal comma.
    public struct Evidence: Hashable, Sendable {
        public private(set) var decimalPoint = 0
        public private(set) var decimalComma = 0

        public init() {}

        /// Looks at one cell; cells that are not numbers are ignored.
        /// - Complexity: O(n) in the cell's length.
        public mutating func add(_ cell: some StringProtocol) {
            guard let shape = NumberShape(cell) else { return }
            switch shape.unambiguousDecimalMark {
            case ".": decimalPoint += 1
            case ",": decimalComma += 1
            default: break
            }
        }

        /// The convention at least four in five of the evidence speaks for (so a few stray
        /// values do not unsettle a file whose coordinates all agree; those values are then
        /// reported as breaking the convention); `.mixed` when neither has that.
        public var convention: NumberConvention {
            if decimalPoint == 0 && decimalComma == 0 { return .unknown }
            if decimalPoint >= 4 * decimalComma { return .decimalPoint }
            if decimalComma >= 4 * decimalPoint { return .decimalComma }
            return .mixed
        }
    }
}
