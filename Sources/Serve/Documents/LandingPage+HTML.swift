/// The landing page as a small HTML page for a browser: what the service is and its links.
///
/// ```swift
/// LandingPageHTML.text(base: "http://127.0.0.1:8080", audience: "public")   // "<!doctype html>…"
/// ```
enum LandingPageHTML {
    /// `problem`: why the web map is not here (MapLibre missing: run tools/setup), shown first.
    static func text(base: String, audience: String, problem: String? = nil) -> String {
        let b = escape(base)
        let note = problem.map { "<p><strong>The web map is not served: \(escape($0)).</strong></p>\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>GraveAtlas</title></head>
            <body>
            <h1>GraveAtlas</h1>
            \(note)            <p>Mass graves and burial sites, served as OGC API – Features for the <b>\(escape(audience))</b> audience.
            Restricted sites appear at the centre of their grid cell; confidential sites do not appear.</p>
            <ul>
            <li><a href="\(b)/collections/sites/items">The sites (GeoJSON)</a></li>
            <li><a href="\(b)/collections">The collections</a></li>
            <li><a href="\(b)/conformance">Conformance classes</a></li>
            <li><a href="\(b)/api">The API definition (OpenAPI 3.0)</a></li>
            <li><a href="\(b)/?f=json">This page as JSON</a></li>
            </ul>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
