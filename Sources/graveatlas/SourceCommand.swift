import ArgumentParser
import Foundation
import Geometry
import PostGIS
import Store

/// `graveatlas source add|verify STORE …`: sources recorded with their evidence files, hashed
/// and kept content-addressed beside the store.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Record sources with their evidence files, and check the kept files are unaltered.",
        discussion: """
            An evidence file is hashed (SHA-256) and copied, read-only, into STORE.evidence/sha256/ab/cdef… \
            beside the store, once however often it is added; the source records its SHA-256, and its size and \
            file name in its attributes. Evidence files never enter an export. A postgresql:// store keeps \
            them in the folder --evidence names.
            """,
        subcommands: [SourceAdd.self, SourceVerify.self])
}

/// `graveatlas source add STORE --title T [--url U] [--date D] [--file F] [--site ID]...`.
struct SourceAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a source (with its evidence file) and link it to sites, in one transaction.")

    @OptionGroup var store: EngineStoreOptions

    @OptionGroup var evidence: EvidenceOptions

    @Option(help: "The source's title.") var title: String
    @Option(help: "Where it can be found: a URL or a citation (kept as the source's reference).") var url: String?
    @Option(help: "Its date: YYYY, YYYY-MM, YYYY-MM-DD or a range (Solar Hijri accepted, e.g. 1367 SH).") var date: String?
    @Option(help: "How a date without a calendar mark is read.") var calendar: PartialDate.Calendar = .gregorian
    @Option(help: ArgumentHelp("The evidence file: hashed, and copied into STORE.evidence.", valueName: "file"))
    var file: String?
    @Option(name: .customLong("site"), help: ArgumentHelp("A site the source speaks of, by id (repeatable).", valueName: "id"))
    var sites: [String] = []
    @Option(help: "What it is: \(SourceType.allowed.joined(separator: ", ")).") var type: String = SourceType.document.rawValue
    @Option(help: ArgumentHelp(
        "Who may know of it: public, restricted or confidential.",
        discussion: "restricted by default: a source may name a witness or a family, so it is shown to no public audience unless someone decides it may be."))
    var sensitivity: String = Sensitivity.restricted.rawValue

    @Option(help: "Who the audit entry names (else the user name).")
    var by: String?

    func validate() throws {
        guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ValidationError("--title must not be empty") }
        for id in sites where UUID(uuidString: id) == nil { throw ValidationError("--site must be a site id (a UUID), not '\(id)'") }
    }

    func run() throws {
        let source = try StoreFailure.run {
            Source(type: try SourceType(validating: type), title: title, reference: url,
                   date: try date.map { try PartialDate(parsing: $0, calendar: calendar) },
                   sensitivity: try Sensitivity(validating: sensitivity))
        }
        let ids = sites.compactMap(UUID.init(uuidString:))
        let folder = try file.map { _ in try evidence.folder(of: store) }
        var recorded = source
        var kept: (FileDigest, String)?
        let add = { (opened: SiteStore) throws in
            // Before the file is kept: an unknown site writes nothing (the transaction checks again).
            for id in ids {
                if try opened.site(id: id) == nil { throw StoreError.noSuchRecord(kind: "site", id: id.uuidString) }
            }
            if let file, let folder {
                let digest = try folder.keep(file)
                recorded.sha256 = digest.sha256
                recorded.attributes = EvidenceAttributes(digest: digest, fileName: PathText.name(of: file)).json
                kept = (digest, folder.path(for: digest.sha256))
            }
            try opened.add(recorded, linkedTo: ids, by: by)
        }
        if let db = try Blocking.wait({ try await store.postGIS() }) {
            try PrivateFolder.write(into: db, label: "source", purpose: "record the source", add)
        } else {
            let opened = try store.open(.readWrite)
            defer { try? opened.close() }
            try add(opened)
        }
        // The command's output: what was recorded, where the evidence is kept.
        var line = "recorded source \(recorded.id.uuidString) \"\(title)\""
        if case let (digest, path)? = kept {
            line += "; evidence \(digest.bytes) bytes, SHA-256 \(digest.sha256), kept at \(path)"
        }
        line += "; linked to \(Set(ids).count) site\(Set(ids).count == 1 ? "" : "s")\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

/// `graveatlas source verify STORE`.
struct SourceVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Hash every kept evidence file again; name each one missing or altered (exit 1).")

    @OptionGroup var store: EngineStoreOptions

    @OptionGroup var evidence: EvidenceOptions

    func run() throws {
        let folder = try evidence.folder(of: store)
        let sources: [Source]
        if let db = try Blocking.wait({ try await store.postGIS() }) {
            sources = try Blocking.wait { try await db.evidenceSources() }
        } else {
            let opened = try store.open(.readOnly)
            defer { try? opened.close() }
            sources = try opened.evidenceSources()
        }
        var text = "", failures = 0
        for source in sources {
            guard let sha256 = source.sha256 else { continue }
            let named = "source \(source.id.uuidString) \"\(source.title)\": \(folder.path(for: sha256))"
            switch folder.check(sha256) {
            case .intact: continue
            case .missing: text += "missing: \(named)\n"
            case let .altered(found, bytes):
                text += "altered: \(named): " + (found.map { "\(bytes ?? 0) bytes with SHA-256 \($0)" } ?? "cannot be read")
                    + "; recorded SHA-256 \(sha256)\n"
            }
            failures += 1
        }
        // The command's output: each file that fails, then the count.
        text += "\(sources.count) evidence file\(sources.count == 1 ? "" : "s") checked, \(sources.count - failures) intact\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        if failures > 0 {
            throw RuntimeFailure("\(failures) evidence file\(failures == 1 ? " is" : "s are") missing or altered")
        }
    }
}

/// Where a store's evidence files are kept: beside a GeoPackage, or in the folder `--evidence`
/// names (which a database needs: it has no file to sit beside).
struct EvidenceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder evidence files are kept in (else STORE.evidence beside a GeoPackage; needed with a postgresql:// store).",
                               valueName: "folder"))
    var evidence: String?

    func folder(of store: EngineStoreOptions) throws -> EvidenceFolder {
        if let evidence { return EvidenceFolder(root: evidence) }
        guard !PostgresURL.isPostgresURL(store.store) else {
            throw InputError("\(store.named): a database keeps its evidence files in the folder --evidence names: give one")
        }
        return EvidenceFolder(store: store.store)
    }
}

/// What a source records of its evidence file in its attributes (the schema has no column for
/// them): `{"evidence":{"bytes":N,"file_name":"…","media_type":"…"}}`, the media type only when
/// the file's extension names one.
struct EvidenceAttributes {
    var digest: FileDigest
    var fileName: String

    static let mediaTypes = [
        "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "tif": "image/tiff",
        "tiff": "image/tiff", "gif": "image/gif", "webp": "image/webp", "mp4": "video/mp4", "mov": "video/quicktime",
        "mp3": "audio/mpeg", "wav": "audio/wav", "txt": "text/plain", "html": "text/html", "json": "application/json",
        "geojson": "application/geo+json", "kml": "application/vnd.google-earth.kml+xml", "zip": "application/zip",
    ]

    /// The name's extension after its last `.`, lowercased, or "" (a leading dot starts none).
    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    var json: String {
        var evidence: JSONObject = ["bytes": .number(Double(digest.bytes)), "file_name": .string(fileName)]
        if let type = Self.mediaTypes[Self.fileExtension(fileName)] {
            evidence.append("media_type", .string(type))
        }
        return JSONValue.object(["evidence": .object(evidence)]).encoded()
    }
}
