#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Decodes byte strings from one declared encoding, or — with none declared — keeps valid
/// UTF-8 and falls back to Windows-1252 for anything else, saying so.
///
/// ```swift
/// let decoder = try TextDecoder(encoding: "CP1256")
/// decoder.decode(bytes)          // (text: "نام", fellBack: false)
/// let guessing = try TextDecoder(encoding: nil)
/// guessing.decode([0xE9])        // (text: "é", fellBack: true)
/// ```
/// Uses iconv (glibc's knows every Windows, DOS, ISO and CJK code page). Not thread-safe:
/// one decoder per reader.
public final class TextDecoder {
    /// The declared encoding (iconv name), or nil for "UTF-8 if valid, else Windows-1252".
    public let encoding: String?
    private let converter: IconvConverter?
    private var fallback: IconvConverter?

    /// - Throws: `ImportError.unknownEncoding` when iconv does not know the encoding.
    public init(encoding: String?) throws {
        let name = encoding.flatMap(EncodingName.normalised)
        self.encoding = name
        if let name, name != "UTF-8" {
            converter = try IconvConverter(from: name)
        } else {
            converter = nil
        }
    }

    /// The bytes as text, and whether the Windows-1252 fallback was used.
    ///
    /// - Complexity: O(n) in the byte count.
    public func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (text: String, fellBack: Bool) {
        if let converter { return (converter.convert(Array(bytes)), false) }
        if bytes.allSatisfy({ $0 < 0x80 }) { return (String(decoding: bytes, as: UTF8.self), false) }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, false)
        }
        // Not UTF-8, whether declared so or not: replacement characters would hide the
        // damage, so decode as Windows-1252 and say so.
        return (windows1252(Array(bytes)), true)
    }

    private func windows1252(_ bytes: [UInt8]) -> String {
        if fallback == nil { fallback = try? IconvConverter(from: "CP1252") }
        // glibc's CP1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; map those bytes as Latin-1.
        return fallback?.convert(bytes) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}

/// One iconv conversion descriptor from an encoding to UTF-8.
final class IconvConverter {
    private let handle: iconv_t
    let name: String

    init(from name: String) throws {
        let handle = iconv_open("UTF-8", name)
        // iconv_open returns (iconv_t)-1 on failure.
        guard let handle, Int(bitPattern: handle) != -1 else {
            throw ImportError.unknownEncoding(name: name, file: nil)
        }
        self.handle = handle
        self.name = name
    }

    deinit { iconv_close(handle) }

    /// Converts, replacing any byte the code page does not define by the Latin-1 character
    /// with the same number (so nothing is lost: the byte can be recovered).
    func convert(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "" }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        var result = ""
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                iconv(handle, nil, nil, nil, nil)
                while inLeft > 0 {
                    var outPointer = outBuffer.baseAddress
                    var outLeft = outBuffer.count
                    let status = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    let written = outBuffer.count - outLeft
                    result += String(decoding: UnsafeRawBufferPointer(start: outBuffer.baseAddress, count: written),
                                     as: UTF8.self)
                    if status == -1 {
                        if errno == E2BIG { continue }
                        // An undefined or incomplete byte: keep it as Latin-1 and go on.
                        if let bad = inPointer, inLeft > 0 {
                            result.unicodeScalars.append(Unicode.Scalar(UInt8(bitPattern: bad.pointee)))
                            inPointer = bad + 1
                            inLeft -= 1
                        }
                        iconv(handle, nil, nil, nil, nil)
                    }
                }
            }
        }
        return result
    }
}
