import Export
import Foundation
import Store

/// What a `near` or `nearest` answer says about its own cut: how many sites matched and were
/// returned, how many more a limit left out, and where a cut fell inside a tie.
///
/// ```
/// 12 sites; 30 more sites lie within 1000 m (--limit 10 returned the nearest)
/// query 3: the cut at -k 10 falls inside a tie: 9 sites at 107.37 m, all kept (4 beyond -k 10)
/// ```
enum ProximityNotes {
    static func finish(_ out: QueryResults, _ summaries: [ProximitySummary], batch: Bool, cut: String?,
                       radius: Double?) throws {
        var notes: [String] = []
        for s in summaries {
            let prefix = batch ? "query \(s.queryIndex): " : ""
            if s.moreMatched > 0, let cut {
                let within = radius.map { " lie within \(format($0)) m" } ?? " matched"
                notes.append("\(prefix)\(s.moreMatched) more site\(s.moreMatched == 1 ? "" : "s")\(within) (\(cut) returned the nearest)")
            }
            if let tie = s.tie, let cut {
                notes.append("\(prefix)the cut at \(cut) falls inside a tie: \(tie.count) sites at \(format(tie.distanceM)) m, "
                             + "all kept (\(tie.beyondLimit) beyond \(cut))")
            }
        }
        let returned = summaries.reduce(0) { $0 + $1.returned }
        let matched = summaries.reduce(0) { $0 + $1.returned + $1.moreMatched }
        try out.finish(members: ["numberMatched": .int(Int64(matched)), "numberReturned": .int(Int64(returned))],
                       notes: notes)
    }

    /// Metres as the answers show them: to the millimetre, without trailing zeros.
    static func format(_ metres: Double) -> String {
        let rounded = (metres * 1000).rounded() / 1000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
