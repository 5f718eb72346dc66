import Foundation

/// The first bytes of a file and its name's extension: all that format detection looks at.
///
/// ```swift
/// let head = try FileHead(URL(fileURLWithPath: "sites.geojson"), name: "sites.geojson")
/// head.starts(with: Array("SQLite format 3\0".utf8))   // false
/// head.text.first == UInt8(ascii: "{")                 // true
/// ```
/// At most `FileHead.size` bytes are read, whatever the file holds.
public struct FileHead: Sendable {
    /// How many bytes are read.
    public static let size = 512

    public let bytes: [UInt8]
    /// The name's extension, lowercased, without its dot ("" when it has none).
    public let fileExtension: String

    public init(bytes: [UInt8], fileExtension: String) {
        self.bytes = bytes
        self.fileExtension = fileExtension
    }

    /// - Throws: `ImportError.unreadable` naming `name` when the file cannot be opened.
    public init(_ url: URL, name: String) throws {
        guard let file = try? FileHandle(forReadingFrom: url) else {
            throw ImportError.unreadable(file: name, reason: "no such file or not readable")
        }
        defer { try? file.close() }
        bytes = [UInt8]((try? file.read(upToCount: FileHead.size)) ?? Data())
        fileExtension = url.pathExtension.lowercased()
    }

    public func starts(with magic: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// The bytes after leading white space, record separators (RFC 8142) and a UTF-8
    /// byte-order mark: where a text format's first character is.
    public var text: ArraySlice<UInt8> {
        bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0x1E, 0xEF, 0xBB, 0xBF].contains($0) }[...]
    }

    /// The first `FileHead.size` bytes of `text`, lowercased, as UTF-8 (invalid bytes replaced).
    public var lowercasedText: String {
        String(decoding: text.prefix(FileHead.size), as: UTF8.self).lowercased()
    }
}
