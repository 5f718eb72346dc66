import Foundation

/// A reader that holds no open file until its records are read, and none after: a zip of
/// thousands of members would otherwise hold one file (or C handle) open per member from the
/// start of the import to its end, past the process's limit on open files.
///
/// ```swift
/// let opened = try CSVSource(url: member, displayName: "a.zip/s1.csv")
/// let source = DeferredSource(opened) { try CSVSource(url: member, displayName: "a.zip/s1.csv") }
/// source.fieldNames          // read when it was made; the file is closed again
/// while let record = try source.next() { … }   // reopened at the first record, closed at the end
/// ```
/// The reader given (opened so that its errors and its fields are known before anything is
/// written) is released once its description is copied, and `reopen` makes a new one to read.
final class DeferredSource: FeatureSource {
    private let open: () throws -> FeatureSource
    private var live: FeatureSource?
    private var finished = false
    let displayName: String
    let layerName: String
    let crsDefinition: String?
    let encoding: DeclaredEncoding?
    let fieldNames: [String]?
    let expectedCount: Int?
    private var notes: [String]

    init(_ first: FeatureSource, reopen: @escaping () throws -> FeatureSource) {
        self.open = reopen
        displayName = first.displayName
        layerName = first.layerName
        crsDefinition = first.crsDefinition
        encoding = first.encoding
        fieldNames = first.fieldNames
        expectedCount = first.expectedCount
        notes = first.fileNotes
    }

    var fileNotes: [String] { live?.fileNotes ?? notes }

    func next() throws -> ImportedRecord? {
        guard !finished else { return nil }
        let source = try live ?? open()
        live = source
        if let record = try source.next() { return record }
        notes = source.fileNotes
        live = nil
        finished = true
        return nil
    }
}
