extension OutputFormat {
    /// Writes rows in this format from first to last: each row as the audience sees it (withheld
    /// rows left out), then the summary. What a query command or a server handler calls.
    ///
    /// ```swift
    /// let view = AudienceView(audience: .public)
    /// let rows = matches.map { m in
    ///     SiteRow(site: m.site, treatment: view.treatment(of: m.site.sensitivity),
    ///             figures: [m.distanceM.map { .double($0) }])
    /// }
    /// let columns = OutputColumns.gathering(rows, view: view, figures: ["distance_m"])
    /// try OutputFormat.named("csv")?.write(rows, columns: columns, to: .standardOutput)
    /// ```
    /// - Returns: the files written (none for standard output).
    /// - Throws: what the writer throws (`ExportError`).
    /// - Complexity: O(rows × columns); memory stays flat except for `table`.
    @discardableResult
    public func write(_ rows: some Sequence<SiteRow>, columns: OutputColumns, to target: OutputTarget,
                      options: OutputOptions = OutputOptions(), summary: OutputSummary? = nil) throws -> [String] {
        let writer = try make(target, columns, options)
        var record = OutputRecord.empty
        for row in rows where try columns.fill(&record, for: row, keepingSite: writer.needsSites) {
            try writer.write(record)
        }
        return try writer.finish(summary: summary)
    }
}
