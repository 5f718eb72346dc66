import Yams

extension ImportMapping {
    /// Whether every key of every mapping in the YAML tree is a scalar: Yams stops the process
    /// (a forced unwrap) when it builds a mapping keyed by a sequence or a mapping.
    ///
    /// ```swift
    /// ImportMapping.hasOnlyScalarKeys(try Yams.compose(yaml: "? ? "))   // false
    /// ```
    /// - Complexity: O(n) in the nodes (the depth is bounded by `MappingLimits`).
    static func hasOnlyScalarKeys(_ node: Node?) -> Bool {
        switch node {
        case .none, .scalar: return true
        case .sequence(let sequence): return sequence.allSatisfy(hasOnlyScalarKeys)
        case .mapping(let mapping):
            return mapping.allSatisfy { pair in
                if case .scalar = pair.key { return hasOnlyScalarKeys(pair.value) }
                return false
            }
        }
    }
}
