import TestSupport
import Foundation
import Testing
@testable import Import

/// Code-page names and decoding through iconv, checked against Python's codecs.
@Suite struct TextDecodingTests {
    @Test(arguments: [
        ("ANSI 1252", "CP1252"), ("1256", "CP1256"), ("windows-1256", "CP1256"), ("cp936", "CP936"),
        ("88591", "ISO-8859-1"), ("8859-15", "ISO-8859-15"), ("UTF8", "UTF-8"), ("65001", "UTF-8"),
        ("GBK", "CP936"), ("latin1", "ISO-8859-1"), ("  utf-8\n", "UTF-8"),
    ])
    func codePageSpellings(raw: String, expected: String) {
        #expect(EncodingName.normalised(raw) == expected)
    }

    @Test func languageDrivers() {
        #expect(EncodingName.languageDriver(0x57) == "CP1252")
        #expect(EncodingName.languageDriver(0x7E) == "CP1256")
        #expect(EncodingName.languageDriver(0x4D) == "CP936")
        #expect(EncodingName.languageDriver(0x00) == nil)
    }

    /// Every byte 0x80–0xFF of Windows-1256 and a CP936 text decode as Python decodes them.
    @Test(arguments: ["cp1256", "cp936", "cp1252", "iso-8859-1"])
    func decodesLikePython(codec: String) throws {
        // GBK "民主 abc"; for the single-byte pages every high byte (but the five Windows-1252
        // leaves undefined, which Python refuses).
        let bytes: [UInt8] = codec == "cp936"
            ? [0xC3, 0xF1, 0xD6, 0xF7, 0x20, 0x61, 0x62, 0x63]
            : Array(0x80...0xFF).filter { codec != "cp1252" || ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains($0) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let script = "import sys; sys.stdout.write(bytes.fromhex('\(hex)').decode('\(codec)', errors='strict').encode('utf-8').hex())"
        let expectedHex = try Subprocess.run(["/usr/bin/python3", "-c", script])
        let decoded = try TextDecoder(encoding: codec).decode(bytes)
        let ours = Array(decoded.text.utf8).map { String(format: "%02x", $0) }.joined()
        #expect(ours == expectedHex)
        #expect(decoded.fellBack == false)
    }

    @Test func undeclaredTextKeepsUTF8AndFallsBackOtherwise() throws {
        let guessing = try TextDecoder(encoding: nil)
        #expect(guessing.decode(Array("نام".utf8)) == ("نام", false))
        #expect(guessing.decode([0x43, 0x61, 0xF1, 0x61]) == ("Caña", true))
        #expect(throws: ImportError.self) { _ = try TextDecoder(encoding: "no-such-code-page") }
    }
}
