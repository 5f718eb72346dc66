import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UUID {
    /// A time-ordered (version 7, RFC 9562) UUID for a new site: the Unix time in
    /// milliseconds in its first 48 bits, then the version (7), 12 bits, the variant (10) and
    /// 62 bits, which are random for the first id of a millisecond.
    ///
    /// ```swift
    /// let a = UUID.timeOrdered(), b = UUID.timeOrdered()
    /// // a.text < b.text: "019A…-…-7…-…" — ids sort in the order they were made
    /// ```
    /// Monotonic within the process (RFC 9562 §6.2, method 2): an id made in the same
    /// millisecond as the one before it (or after the clock stepped back) is that id plus a
    /// random step of 1 to 2³² in its 74 bits after the time; when those bits run out the
    /// time goes one millisecond ahead of the clock. So each new site's id sorts after every
    /// id made before it in the process, and a batch's inserts land at the end of the id index
    /// rather than at random places in it. The text form sorts as the number does (upper-case
    /// hex), which is SQLite's order for the `uuid` column.
    ///
    /// **Not used for new sites yet**: they get random (version 4) ids. A generalised site is
    /// published under its own id by default, so time-ordered ids would list a batch's sites
    /// in import order through their ids alone: a restricted grave imported between two
    /// public ones from a file sorted by place would sort between their ids, which undoes
    /// what `PublishedOrder` and generalisation hide. New sites may take these ids once every
    /// output publishes a generalised site under a keyed pseudonym of its id.
    public static func timeOrdered() -> UUID {
        let now = UInt64(max(0, Self.clockMilliseconds()))
        return timeOrderedState.withLock { $0.next(now: now, random: randomWords()) }
    }

    /// The time in the first 48 bits of a version 7 id, as milliseconds since 1970, nil for
    /// any other version.
    public var unixMilliseconds: UInt64? {
        let high = UInt64(bigEndian: withUnsafeBytes(of: uuid) { $0.loadUnaligned(as: UInt64.self) })
        return (high >> 12) & 0xF == 7 ? high >> 16 : nil
    }

    /// The version nibble (4 for random, 7 for time-ordered).
    public var version: Int { Int(uuid.6 >> 4) }

    private static func clockMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000
    }
}

/// The last time-ordered id made in the process, from which the next follows.
package struct TimeOrderedUUIDs: Sendable {
    /// Milliseconds of the last id.
    private var milliseconds: UInt64 = 0
    /// The 74 bits after the time of the last id: 12 (`rand_a`) and 62 (`rand_b`).
    private var randA: UInt64 = 0
    private var randB: UInt64 = 0

    package init() {}

    /// The id after the last one at clock time `now` (milliseconds), with 128 random bits.
    package mutating func next(now: UInt64, random: (UInt64, UInt64)) -> UUID {
        let bMask: UInt64 = (1 << 62) - 1
        if now > milliseconds || (milliseconds == 0 && randA == 0 && randB == 0) {
            milliseconds = now
            // The counter's top bit starts clear, leaving room for the steps of this millisecond.
            randA = random.0 & 0x7FF
            randB = random.1 & bMask
        } else {
            let step = (random.1 & 0xFFFF_FFFF) + 1
            randB += step
            if randB > bMask {
                randB &= bMask
                randA += 1
                if randA > 0xFFF {
                    // 2^74 ids in one millisecond cannot happen; the next millisecond, fresh bits.
                    milliseconds += 1
                    randA = random.0 & 0x7FF
                    randB = (random.0 >> 12) & bMask
                }
            }
        }
        let high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | randA
        let low = 0x8000_0000_0000_0000 | randB
        return UUID(high: high, low: low)
    }
}

private let timeOrderedState = Mutex(TimeOrderedUUIDs())
