import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension XMLParser {
    /// Why parsing stopped, in words, with the line and column: Foundation's own description
    /// on Linux is "The operation could not be completed".
    ///
    /// ```swift
    /// parser.failureReason   // "line 3, column 17: a character that XML does not allow"
    /// ```
    var failureReason: String {
        failureReason(code: (parserError as NSError?)?.code ?? 0)
    }

    /// `failureReason` for the libxml2 error `code`, at the parser's line and column now.
    func failureReason(code: Int) -> String {
        // libxml2's error numbers (xmlParserErrors), which the error carries on Linux and
        // Darwin alike; Linux's XMLParser.ErrorCode enumeration is numbered differently.
        let kinds: [([Int], String)] = [
            ([9], "a character that XML does not allow"),
            ([4, 5, 77], "the document ends before its elements close"),
            ([74, 76, 85], "a closing tag does not match the open element"),
            ([68, 72, 73], "a malformed tag"),
            ([39, 40, 41, 42, 43, 44, 45], "a malformed attribute"),
            ([6, 7, 8, 23, 24, 26, 27, 29, 89], "an entity or character reference that does not resolve"),
            ([31, 32], "an encoding the XML parser does not know"),
            ([86], "content after the document's last element"),
            ([1, 2], "text the XML parser cannot read (a control or NUL character?)"),
        ]
        let words = kinds.first { $0.0.contains(code) }?.1 ?? "not well-formed XML (libxml2 error \(code))"
        return "line \(lineNumber), column \(columnNumber): \(words)"
    }
}
