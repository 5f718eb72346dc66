import Geometry

/// One row's bytes, written into memory a writer reuses for every row: appends are a capacity
/// check and a copy, with no uniqueness or bridging checks as on `[UInt8]`.
///
/// ```swift
/// var row = RowBuffer()
/// row.removeAll()
/// OutputBytes.jsonString("Khavaran", to: &row)
/// try row.withBytes { try file.write($0) }   // "Khavaran" (quoted)
/// ```
/// Copies share the same memory (the buffer is a handle, not a value): a writer keeps one and
/// uses it from one task at a time. Capacity doubles when a row outgrows it.
struct RowBuffer: ByteSink {
    /// Owns the memory and frees it.
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int

        init(capacity: Int) {
            base = .allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }

    private let storage: Storage
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        storage = Storage(capacity: max(capacity, 16))
        base = storage.base
        self.capacity = storage.capacity
    }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        if count + n > capacity { grow(to: count + n) }
        (base + count).initialize(from: source, count: n)
        count += n
    }

    /// The bytes written so far, valid only inside `body`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        storage.base.deallocate()
        storage.base = newBase
        storage.capacity = newCapacity
        base = newBase
        capacity = newCapacity
    }
}
