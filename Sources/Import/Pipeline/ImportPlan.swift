import Foundation
import Store

/// The files of an import, opened, with the dataset each source fills and where it is:
/// everything decided before the first record is read.
///
/// ```swift
/// let plan = try Importer(options: options).plan(files: urls)
/// plan.sources.map(\.dataset)   // ["cemeteries", "spain-destroyed"]
/// let report = try Importer(options: options).run(plan) { draft, source in … }
/// ```
/// The readers are used by one thread at a time (the plan is made on one thread and read
/// on another, never both).
public struct ImportPlan: @unchecked Sendable {
    public struct Source {
        public let file: OpenedFile
        public let reader: FeatureSource
        /// The dataset its sites belong to.
        public let dataset: String
        /// Whether that name was taken from the file name (no `--dataset`, no mapping's
        /// `dataset`): then it must not be a dataset that another file filled.
        public let datasetIsImplicit: Bool
        /// The file's stable path and the layer (record 0).
        public let origin: SiteOrigin
    }

    /// Kept open for the readers (a zip's extracted folder lives as long as its file).
    let opened: [OpenedFile]
    public let sources: [Source]
}
