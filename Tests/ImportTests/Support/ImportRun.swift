import Foundation
@testable import Import

/// Runs an import over files and collects what reaches the sink.
struct ImportRun {
    var drafts: [SiteDraft] = []
    var report = ImportReport()

    init(_ files: [URL], options: ImportOptions = ImportOptions()) throws {
        var collected: [SiteDraft] = []
        report = try Importer(options: options).run(files: files) { collected.append($0) }
        drafts = collected
    }
}
