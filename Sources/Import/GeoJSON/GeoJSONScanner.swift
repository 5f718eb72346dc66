/// Finds the byte span of each feature in a GeoJSON stream without parsing the whole
/// document: the members of a FeatureCollection's `"features"` array, or whole top-level
/// values of a newline-delimited or RFC 8142 (record-separator) sequence.
///
/// ```swift
/// var scanner = GeoJSONScanner()
/// scanner.feed(chunk)                      // bytes as they come from the file
/// while let item = scanner.nextItem() { … } // .feature(bytes) / .collectionHeader(bytes) / .topLevel(bytes)
/// ```
/// Only strings, escapes and bracket depth are tracked; each span is parsed later by
/// `JSONValue`. Memory is bounded by the largest single feature, not the file.
/// - Complexity: O(n) over the bytes, one pass.
struct GeoJSONScanner {
    enum Item {
        /// A member of a `"features"` array.
        case feature([UInt8])
        /// The collection's members before `"features"`, closed as `{… "features":[]}`.
        case collectionHeader([UInt8])
        /// A whole top-level value that is not a streamed collection (a Feature, a geometry).
        case topLevel([UInt8])
    }

    private var pending: [UInt8] = []
    private var position = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Bytes of the current top-level value, while it is buffered whole.
    private var top: [UInt8] = []
    private var bufferingTop = false
    /// Bytes of the current feature inside `"features"`.
    private var element: [UInt8] = []
    private var inFeatures = false
    private var inElement = false
    /// The last string read at depth 1 (a member name candidate) and whether `:` followed it.
    private var lastKey: [UInt8] = []
    private var readingKey = false
    private var keyIsFeatures = false
    private var items: [Item] = []
    private(set) var finishedCleanly = true

    mutating func feed(_ bytes: some Collection<UInt8>) {
        if position > 0 {
            pending.removeFirst(position)
            position = 0
        }
        pending.append(contentsOf: bytes)
    }

    /// The next complete item, or nil when more bytes are needed (or the stream ended).
    mutating func nextItem() -> Item? {
        while items.isEmpty && position < pending.count {
            step(pending[position])
            position += 1
        }
        return items.isEmpty ? nil : items.removeFirst()
    }

    /// Whether the bytes seen so far end in the middle of a value (a truncated file).
    var isInsideValue: Bool { depth > 0 || inString }

    private mutating func step(_ byte: UInt8) {
        if bufferingTop { top.append(byte) }
        if inElement { element.append(byte) }
        if inString {
            if depth == 1 && readingKey { lastKey.append(byte) }
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                if depth == 1 && readingKey {
                    readingKey = false
                    lastKey.removeLast()
                }
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            if depth == 1 && !inFeatures {
                readingKey = true
                lastKey = []
            }
        case UInt8(ascii: ":"):
            if depth == 1 { keyIsFeatures = lastKey == Array("features".utf8) }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if depth == 0 { startTop(byte) }
            if depth == 1 && keyIsFeatures && byte == UInt8(ascii: "[") && bufferingTop {
                // Entering "features": hand over what came before, closed as a document.
                items.append(.collectionHeader(top + Array("]}".utf8)))
                bufferingTop = false
                top = []
                inFeatures = true
            } else if depth == 2 && inFeatures && byte == UInt8(ascii: "{") {
                inElement = true
                element = [byte]
            }
            depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 2 && inFeatures && inElement {
                inElement = false
                items.append(.feature(element))
                element = []
            } else if depth == 1 && inFeatures {
                inFeatures = false
                keyIsFeatures = false
            } else if depth == 0 {
                if bufferingTop { items.append(.topLevel(top)) }
                bufferingTop = false
                top = []
                keyIsFeatures = false
            }
        case UInt8(ascii: ","):
            if depth == 1 { keyIsFeatures = false }
        default:
            break
        }
    }

    private mutating func startTop(_ byte: UInt8) {
        guard depth == 0, !bufferingTop else { return }
        bufferingTop = true
        top = [byte]
    }
}
