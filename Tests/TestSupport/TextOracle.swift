import Foundation

/// Python's `json` and `csv` modules as independent readers of the JSON and CSV text we write.
///
/// ```swift
/// let answers = try TextOracle.run([.json(Array(#"{"a":"\n"}"#.utf8)), .text("a\n")])
/// // both parse; answers[0] is Python's canonical dump of the object, answers[1] of the string
/// ```
/// Each request comes back as Python's canonical text of what it read (`json.dumps`, keys
/// sorted, ASCII only, so every non-ASCII character is a `\u` escape), or `ERROR …` when
/// Python refused it. JSON is read strictly: `NaN`, `Infinity` and `-Infinity` are refused
/// (`parse_constant`), and so is text that is not UTF-8.
public enum TextOracle {
    public enum Request {
        /// A JSON document (UTF-8 bytes): its value.
        case json([UInt8])
        /// A string as Python holds it: what a JSON string of it must read back as.
        case text(String)
        /// A double, by its bits: what a JSON number of it must read back as.
        case double(Double)
        /// A JSON document whose numbers are all read as doubles (integers too, `-0` as -0.0).
        case numbers([UInt8])
        /// CSV text (UTF-8 bytes) read by `csv.reader`: the list of its records.
        case csv([UInt8])
        /// Fields as Python holds them: what a CSV record of them must read back as.
        case fields([String])
    }

    static let script = #"""
import sys, json, csv, io, struct
def refuse(name):
    raise ValueError("non-standard constant " + name)
def dump(v):
    return json.dumps(v, ensure_ascii=True, sort_keys=True, allow_nan=False)
out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    kind, _, arg = line.partition("\t")
    try:
        data = bytes.fromhex(arg)
        if kind == "json":
            out.append(dump(json.loads(data.decode("utf-8"), parse_constant=refuse)))
        elif kind == "numbers":
            out.append(dump(json.loads(data.decode("utf-8"), parse_constant=refuse, parse_int=float)))
        elif kind == "text":
            out.append(dump(data.decode("utf-8")))
        elif kind == "double":
            out.append(dump(struct.unpack(">d", data)[0]))
        elif kind == "csv":
            out.append(dump(list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))))
        elif kind == "fields":
            out.append(dump(data.decode("utf-8").split("\x00")))
        else:
            out.append("ERROR unknown request " + kind)
    except Exception as e:
        out.append("ERROR " + type(e).__name__ + ": " + str(e).replace("\n", " "))
sys.stdout.write("\n".join(out) + "\n")
"""#

    /// One answer per request.
    public static func run(_ requests: [Request]) throws -> [String] {
        func hex(_ bytes: some Sequence<UInt8>) -> String {
            bytes.map { String(format: "%02x", $0) }.joined()
        }
        let lines = requests.map { request -> String in
            switch request {
            case let .json(bytes): "json\t" + hex(bytes)
            case let .text(s): "text\t" + hex(s.utf8)
            case let .double(v): "double\t" + hex(withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) })
            case let .numbers(bytes): "numbers\t" + hex(bytes)
            case let .csv(bytes): "csv\t" + hex(bytes)
            case let .fields(fields): "fields\t" + hex(fields.joined(separator: "\u{0}").utf8)
            }
        }
        let output = try Subprocess.run(["python3", "-c", script], input: lines.joined(separator: "\n") + "\n")
        let answers = output.split(separator: "\n", omittingEmptySubsequences: false).prefix(requests.count).map(String.init)
        guard answers.count == requests.count else {
            throw Subprocess.Failure(command: ["python3"], status: 0, standardError: "expected \(requests.count) answers, got \(answers.count)")
        }
        return answers
    }

    /// Hostile text for writers: quotes, backslashes, every control character, DEL, line and
    /// paragraph separators, right-to-left marks and Persian, emoji and flags, combining marks,
    /// U+FFFD (what a lone UTF-16 surrogate becomes when a file is decoded), CR LF, commas.
    public static let hostilePieces: [String] = [
        "\"", "\\", "\\\"", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{B}", "\u{C}", "\u{D}", "\r\n",
        "\u{1B}", "\u{1F}", "\u{7F}", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{200F}", "\u{200E}", "\u{202B}",
        "\u{202C}", "\u{FEFF}", "خاوران", "اعدام‌های ۱۳۶۷", "é", "e\u{301}", "🪦", "👨‍👩‍👧", "🇮🇷", "\u{FFFD}", "\u{10FFFF}",
        ",", ";", " ", "'", "<", ">", "&", "a", "Site 12", "NaN", "Infinity", "-0", "1e400", "{", "}", "[", "]", ":",
    ]

    /// Strings made of seeded random hostile pieces, with the empty string and each piece alone.
    public static func hostileStrings(count: Int, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        var out = [""] + hostilePieces
        for _ in 0..<count {
            let n = Int.random(in: 1...12, using: &rng)
            out.append((0..<n).map { _ in hostilePieces[Int.random(in: 0..<hostilePieces.count, using: &rng)] }.joined())
        }
        return out
    }
}
