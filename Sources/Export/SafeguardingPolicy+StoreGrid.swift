import Store

extension SafeguardingPolicy {
    /// The audience's rules on the store's grid, or on a coarser grid made of its whole cells.
    ///
    /// ```swift
    /// let grid = try store.grid()                                               // 0.1° from 0,0
    /// try SafeguardingPolicy(audience: .public, storeGrid: grid, cellSize: nil)  // 0.1°
    /// try SafeguardingPolicy(audience: .public, storeGrid: grid, cellSize: 0.3)  // 0.3° from 0,0
    /// try SafeguardingPolicy(audience: .public, storeGrid: grid, cellSize: 1e-9) // throws: finer
    /// try SafeguardingPolicy(audience: .public, storeGrid: grid, cellSize: 0.07) // throws: not whole cells
    /// ```
    /// No option makes an output finer than the store's grid, nor cuts across it (two outputs
    /// on crossing grids, joined on their ids, would place a site within a fraction of a cell).
    /// The same check applies at every audience, so a script behaves the same for each; at
    /// `internal` nothing is generalised, so the cell only appears in the manifest.
    /// - Throws: `ExportError.invalidOption` naming the store's grid and the cells it allows.
    public init(audience: Audience, storeGrid: GeneralisationGrid, cellSize: Double?,
                generalisedFields: Set<String>? = nil) throws {
        guard let cellSize else {
            self.init(audience: audience, grid: storeGrid, generalisedFields: generalisedFields)
            return
        }
        let store = GeneralisationGrid.Summary(storeGrid)
        guard cellSize.isFinite, cellSize > 0, cellSize <= 90 else {
            throw ExportError.invalidOption("--cell-size must be a size in degrees above 0 and at most 90, not \(cellSize)")
        }
        guard cellSize >= storeGrid.cellSize * (1 - 1e-9) else {
            throw ExportError.invalidOption(
                "--cell-size \(cellSize) is finer than the store's grid (\(store.text)); no output may be finer: "
                    + "give \(store.cell) or a whole multiple of it (\(store.multiples)), or leave --cell-size out")
        }
        guard let grid = storeGrid.coarsened(to: cellSize) else {
            throw ExportError.invalidOption(
                "--cell-size \(cellSize) is not a whole multiple of the store's grid (\(store.text)); "
                    + "give \(store.multiples), so that every cell is made of whole store cells")
        }
        self.init(audience: audience, grid: grid, generalisedFields: generalisedFields)
    }
}

extension GeneralisationGrid {
    /// A grid in words for an error message.
    struct Summary {
        var text: String
        var cell: String
        var multiples: String

        init(_ grid: GeneralisationGrid) {
            text = grid.summary
            cell = Self.decimal(grid.cellSize)
            multiples = (1...3).map { Self.decimal(grid.cellSize * Double($0)) }.joined(separator: ", ") + " …"
        }

        /// A size as typed: the shortest text that reads back as the value, rounded to 12 digits.
        static func decimal(_ value: Double) -> String {
            let rounded = (value * 1e12).rounded() / 1e12
            return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
        }
    }
}
