/// A file path's folder and last component, split at its last `/` in plain Swift.
///
/// ```swift
/// PathText.folder(of: "out/public.geojson")   // "out"
/// PathText.folder(of: "a")                    // "" (the working folder)
/// PathText.name(of: "/data/fosas.shp")        // "fosas.shp"
/// ```
/// Foundation's `NSString.deletingLastPathComponent` trapped inside Foundation on Linux for an
/// output named with one character (`-o a`), so paths the user gives are split here instead.
/// A trailing `/` is not trimmed: callers pass paths without one.
public enum PathText {
    /// Everything before the last `/`: "" for a bare name, "/" for a name in the root.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Everything after the last `/`.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The folder holding `path` and the name, joined with a `/` unless the folder is "".
    public static func sibling(of path: String, named name: String) -> String {
        let folder = folder(of: path)
        return folder.isEmpty ? name : folder == "/" ? "/" + name : folder + "/" + name
    }
}
