extension PublishedOrder.Key {
    /// A key from its parts, as a caller that keeps keys (a server's page cursor) reads it back
    /// (the memberwise initialiser is internal to Export).
    ///
    /// ```swift
    /// let key = PublishedOrder.Key(cellRow: 356, cellColumn: 513, hash: 0x9f86_d081_884c_7d65)
    /// key < PublishedOrder.Key(cellRow: 356, cellColumn: 514, hash: 0)   // true: cell first, then hash
    /// ```
    public init(cellRow: Int64, cellColumn: Int64, hash: UInt64) {
        self.init(row: cellRow, column: cellColumn, hash: hash)
    }
}
