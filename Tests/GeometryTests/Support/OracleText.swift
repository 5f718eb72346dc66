import Foundation

extension Double {
    /// Twelve decimals, as the oracles are fed.
    var oracleText: String { String(format: "%.12f", self) }
}
