import Foundation
import ZIPFoundation

/// A zip archive extracted to a private temporary folder, removed on release, within the
/// limits of `InputLimits`.
///
/// ```swift
/// let archive = try ExtractedArchive(URL(fileURLWithPath: "shapes.zip"), name: "shapes.zip")
/// archive.importableFiles   // [fosas.shp, notes/sites.csv], sorted by path (not fosas.dbf, readme.txt)
/// ```
/// Each member is streamed to disk and counted as it goes: a member that expands past the
/// ratio limit, or an archive past the size limit, is refused by name as soon as it does,
/// whatever its header declares. Paths that would leave the folder (`../x`, `/etc/x`) and
/// symlinks are refused. Files beside each other are listed once, so shapefiles find their
/// parts without listing the folder again. The folder is registered with `ImportScratch`
/// before it is made, so SIGINT and SIGTERM remove it; errors name the member inside the
/// user's zip (`sites.zip/pts.dbf`), never the temporary folder, and a full disk is
/// `ImportError.storage` ("the disk … is full"), not a malformed file.
/// - Complexity: O(n) in the members and the extracted bytes.
final class ExtractedArchive {
    struct Member {
        let url: URL
        let relativePath: String
    }

    let directory: URL
    let importableFiles: [Member]
    /// Every extracted file's name, by the folder that holds it and its lowercased base name
    /// (the name without its last extension).
    let folders: [String: [String: [String]]]

    /// - Parameter importing: the extensions (lowercased, no dot) of the members listed in
    ///   `importableFiles`; the import formats' (`ImportFormat.zipMemberExtensions`) unless told.
    init(_ url: URL, name: String, limits: InputLimits = .standard,
         importing: Set<String> = ImportFormat.zipMemberExtensions) throws {
        let manager = FileManager.default
        directory = manager.temporaryDirectory.appendingPathComponent("graveatlas-zip-\(UUID().uuidString)")
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw ImportError.malformed(file: name, record: nil, reason: "not a readable zip archive: \(error)")
        }
        ImportScratch.register(directory)
        do {
            try ImportScratch.making { [directory] in try manager.createDirectory(at: directory, withIntermediateDirectories: true) }
        } catch {
            ImportScratch.remove(directory)
            throw ScratchFailure.storage(name, error)
        }
        var members: [Member] = []
        var folders: [String: [String: [String]]] = [:]
        var madeFolders: Set<String> = [""]
        do {
            var total: UInt64 = 0
            var count = 0
            for entry in archive {
                count += 1
                guard count <= limits.maxMembers else {
                    throw ImportError.malformed(file: name, record: nil,
                                                reason: "the zip holds more than \(limits.maxMembers) members")
                }
                guard let path = ExtractedArchive.safePath(entry.path) else {
                    throw ImportError.malformed(file: name, record: nil,
                                                reason: "member '\(entry.path)' has a path outside the archive")
                }
                guard entry.type == .file, !path.isEmpty else { continue }
                let folder = path.split(separator: "/").dropLast().joined(separator: "/")
                let file = String(path.split(separator: "/").last ?? "")
                if !madeFolders.contains(folder) {
                    do {
                        try ImportScratch.making { [directory] in
                            try manager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
                        }
                    } catch {
                        throw ScratchFailure.storage("\(name)/\(path)", error)
                    }
                    madeFolders.insert(folder)
                }
                let target = directory.appendingPathComponent(path)
                total += try ExtractedArchive.extract(entry, of: archive, to: target, name: "\(name)/\(path)",
                                                      remaining: limits.maxExtractedBytes - total, limits: limits)
                folders[folder, default: [:]][ExtractedArchive.baseName(file), default: []].append(file)
                let lowered = file.lowercased()
                if path.hasPrefix("__MACOSX") || file.hasPrefix("._") { continue }
                if let ext = lowered.split(separator: ".").last, lowered.contains("."),
                   importing.contains(String(ext)) {
                    members.append(Member(url: target, relativePath: path))
                }
            }
        } catch {
            ImportScratch.remove(directory)
            if let error = error as? ImportError { throw error }
            // ZIPFoundation's own errors (a damaged central directory …) name no path.
            throw ImportError.truncated(file: name, reason: "cannot extract the zip: \(error)")
        }
        importableFiles = members.sorted { $0.relativePath < $1.relativePath }
        self.folders = folders
    }

    deinit { ImportScratch.remove(directory) }

    /// The names of the files beside `url` that share its base name whatever the case
    /// (`FOSAS.shp`, `fosas.DBF` …), itself included; nil when it is not in the archive.
    func siblings(of url: URL) -> [String]? {
        let root = directory.path + "/"
        let folder = url.deletingLastPathComponent().path + "/"
        guard folder.hasPrefix(root) else { return nil }
        let relative = String(folder.dropFirst(root.count).dropLast())
        return folders[relative]?[ExtractedArchive.baseName(url.lastPathComponent)] ?? []
    }

    /// A file name without its last extension, lowercased.
    static func baseName(_ file: String) -> String {
        URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent.lowercased()
    }

    /// Streams one member to `target`, refusing it once it passes the ratio or size limit.
    /// - Returns: the bytes written.
    private static func extract(_ entry: Entry, of archive: Archive, to target: URL, name: String,
                                remaining: UInt64, limits: InputLimits) throws -> UInt64 {
        let allowed = min(limits.allowedExpansion(ofCompressed: entry.compressedSize), remaining)
        func refusal() -> ImportError {
            allowed == remaining && remaining < limits.allowedExpansion(ofCompressed: entry.compressedSize)
                ? .malformed(file: name, record: nil,
                             reason: "the zip expands to more than \(limits.maxExtractedBytes) bytes; refused")
                : .malformed(file: name, record: nil,
                             reason: "expands more than \(limits.maxExpansionRatio) times its compressed size "
                                + "(\(entry.compressedSize) bytes); refused as a zip bomb")
        }
        if entry.uncompressedSize > allowed { throw refusal() }
        let output = try ImportScratch.making { try ScratchFile(creating: target.path, name: name) }
        var written: UInt64 = 0
        let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
            written += UInt64(chunk.count)
            if written > allowed { throw refusal() }
            try output.write(chunk)
        }
        try output.close()
        guard checksum == entry.checksum else {
            throw ImportError.truncated(file: name, reason: "its CRC-32 does not match; the zip is damaged")
        }
        return written
    }

    /// The member's path, relative and without `.`/`..` steps; nil when it would leave the folder.
    static func safePath(_ path: String) -> String? {
        guard !path.hasPrefix("/"), !path.contains("\0") else { return nil }
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? "" : parts.joined(separator: "/")
    }
}
