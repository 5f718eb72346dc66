import Foundation
import Testing
@testable import Store

@Suite struct UUIDTests {
    @Test func randomIDsAreVersionFourAndDistinct() {
        let ids = (0..<20_000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 4, "version nibble of \(id)")
            #expect(id.uuid.8 >> 6 == 0b10, "variant bits of \(id)")
        }
        // Every other bit varies: over 20,000 ids each of the 122 random bits is set about half the time.
        for byte in 0..<16 {
            for bit in 0..<8 {
                let set = ids.filter { withUnsafeBytes(of: $0.uuid) { $0[byte] } >> bit & 1 == 1 }.count
                let fixed = (byte == 6 && bit >= 4) || (byte == 8 && bit >= 6)
                if !fixed { #expect((9_000...11_000).contains(set), "byte \(byte) bit \(bit): \(set)") }
            }
        }
    }

    @Test func textEqualsFoundationsString() {
        for id in (0..<1_000).map({ _ in UUID() }) + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))] {
            #expect(id.text == id.uuidString)
        }
    }

    @Test func parsedTextAgreesWithFoundation() {
        for id in (0..<1_000).map({ _ in UUID() }) {
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
        }
        let samples = [
            "E621E1F8-C36C-495A-93FC-0C247A3E6E5F", "e621e1f8-c36c-495a-93fc-0c247a3e6e5f", "00000000-0000-0000-0000-000000000000",
            "E621E1F8C36C495A93FC0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6E5FF",
            "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8_C36C-495A-93FC-0C247A3E6E5F", "{E621E1F8-C36C-495A-93FC-0C247A3E6E5F}",
            "", "not a uuid at all, but thirty-six b",
        ]
        for text in samples {
            #expect(UUID(text: text) == UUID(uuidString: text), "\(text)")
        }
        // Stricter than Foundation on Linux, whose sscanf takes a last group one digit short,
        // with or without a leading space.
        #expect(UUID(text: "E621E1F8-C36C-495A-93FC-0C247A3E6E5") == nil)
        #expect(UUID(text: " E621E1F8-C36C-495A-93FC-0C247A3E6E5") == nil)
    }
}
